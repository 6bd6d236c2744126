#pragma once
// Flink's lenient conversion of one JSON scalar to a SQL value (Flink: JsonToRowDataConverters, JsonParserToRowDataConverters),
// independent of the JSON parser: the decoder hands over the token's kind and
// text, this decides what Flink's JsonToRowDataConverters would make of it.
#include <optional>
#include <string_view>

#include "core/arena.hpp"
#include "core/types.hpp"
#include "core/value.hpp"

namespace ananas {

enum class JsonKind { Null, Bool, Number, String, Object, Array };

struct JsonScalar {
  JsonKind kind = JsonKind::Null;
  // String: the unescaped text. Number: the token as written (validated JSON
  // number). Bool: "true"/"false". Object/Array: compact JSON text.
  std::string_view text;
};

std::string_view json_kind_name(JsonKind k);  // "object", "array", "string", ...

// Converts `s` to `type` into `out` (strings copied into `arena`). Returns
// false when Flink would throw (the caller reports "expected T, got X").
// DECIMAL values that do not fit the precision become NULL, as Flink's
// DecimalData.fromBigDecimal does, and that is not an error.
// `iso_timestamps` selects timestamp-format.standard = 'ISO-8601'.
bool convert_json_scalar(const JsonScalar& s, const Type& type, bool iso_timestamps, Arena& arena, Value& out);

// Strict JSON number grammar (RFC 8259): -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
bool is_json_number(std::string_view token);

// java.math.BigDecimal(String) grammar parsed exactly and rescaled to `scale`
// with RoundingMode.HALF_UP. nullopt if the text is not a number; `fits` is
// false if the result has more than `precision` digits.
struct ParsedDecimal {
  __int128 unscaled = 0;
  bool fits = true;
};
std::optional<ParsedDecimal> parse_decimal_text(std::string_view text, int precision, int scale);

}  // namespace ananas
