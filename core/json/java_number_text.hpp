#pragma once
// The text Java (and so Jackson, and so Flink) prints for numbers:
// Double.toString, Float.toString and BigDecimal.toString.
//
// Double/Float use the shortest digits that round-trip (std::to_chars), which
// is what JDK 19+ prints (JDK-4511638). The JDK 11/17 algorithm occasionally
// printed a longer digit string than needed for rare values; we accept that
// divergence rather than reimplement the old FloatingDecimal.
#include <string>

namespace ananas {

// Finite values only: Java's plain form for 1e-3 <= |d| < 1e7 (`0.1`, `1.0`,
// `1234567.0`), else computerized scientific notation (`1.0E7`, `1.0E-4`,
// `-1.5E300`). Zero prints as `0.0` or `-0.0`.
void append_java_double(std::string& out, double d);
void append_java_float(std::string& out, float f);

// BigDecimal.toString of unscaled × 10^-scale: plain when scale >= 0 and the
// adjusted exponent >= -6 (`12.50`, `0.000001`), else scientific with an
// explicit exponent sign (`1E+2`, `2.7E-8`, `1.23E+5`).
void append_big_decimal(std::string& out, __int128 unscaled, int scale);
// BigDecimal.toPlainString (encode.decimal-as-plain-number).
void append_big_decimal_plain(std::string& out, __int128 unscaled, int scale);
// BigDecimal.stripTrailingZeros (zero becomes scale 0, like Jackson's DecimalNode.ZERO).
void strip_trailing_zeros(__int128& unscaled, int& scale);

// Decimal digits of a 128-bit integer, with a leading '-' when negative.
std::string int128_to_string(__int128 v);

}  // namespace ananas
