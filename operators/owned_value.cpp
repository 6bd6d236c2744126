#include "operators/owned_value.hpp"

#include <stdexcept>

namespace ananas::ops {

// Value::timestamp's nano-of-millisecond is below this.
constexpr __int128 kNanoOfMilliRange = 1'000'000;

OwnedValue OwnedValue::from(const Value& v) {
  OwnedValue o;
  switch (v.kind) {
    case ValueKind::Null: break;
    case ValueKind::Bool: o.kind_ = ValueKind::Bool; o.number_ = v.as_bool() ? 1 : 0; break;
    case ValueKind::Int:
      // A timestamp's nanoseconds order after its millis: number_ holds both.
      o.kind_ = ValueKind::Int;
      o.number_ = __int128{v.as_int()} * kNanoOfMilliRange + v.nano_of_milli();
      break;
    case ValueKind::Double: o.kind_ = ValueKind::Double; o.real_ = v.as_double() == 0.0 ? 0.0 : v.as_double(); break;
    case ValueKind::Decimal:
    case ValueKind::BigDecimal: o.kind_ = ValueKind::Decimal; o.number_ = v.unscaled(); break;
    case ValueKind::String: o.kind_ = ValueKind::String; o.text_.assign(v.as_string()); break;
    case ValueKind::Array:
    case ValueKind::Row:
    case ValueKind::Map: throw std::invalid_argument("aggregate over a nested value (ARRAY, ROW or MAP) is not supported");
  }
  return o;
}

Value OwnedValue::to_value(Arena& arena) const {
  switch (kind_) {
    case ValueKind::Bool: return Value::boolean(number_ != 0);
    case ValueKind::Int: {
      __int128 millis = number_ / kNanoOfMilliRange;
      if (number_ % kNanoOfMilliRange < 0) --millis;  // floor: the nanoseconds are never negative
      return Value::timestamp(static_cast<int64_t>(millis), static_cast<uint32_t>(number_ - millis * kNanoOfMilliRange));
    }
    case ValueKind::Double: return Value::real(real_);
    case ValueKind::Decimal: {
      if (number_ >= INT64_MIN && number_ <= INT64_MAX) return Value::decimal(static_cast<int64_t>(number_));
      auto* p = arena.allocate_array<__int128>(1);
      *p = number_;
      return Value::big_decimal(p);
    }
    case ValueKind::String: return Value::string(arena.copy(text_));
    default: return Value::null();
  }
}

void OwnedValue::save(StateWriter& w) const {
  Arena scratch(64);
  w.value(to_value(scratch));
}

OwnedValue OwnedValue::load(StateReader& r) {
  Arena scratch(64);
  Value v = r.value(scratch);
  if (v.kind == ValueKind::Array || v.kind == ValueKind::Row || v.kind == ValueKind::Map)
    throw CorruptState("corrupt state: an aggregate value cannot be nested");
  return from(v);
}

std::strong_ordering operator<=>(const OwnedValue& a, const OwnedValue& b) {
  if (a.kind_ != b.kind_) return a.kind_ <=> b.kind_;  // only NULL vs non-NULL in practice
  switch (a.kind_) {
    case ValueKind::Double:
      // NaN sorts last, like Java's Double.compare.
      if (a.real_ < b.real_) return std::strong_ordering::less;
      if (a.real_ > b.real_) return std::strong_ordering::greater;
      if (a.real_ == b.real_) return std::strong_ordering::equal;
      return (a.real_ != a.real_) <=> (b.real_ != b.real_);
    case ValueKind::String: {
      int c = a.text_.compare(b.text_);  // std::string compares as unsigned char
      return c <=> 0;
    }
    default: return a.number_ <=> b.number_;
  }
}

}  // namespace ananas::ops
