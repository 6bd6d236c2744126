#pragma once
// Flink's JSON serialization (Flink: JsonRowDataSerializationSchema, RowDataToJsonConverters): the exact bytes
// JsonRowDataSerializationSchema writes for a row, so that the value of an
// output record, and the key of an upsert-kafka record (the primary-key
// columns in PRIMARY KEY order, Flink docs, Upsert Kafka connector > Key and Value Formats), come out byte-identical to Flink.
#include <optional>
#include <string>
#include <vector>

#include "core/expr/compiled_expr.hpp"
#include "core/types.hpp"
#include "core/value.hpp"

namespace ananas {

// One member of the output object: where its value is in the row, the member
// name written verbatim, and its SQL type (which decides the spelling).
struct EncodedColumn {
  size_t source_index = 0;
  std::string name;
  Type type;
  // INSERT's implicit cast (an INT written into a DOUBLE column): turns the
  // row's value into `type` before it is written; null when none is needed.
  expr::CompiledExprPtr convert;
};

struct JsonEncodeOptions {
  // timestamp-format.standard = 'ISO-8601' (`T` separator) instead of 'SQL'.
  bool timestamp_iso8601 = false;
  // encode.decimal-as-plain-number: BigDecimal.toPlainString instead of toString.
  bool decimal_as_plain_number = false;
  // Flink: RowDataToJsonConverters hands DECIMALs to Jackson's JsonNodeFactory,
  // whose non-exact default (Jackson 2.14/2.15, bundled by Flink 1.19/1.20)
  // calls BigDecimal.stripTrailingZeros first, so DECIMAL(5,2) 100.00 is
  // written `1E+2` and 12.50 is `12.5`, and zero is `0`. We default to that;
  // set false for the unnormalised BigDecimal.toString (`100.00`).
  bool decimal_strip_trailing_zeros = true;
  // json.encode.ignore-null-fields: omit NULL members instead of `"col":null`.
  bool ignore_null_fields = false;
};

// Appends one compact JSON object (no spaces, no newline) for `row`.
void encode_row(const Value* row, const std::vector<EncodedColumn>& cols, std::string& out,
                const JsonEncodeOptions& options = {});

// Appends one value of type `type` (used for nested values and tests).
void encode_value(const Value& v, const Type& type, std::string& out, const JsonEncodeOptions& options = {});

// Flink's JSON format rejects some types when the table is planned
// (intervals, MULTISET, non-string MAP keys); the message says which, or
// nullopt if `type` can be written. Callers check this when building a sink;
// encode_value itself writes an interval as its integer rather than failing.
std::optional<std::string> json_unsupported_type(const Type& type);

}  // namespace ananas
