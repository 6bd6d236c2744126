#pragma once
// The aggregate calls of group_aggregate and window_aggregate: YAML and binding.
#include <optional>
#include <string>
#include <vector>

#include "core/schema.hpp"
#include "operators/aggregates.hpp"
#include "operators/named_expr.hpp"
#include "pipelines/operator_kinds/common/aggregate_model.hpp"
#include "pipelines/yaml/node_reader.hpp"
#include "pipelines/yaml/yaml_writer.hpp"

namespace ananas::pipeline {

namespace yaml {
// The optional `keys` and `aggregates` of a mapping.
void read_keys_and_aggregates(const MapReader& m, std::vector<std::string>& keys, std::vector<Aggregate>& aggregates);
void write_keys_and_aggregates(Writer& w, int indent, const std::vector<std::string>& keys,
                               const std::vector<Aggregate>& aggregates);
}  // namespace yaml

// `a` bound against `input`; an unknown function or an argument type it does
// not accept is an InputError at the call.
ops::AggregateCall aggregate_call(const Aggregate& a, const Schema& input);

// Group keys and aggregate calls bound against `input` (a key that is no
// column is an error at `where`); `key_columns` gets the keys' indexes.
void bind_grouping(const Schema& input, const std::vector<std::string>& keys, const std::vector<Aggregate>& aggregates,
                   const SourceLocation& where, std::vector<ops::NamedExpr>& key_exprs,
                   std::vector<ops::AggregateCall>& calls, std::vector<size_t>& key_columns);

// The input columns the keys, the aggregates' arguments and FILTERs and
// `extra` read, ascending; nullopt when an argument may read more than its
// identifiers say (core/sql/expr_columns.hpp).
std::optional<std::vector<size_t>> grouping_columns_read(const Schema& input, const std::vector<std::string>& keys,
                                                         const std::vector<Aggregate>& aggregates,
                                                         const std::vector<std::string>& extra = {});

}  // namespace ananas::pipeline
