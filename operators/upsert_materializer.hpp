#pragma once
// Flink's SinkUpsertMaterializer: turns a retracting changelog into the
// +I/+U/-D sequence an upsert sink writes, keyed by the sink's primary key.
// Per sink key it keeps the list of rows currently "alive":
//   +I/+U row → append it (or, with an upsert key, replace the row with the same
//               upsert key in place); emit it as +I if the list was empty, else +U;
//   -U/-D row → remove the first matching row; not found → ignore; list now empty
//               → -D(row); the removed row was the last one → +U(new last row);
//               otherwise nothing.
// Rows match on all columns, or on the upsert-key columns when the planner
// knows the input's upsert key (Flink ≥ 1.16). A key whose list empties is freed.
//
// State: one blob per sink key (operators/blob_table.hpp) holding the list as
// varint count, then each row encoded (core/row_codec.hpp) behind its varint
// length. The bytes rows are matched on are not stored: without an upsert key
// they are the row's own bytes, with one they are re-encoded from the stored
// row when compared. Snapshots keep the format (key, count, (row, match) per row).
#include <string_view>
#include <vector>

#include "operators/blob_table.hpp"
#include "operators/operator.hpp"

namespace ananas::ops {

struct UpsertMaterializerConfig {
  Schema input;
  std::vector<size_t> sink_key;    // input column indices of the sink's primary key
  std::vector<size_t> upsert_key;  // input column indices of the input's upsert key; empty = compare whole rows
};

class UpsertMaterializerOperator final : public Operator {
 public:
  // Throws std::invalid_argument for an empty sink key or an index out of range.
  explicit UpsertMaterializerOperator(UpsertMaterializerConfig config);
  std::string_view kind() const override { return "upsert_materializer"; }
  const Schema& output_schema() const override { return config_.input; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override;

 protected:
  std::string state_description() const override;
  void save_keyed(KeyedStateWriter& w) const override;
  void clear_state() override { rows_by_key_.clear(); }
  void restore_key_group(uint32_t key_group, StateReader& r) override;

 private:
  void encode_columns(const Value* row, const std::vector<size_t>& columns, std::string& out) const;
  // The bytes a stored (encoded) row is matched on; `scratch` may hold them.
  std::string_view match_of(std::string_view stored, std::string& scratch) const;
  // Splits a key's payload into its rows (views into the payload).
  static void split_rows(std::string_view payload, std::vector<std::string_view>& rows);

  UpsertMaterializerConfig config_;
  std::vector<size_t> match_columns_;
  BlobTable rows_by_key_;
  OperatorStats stats_;
};

}  // namespace ananas::ops
