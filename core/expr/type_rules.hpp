#pragma once
// Internal type predicates shared by the builders.
#include "core/types.hpp"

namespace ananas::expr::detail {

// Physical handling class of a type: what a node has to do with its values.
enum class Cat { Null, Boolean, Integer, Approx, Decimal, Character, Binary, Date, Time, Timestamp, IntervalDayTime,
                 IntervalYearMonth, Nested };
Cat category(const Type& t);

// Rank of an integer type (TINYINT 1 .. BIGINT 4), 0 for others.
int integer_rank(const Type& t);

// Two's-complement narrowing of a 64-bit value to the width of an integer type.
inline int64_t wrap_to(TypeId id, int64_t v) {
  switch (id) {
    case TypeId::TinyInt: return static_cast<int8_t>(static_cast<uint8_t>(v));
    case TypeId::SmallInt: return static_cast<int16_t>(static_cast<uint16_t>(v));
    case TypeId::Int: return static_cast<int32_t>(static_cast<uint32_t>(v));
    default: return v;
  }
}

// Java's narrowing of a double to an integer type: (long) saturates, NaN is 0;
// narrower types go through (int) and then wrap (Flink's CAST of DOUBLE to INT).
int64_t double_to_integer(double d, TypeId id);

}  // namespace ananas::expr::detail
