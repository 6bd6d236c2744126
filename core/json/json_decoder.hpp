#pragma once
// Flink's JSON deserialization (Flink: JsonRowDataDeserializationSchema, JsonParserRowDataDeserializationSchema) for one Kafka record
// value: a JSON object whose members fill the physical columns of a row.
// Built on simdjson On Demand; the record is copied into a reused padded
// buffer first (librdkafka gives no padding guarantee).
//
// Two paths, one behaviour. The fast path copies the record with one memcpy
// and decodes it directly; it only keeps a result when the record is a single
// object that simdjson accepted whole (valid UTF-8, no raw control characters,
// nothing after the object, brackets matched) and every field decoded. All
// else, errors included, is decoded again by the slow path, which finds the
// first value itself (JsonFirstValue), so that Jackson's leniencies and the
// exact error texts and byte offsets come from one place.
//
// Errors are returned, never thrown, and say what and where:
//   malformed JSON at byte 17: unclosed string
//   field 'id': expected INT, got "abc"
//   field 'pizzas'[2].additionalToppings: expected ARRAY, got object
//   value is not valid UTF-8 at byte 5
//   top-level JSON value must be an object, got array
// Byte offsets are 0-based offsets into the record value.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/batch.hpp"
#include "core/json/json_first_value.hpp"
#include "core/schema.hpp"

namespace ananas {

struct JsonDecodeOptions {
  bool fail_on_missing_field = false;  // json.fail-on-missing-field
  bool ignore_parse_errors = false;    // json.ignore-parse-errors
  bool timestamp_iso8601 = false;      // json.timestamp-format.standard = 'ISO-8601'
};

// A column filled from the JSON: its cell in the output row, the member name
// it is read from (exact, case-sensitive) and its SQL type.
struct JsonField {
  size_t out_index = 0;
  std::string name;
  Type type;
  // False for a column nothing reads (projection push-down): the member is
  // checked exactly as if decoded (same errors, so a record is bad or good
  // as before) but its cell stays NULL, and a string in a character column
  // is not copied.
  bool keep = true;
};

enum class JsonDecodeStatus {
  Row,      // the row was decoded
  NoRow,    // null or empty record value, or a JSON `null`: no row and no error (Flink: AbstractJsonDeserializationSchema)
  Skipped,  // malformed record dropped because ignore_parse_errors is set (Flink docs, Formats > JSON > json.ignore-parse-errors)
  Error,    // the record cannot be decoded; `error` says why
};

struct JsonDecodeResult {
  JsonDecodeStatus status = JsonDecodeStatus::Row;
  std::string error;
  bool ok() const { return status == JsonDecodeStatus::Row; }
};

class JsonRowDecoder {
 public:
  // Throws std::invalid_argument when both fail_on_missing_field and
  // ignore_parse_errors are set (Flink's ValidationException message).
  // Every column of `physical_columns` is read, into the cell of the same index.
  explicit JsonRowDecoder(const Schema& physical_columns, JsonDecodeOptions options = {});
  // Only `fields` are read; rows are `row_width` cells wide, and the other
  // cells (metadata columns such as the Kafka timestamp) are the caller's.
  JsonRowDecoder(std::vector<JsonField> fields, size_t row_width, JsonDecodeOptions options = {});
  ~JsonRowDecoder();
  JsonRowDecoder(const JsonRowDecoder&) = delete;
  JsonRowDecoder& operator=(const JsonRowDecoder&) = delete;

  // Decodes `value` (nullopt = Kafka null value) into the field cells of
  // `row`, copying strings into `arena`. Cells of the fields are unspecified
  // unless the status is Row; other cells are not touched.
  JsonDecodeResult decode(std::optional<std::string_view> value, Value* row, Arena& arena);
  // The same decoding without the fast path: the reference that decode() must
  // agree with exactly (the tests compare them; also handy when a record
  // seems to decode differently than Flink would).
  JsonDecodeResult decode_without_fast_path(std::optional<std::string_view> value, Value* row, Arena& arena);

  // Decodes and, only when the status is Row, appends the row to `batch`
  // (non-field cells NULL; fill them via batch.mutable_row(batch.num_rows() - 1)).
  JsonDecodeResult decode_append(std::optional<std::string_view> value, Batch& batch, RowKind kind = RowKind::Insert);

  size_t row_width() const { return row_width_; }
  const std::vector<JsonField>& fields() const { return fields_; }

 private:
  struct Impl;
  // The fast path: true when the row was decoded; false means "not decided
  // here" (the cells may have been written) and nothing was reported.
  bool decode_whole_record(std::string_view value, Value* row);
  // The slow path: any non-empty value, with Flink's result and error text.
  JsonDecodeResult decode_first_value(std::string_view value, Value* row);

  std::vector<JsonField> fields_;
  size_t row_width_;
  JsonDecodeOptions options_;
  std::vector<Value> scratch_row_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ananas
