#pragma once
// A scalar SQL value that owns its bytes, for accumulators that must outlive
// the batch a value came from (MIN/MAX multisets, LISTAGG lists, DISTINCT sets).
// Only the kinds an aggregate can take are supported: NULL, BOOLEAN, integers
// (including dates, times, timestamps), FLOAT/DOUBLE, DECIMAL and strings.
#include <compare>
#include <string>

#include "core/arena.hpp"
#include "core/row_codec.hpp"
#include "core/value.hpp"

namespace ananas::ops {

class OwnedValue {
 public:
  OwnedValue() = default;
  // Throws std::invalid_argument for nested values (arrays, rows, maps).
  static OwnedValue from(const Value& v);

  // A view of this value; strings are copied into `arena`.
  Value to_value(Arena& arena) const;
  bool is_null() const { return kind_ == ValueKind::Null; }
  std::string_view text() const { return text_; }

  void save(StateWriter& w) const;
  static OwnedValue load(StateReader& r);

  // SQL ordering of two values of the same type (NULL first; strings byte-wise,
  // as Flink compares BinaryStringData).
  friend std::strong_ordering operator<=>(const OwnedValue& a, const OwnedValue& b);
  friend bool operator==(const OwnedValue& a, const OwnedValue& b) { return (a <=> b) == 0; }

  size_t approx_bytes() const { return sizeof(OwnedValue) + text_.capacity(); }

 private:
  ValueKind kind_ = ValueKind::Null;  // Decimal and BigDecimal are both kept as Decimal
  __int128 number_ = 0;               // Bool, Int, Decimal (unscaled)
  double real_ = 0;
  std::string text_;
};

}  // namespace ananas::ops
