#pragma once
// The physical value of one SQL cell: 16 bytes, trivially copyable, no
// ownership. Strings, arrays, rows and maps point into an Arena (normally the
// arena of the batch that holds the value, or of a batch it retains). The
// logical type lives in the Schema, not in the value: an INT, a BIGINT, a DATE
// and a TIMESTAMP(3) are all `Int` here (timestamps as epoch millis; see
// Value::timestamp for the digits below the millisecond).
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

namespace ananas {

enum class ValueKind : uint8_t {
  Null,
  Bool,
  Int,         // every integer, date, time, timestamp and interval type
  Double,      // FLOAT and DOUBLE
  Decimal,     // unscaled value in an int64 (the scale is in the type)
  BigDecimal,  // unscaled value that needs 128 bits, stored in the arena
  String,      // CHAR, VARCHAR, BINARY: bytes (UTF-8 for text)
  Array,       // `len` elements
  Row,         // `len` fields
  Map,         // `len` entries, stored as 2*len values: k0, v0, k1, v1, ...
};

struct Value {
  union Payload {
    bool b;
    int64_t i;
    double d;
    const char* s;
    const Value* elems;
    const __int128* big;
  } u{.i = 0};
  uint32_t len = 0;
  ValueKind kind = ValueKind::Null;

  static Value null() { return Value{}; }
  static Value boolean(bool b) { Value v; v.kind = ValueKind::Bool; v.u.b = b; return v; }
  static Value integer(int64_t i) { Value v; v.kind = ValueKind::Int; v.u.i = i; return v; }
  // A TIMESTAMP / TIMESTAMP_LTZ as Flink's TimestampData holds it: epoch
  // milliseconds (as_int(), what windows, watermarks and time functions read)
  // plus the nanoseconds within that millisecond (0..999,999). An Int never
  // uses `len` otherwise, so the nanoseconds ride there and the value stays
  // 16 bytes; with 0 nanoseconds it is the same value as integer(millis).
  static Value timestamp(int64_t millis, uint32_t nano_of_milli) {
    Value v = integer(millis);
    v.len = nano_of_milli;
    return v;
  }
  static Value real(double d) { Value v; v.kind = ValueKind::Double; v.u.d = d; return v; }
  static Value decimal(int64_t unscaled) { Value v; v.kind = ValueKind::Decimal; v.u.i = unscaled; return v; }
  static Value big_decimal(const __int128* unscaled) { Value v; v.kind = ValueKind::BigDecimal; v.u.big = unscaled; return v; }
  // Does not copy: `s` must outlive the value (copy into an Arena first).
  static Value string(std::string_view s) {
    Value v; v.kind = ValueKind::String; v.u.s = s.data(); v.len = static_cast<uint32_t>(s.size()); return v;
  }
  static Value array(const Value* elems, uint32_t n) { Value v; v.kind = ValueKind::Array; v.u.elems = elems; v.len = n; return v; }
  static Value row(const Value* fields, uint32_t n) { Value v; v.kind = ValueKind::Row; v.u.elems = fields; v.len = n; return v; }
  static Value map(const Value* kv, uint32_t entries) { Value v; v.kind = ValueKind::Map; v.u.elems = kv; v.len = entries; return v; }

  bool is_null() const { return kind == ValueKind::Null; }
  bool as_bool() const { return u.b; }
  int64_t as_int() const { return u.i; }
  double as_double() const { return u.d; }
  // A timestamp's nanoseconds below its millisecond (0 for every other Int).
  uint32_t nano_of_milli() const { return kind == ValueKind::Int ? len : 0; }
  std::string_view as_string() const { return {u.s, len}; }
  // Elements of an array, fields of a row, or 2*len key/value slots of a map.
  std::span<const Value> elements() const {
    return {u.elems, kind == ValueKind::Map ? size_t{len} * 2 : size_t{len}};
  }
  // The unscaled value of a Decimal or BigDecimal.
  __int128 unscaled() const { return kind == ValueKind::BigDecimal ? *u.big : __int128{u.i}; }
};

static_assert(sizeof(Value) == 16, "Value must stay 16 bytes: batches are arrays of them");
static_assert(std::is_trivially_copyable_v<Value>);

}  // namespace ananas
