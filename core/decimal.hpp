#pragma once
// DECIMAL(p, s) as Flink computes it: unscaled values in an __int128 (38
// digits fit), result types from LogicalTypeMerging (Flink: LogicalTypeMerging.findDivisionDecimalType and friends), HALF_UP
// rounding to the result scale, and NULL (std::nullopt here) when a result
// does not fit its precision. Intermediate products and scaled dividends can
// need more than 128 bits; those cases take an exact wide-integer path, the
// common small cases stay in 128-bit arithmetic.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/arena.hpp"
#include "core/types.hpp"
#include "core/value.hpp"

namespace ananas {

inline constexpr int kMaxDecimalPrecision = 38;
// Flink keeps at least this many fraction digits when a result type is capped to 38.
inline constexpr int kMinAdjustedDecimalScale = 6;

// 10^n for 0 <= n <= 38.
__int128 pow10_i128(int n);
// Digits of |v| (0 has one digit).
int decimal_digit_count(__int128 v);
bool decimal_fits(__int128 unscaled, int precision);

// ------------------------------------------------------------ result types

// TINYINT/SMALLINT/INT/BIGINT as DECIMAL(3/5/10/19, 0); DECIMAL unchanged.
// Nullability is kept.
Type decimal_type_of(const Type& exact_numeric);
// Caps a (precision, scale) to 38 digits the way Flink does (adjustPrecisionScale).
Type decimal_adjusted(int precision, int scale);
// Result types of DECIMAL arithmetic; operands are DECIMAL types (use
// decimal_type_of for integers). Result nullable if either operand is.
Type decimal_add_type(const Type& a, const Type& b);  // also subtraction
Type decimal_multiply_type(const Type& a, const Type& b);
Type decimal_divide_type(const Type& a, const Type& b);
Type decimal_modulo_type(const Type& a, const Type& b);
// The type Calcite gives an exact numeric literal with a point: "100.0" ->
// DECIMAL(4, 1), ".5" -> DECIMAL(1, 1), "5." -> DECIMAL(1, 0). NOT NULL.
Type decimal_literal_type(std::string_view text);

// ------------------------------------------------------------ arithmetic
// Operands are unscaled values with their scales; results are at
// `scale`, rounded HALF_UP, nullopt when they need more than `precision` digits.

std::optional<__int128> decimal_add(__int128 a, int sa, __int128 b, int sb, int precision, int scale);
std::optional<__int128> decimal_subtract(__int128 a, int sa, __int128 b, int sb, int precision, int scale);
std::optional<__int128> decimal_multiply(__int128 a, int sa, __int128 b, int sb, int precision, int scale);
// Flink divides with MathContext(38, HALF_UP) and then rounds HALF_UP to
// `scale`; the rare quotients where that double rounding differs from one
// rounding are reproduced. Precondition: b != 0 (the caller reports division by zero).
std::optional<__int128> decimal_divide(__int128 a, int sa, __int128 b, int sb, int precision, int scale);
// Remainder with the sign of the dividend (BigDecimal.remainder). Precondition: b != 0.
std::optional<__int128> decimal_modulo(__int128 a, int sa, __int128 b, int sb, int precision, int scale);
// Changes the scale (HALF_UP when digits are dropped) and checks the precision.
std::optional<__int128> decimal_rescale(__int128 v, int from_scale, int precision, int to_scale);
// Rounds to `digits` fraction digits (negative: to tens, hundreds...) HALF_UP,
// keeping `scale` as the representation scale; nullopt if the result does not fit 38 digits.
std::optional<__int128> decimal_round(__int128 v, int scale, int digits);
// Exact three-way comparison of a·10^-sa and b·10^-sb (-1, 0, 1).
int decimal_compare(__int128 a, int sa, __int128 b, int sb);

// ------------------------------------------------------------ conversions

// As Flink's DecimalDataUtils.doubleValue: a compact decimal (precision <= 18)
// divides its long by 10^scale in double arithmetic; a wider one is
// converted correctly rounded (BigDecimal.doubleValue).
double decimal_to_double(__int128 unscaled, int scale, int precision = kMaxDecimalPrecision);
// BigDecimal.valueOf(d) (shortest round-trip digits) rescaled HALF_UP;
// nullopt for NaN/infinity or when the value does not fit.
std::optional<__int128> decimal_from_double(double d, int precision, int scale);
// Integer part, truncated toward zero (BigDecimal.longValue() before narrowing).
__int128 decimal_truncate_to_integer(__int128 unscaled, int scale);

struct DecimalParse {
  enum class Status { Ok, Malformed, Overflow };
  Status status = Status::Malformed;
  __int128 unscaled = 0;
};
// `[+-]digits[.digits][e[+-]digits]`, surrounding whitespace allowed (Flink
// trims before casting); extra fraction digits rounded HALF_UP.
DecimalParse parse_decimal(std::string_view text, int precision, int scale);

// BigDecimal.toString (scientific for small adjusted exponents, `1E-7`).
std::string decimal_to_string(__int128 unscaled, int scale);
// BigDecimal.toPlainString: what Flink's DecimalData.toString, and therefore
// CAST(decimal AS STRING), prints (`0.0000001`, `12.50`).
std::string decimal_to_plain_string(__int128 unscaled, int scale);

// A decimal cell: inline when it fits 64 bits, else the 128-bit value is copied into `arena`.
Value decimal_value(__int128 unscaled, Arena& arena);

}  // namespace ananas
