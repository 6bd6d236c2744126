#include "core/expr/type_rules.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/decimal.hpp"
#include "core/expr/builders.hpp"

namespace ananas::expr {

namespace detail {

// Java's narrowing of a double: (long) saturates, NaN is 0; narrower
// integer types go through (int) and then wrap.
int64_t double_to_integer(double d, TypeId id) {
  if (std::isnan(d)) return 0;
  if (id == TypeId::BigInt) {
    if (d >= 9.2233720368547758e18) return INT64_MAX;
    if (d <= -9.2233720368547758e18) return INT64_MIN;
    return static_cast<int64_t>(d);
  }
  int64_t as_int = d >= 2147483647.0 ? INT32_MAX : d <= -2147483648.0 ? INT32_MIN : static_cast<int64_t>(d);
  return wrap_to(id, as_int);
}


Cat category(const Type& t) {
  switch (t.id) {
    case TypeId::Null: return Cat::Null;
    case TypeId::Boolean: return Cat::Boolean;
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Int:
    case TypeId::BigInt: return Cat::Integer;
    case TypeId::Float:
    case TypeId::Double: return Cat::Approx;
    case TypeId::Decimal: return Cat::Decimal;
    case TypeId::Char:
    case TypeId::Varchar: return Cat::Character;
    case TypeId::Binary: return Cat::Binary;
    case TypeId::Date: return Cat::Date;
    case TypeId::Time: return Cat::Time;
    case TypeId::Timestamp:
    case TypeId::TimestampLtz: return Cat::Timestamp;
    case TypeId::IntervalDayTime: return Cat::IntervalDayTime;
    case TypeId::IntervalYearMonth: return Cat::IntervalYearMonth;
    case TypeId::Array:
    case TypeId::Map:
    case TypeId::Row: return Cat::Nested;
  }
  return Cat::Nested;
}

int integer_rank(const Type& t) {
  switch (t.id) {
    case TypeId::TinyInt: return 1;
    case TypeId::SmallInt: return 2;
    case TypeId::Int: return 3;
    case TypeId::BigInt: return 4;
    default: return 0;
  }
}

}  // namespace detail

using detail::Cat;
using detail::category;

std::optional<Type> common_type(const Type& a, const Type& b) {
  bool nullable = a.nullable || b.nullable;
  if (a.id == TypeId::Null) return b.with_nullable(true);
  if (b.id == TypeId::Null) return a.with_nullable(true);
  Cat ca = category(a), cb = category(b);
  auto result = [&](Type t) { return std::optional<Type>(t.with_nullable(nullable)); };
  bool numeric_a = a.is_numeric(), numeric_b = b.is_numeric();
  if (numeric_a && numeric_b) {
    if (ca == Cat::Integer && cb == Cat::Integer) return result(detail::integer_rank(a) >= detail::integer_rank(b) ? a : b);
    if (ca == Cat::Approx || cb == Cat::Approx) {
      if (a.id == TypeId::Float && b.id == TypeId::Float) return result(Type::float_type());
      return result(Type::double_type());
    }
    // Calcite's leastRestrictive for exact numerics: keep every integer and fraction digit, cap at 38.
    Type da = decimal_type_of(a), db = decimal_type_of(b);
    int scale = std::max(da.scale, db.scale);
    int integer_digits = std::max(da.precision - da.scale, db.precision - db.scale);
    return result(Type::decimal(std::min(kMaxDecimalPrecision, integer_digits + scale), scale));
  }
  if (ca == Cat::Character && cb == Cat::Character) {
    // CHARs of different lengths widen to VARCHAR without blank padding
    // (Flink converts ragged CHAR unions to VARCHAR, FLINK-9559).
    if (a.id == TypeId::Char && b.id == TypeId::Char && a.length == b.length) return result(a);
    return result(Type::varchar(std::max(a.length, b.length)));
  }
  if (ca != cb) {
    if ((ca == Cat::Date && cb == Cat::Timestamp) || (ca == Cat::Timestamp && cb == Cat::Date))
      return result(ca == Cat::Timestamp ? a.with_time_attr(TimeAttr::None) : b.with_time_attr(TimeAttr::None));
    return std::nullopt;
  }
  switch (ca) {
    case Cat::Boolean:
    case Cat::Date:
    case Cat::IntervalDayTime:
    case Cat::IntervalYearMonth: return result(a);
    case Cat::Binary: return result(a.length >= b.length ? a : b);
    case Cat::Time: return result(a.precision >= b.precision ? a : b);
    case Cat::Timestamp: {
      if (a.id != b.id) return std::nullopt;
      Type t = a.precision >= b.precision ? a : b;
      return result(t.with_time_attr(TimeAttr::None));
    }
    case Cat::Nested:
      if (a.same_shape(b)) return result(a);
      return std::nullopt;
    default: return std::nullopt;
  }
}

std::string type_family_name(const Type& t) {
  switch (t.id) {
    case TypeId::Null: return "NULL";
    case TypeId::Boolean: return "BOOLEAN";
    case TypeId::TinyInt: return "TINYINT";
    case TypeId::SmallInt: return "SMALLINT";
    case TypeId::Int: return "INT";
    case TypeId::BigInt: return "BIGINT";
    case TypeId::Float: return "FLOAT";
    case TypeId::Double: return "DOUBLE";
    case TypeId::Decimal: return "DECIMAL";
    case TypeId::Char: return "CHAR";
    case TypeId::Varchar: return "VARCHAR";
    case TypeId::Binary: return "BINARY";
    case TypeId::Date: return "DATE";
    case TypeId::Time: return "TIME";
    case TypeId::Timestamp: return "TIMESTAMP";
    case TypeId::TimestampLtz: return "TIMESTAMP_LTZ";
    case TypeId::IntervalDayTime: return "INTERVAL DAY TO SECOND";
    case TypeId::IntervalYearMonth: return "INTERVAL YEAR TO MONTH";
    case TypeId::Array: return "ARRAY";
    case TypeId::Map: return "MAP";
    case TypeId::Row: return "ROW";
  }
  return "UNKNOWN";
}

}  // namespace ananas::expr
