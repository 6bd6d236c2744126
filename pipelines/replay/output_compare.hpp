#pragma once
// Compares a pipeline's output records with expected ones the way a user of
// Kafka would: an upsert topic by its final table (the last value per key; a
// tombstone deletes), an append topic as a multiset of (key, value) records.
#include <map>
#include <string>
#include <vector>

#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/replay/local_runner.hpp"

namespace ananas::pipeline {

// "" when they match; otherwise a readable diff, one line per difference.
std::string compare_outputs(const BuiltPipeline& pipeline, const std::vector<OutputRecord>& actual,
                            const std::vector<OutputRecord>& expected);

// The final table of upsert records: key -> value (deleted keys absent).
std::map<std::string, std::string> final_table(const std::vector<OutputRecord>& records, const std::string& topic);

}  // namespace ananas::pipeline
