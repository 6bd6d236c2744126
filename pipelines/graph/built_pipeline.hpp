#pragma once
// A pipeline after validation and binding: every node's output schema is
// known, every expression compiled, and each operator can be created afresh
// (for parallel instances and restarts). Both the offline runner (`ananas
// replay/test`) and the actor runtime (`ananas run`) execute this form.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/json/json_encoder.hpp"
#include "core/schema.hpp"
#include "operators/operator.hpp"
#include "operators/row_error.hpp"
#include "pipelines/model.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"

namespace ananas::pipeline {

class SourceRowDecoder;

struct BuiltSource {
  const Source* spec = nullptr;
  Schema schema;                    // every column: physical, metadata, computed
  std::vector<std::string> topics;  // `topic` option split on ';'
  std::optional<size_t> rowtime;    // the WATERMARK column
  int64_t idle_timeout_ms = 0;
  // Per column, whether anything downstream reads it (columns_needed.hpp);
  // the decoder checks the unread physical columns but leaves their cells
  // NULL (source_rows.cpp). Empty: every column is read.
  std::vector<bool> columns_needed;
  // A decoder owns per-instance scratch state, so each consumer makes its own.
  std::function<std::unique_ptr<SourceRowDecoder>()> make_decoder;
};

struct BuiltOperator {
  const Operator* spec = nullptr;
  std::string name;
  std::string input;                // the (first) node it reads; its schema is the one the kind binds to
  std::vector<std::string> inputs;  // every node it reads, in input order (union_all reads several)
  Schema output;
  int parallelism = 1;
  std::vector<size_t> key_columns;  // input columns hashed across parallel instances
  bool updating = false;            // emits a changelog with updates (not insert-only)
  std::function<ops::OperatorPtr()> make;
  std::optional<TwoPhaseBinding> two_phase;  // its local and global phases, when it can be split
};

struct BuiltSink {
  const Sink* spec = nullptr;
  std::string name;
  std::string input;
  std::string topic;
  bool upsert = false;                       // upsert-kafka: key = PK JSON, -U/-D = tombstone
  std::vector<EncodedColumn> key_columns;    // PK columns in PRIMARY KEY order (upsert)
  std::vector<EncodedColumn> value_columns;  // every sink column, in table order (with INSERT's implicit casts)
  JsonEncodeOptions key_json, value_json;   // the format options of the key and the value (json_format_options.hpp)
};

// Refers to the model it was built from (which must outlive it) and to its own
// sources (decoder factories), so it can be moved but not copied.
struct BuiltPipeline {
  BuiltPipeline() = default;
  BuiltPipeline(const BuiltPipeline&) = delete;
  BuiltPipeline& operator=(const BuiltPipeline&) = delete;
  BuiltPipeline(BuiltPipeline&&) = default;
  BuiltPipeline& operator=(BuiltPipeline&&) = default;

  const Pipeline* model = nullptr;
  std::vector<BuiltSource> sources;
  std::vector<BuiltOperator> operators;  // topological order
  std::vector<BuiltSink> sinks;
  Warnings warnings;

  const BuiltSource* find_source(const std::string& name) const;
  const BuiltOperator* find_operator(const std::string& name) const;
  // The schema a node (source or operator) produces.
  const Schema& schema_of(const std::string& node) const;
};

// A row an operator could not process (a failed CAST, a division by zero):
// the host applies the pipeline's on_error policy to it. `error` names the
// input batch and row, so a host can look up the row's source record
// (Batch::source_record) and dead-letter it; both are valid only during the call.
using RowErrorSink = std::function<void(const std::string& node, const ops::RowError& error)>;

// Validates and binds `p`. Every problem is an InputError at the location of
// the expression, column or node that causes it. Operators report failing rows
// to `on_row_error`; without one, a failing row throws ops::RowFailure.
BuiltPipeline build_pipeline(const Pipeline& p, RowErrorSink on_row_error = {});

// The value of a connector option, if set.
std::optional<std::string> option(const Options& options, const std::string& key);

}  // namespace ananas::pipeline
