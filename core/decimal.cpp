#include "core/decimal.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "core/json/java_number_text.hpp"

namespace ananas {

namespace {

using u128 = unsigned __int128;

// A 512-bit two's-complement integer: enough for a 38-digit value scaled by
// 10^76 (a dividend rescaled for a quotient at scale 38), so every exact
// intermediate of DECIMAL arithmetic fits. Only the rare operands that
// overflow 128 bits come here.
struct Wide {
  static constexpr int kWords = 16;
  std::array<uint32_t, kWords> w{};

  static Wide from(__int128 v) {
    Wide r;
    u128 u = static_cast<u128>(v);
    for (int i = 0; i < 4; ++i) r.w[i] = static_cast<uint32_t>(u >> (32 * i));
    uint32_t fill = v < 0 ? 0xffffffffu : 0;
    for (int i = 4; i < kWords; ++i) r.w[i] = fill;
    return r;
  }
  bool negative() const { return (w[kWords - 1] >> 31) != 0; }
  bool is_zero() const {
    for (uint32_t x : w)
      if (x) return false;
    return true;
  }
  Wide negated() const {
    Wide r;
    uint64_t carry = 1;
    for (int i = 0; i < kWords; ++i) {
      uint64_t s = uint64_t{static_cast<uint32_t>(~w[i])} + carry;
      r.w[i] = static_cast<uint32_t>(s);
      carry = s >> 32;
    }
    return r;
  }
  Wide magnitude() const { return negative() ? negated() : *this; }
  friend Wide operator+(const Wide& a, const Wide& b) {
    Wide r;
    uint64_t carry = 0;
    for (int i = 0; i < kWords; ++i) {
      uint64_t s = uint64_t{a.w[i]} + b.w[i] + carry;
      r.w[i] = static_cast<uint32_t>(s);
      carry = s >> 32;
    }
    return r;
  }
  friend Wide operator-(const Wide& a, const Wide& b) { return a + b.negated(); }
  // Product modulo 2^512, which is the exact two's-complement product when it fits.
  friend Wide operator*(const Wide& a, const Wide& b) {
    Wide r;
    for (int i = 0; i < kWords; ++i) {
      if (a.w[i] == 0) continue;
      uint64_t carry = 0;
      for (int j = 0; i + j < kWords; ++j) {
        uint64_t cur = uint64_t{r.w[i + j]} + uint64_t{a.w[i]} * b.w[j] + carry;
        r.w[i + j] = static_cast<uint32_t>(cur);
        carry = cur >> 32;
      }
    }
    return r;
  }
  int compare_magnitude(const Wide& o) const {  // both non-negative
    for (int i = kWords - 1; i >= 0; --i)
      if (w[i] != o.w[i]) return w[i] < o.w[i] ? -1 : 1;
    return 0;
  }
  void shift_left_one() {
    for (int i = kWords - 1; i > 0; --i) w[i] = (w[i] << 1) | (w[i - 1] >> 31);
    w[0] <<= 1;
  }
  bool bit(int i) const { return (w[i / 32] >> (i % 32)) & 1u; }
  void set_bit(int i) { w[i / 32] |= 1u << (i % 32); }
  int bit_length() const {
    for (int i = kWords - 1; i >= 0; --i)
      if (w[i]) return i * 32 + 32 - __builtin_clz(w[i]);
    return 0;
  }
  // Fits a signed 128-bit value?
  std::optional<__int128> to_i128() const {
    uint32_t fill = negative() ? 0xffffffffu : 0;
    for (int i = 4; i < kWords; ++i)
      if (w[i] != fill) return std::nullopt;
    u128 u = 0;
    for (int i = 3; i >= 0; --i) u = (u << 32) | w[i];
    __int128 v = static_cast<__int128>(u);
    if ((v < 0) != negative()) return std::nullopt;
    return v;
  }
};

// Magnitudes only (both non-negative, d non-zero): shift-subtract long division.
void divmod(const Wide& n, const Wide& d, Wide& q, Wide& r) {
  q = Wide{};
  r = Wide{};
  for (int i = n.bit_length() - 1; i >= 0; --i) {
    r.shift_left_one();
    if (n.bit(i)) r.w[0] |= 1u;
    if (r.compare_magnitude(d) >= 0) {
      r = r - d;
      q.set_bit(i);
    }
  }
}

Wide wide_pow10(int n) {
  Wide r = Wide::from(1);
  Wide ten9 = Wide::from(1000000000);
  for (; n >= 9; n -= 9) r = r * ten9;
  return r * Wide::from(pow10_i128(n));
}

// Signed quotient of n / d rounded HALF_UP (away from zero on ties).
Wide divide_half_up(const Wide& n, const Wide& d) {
  bool neg = n.negative() != d.negative();
  Wide q, r;
  Wide dm = d.magnitude();
  divmod(n.magnitude(), dm, q, r);
  Wide twice = r + r;
  if (twice.compare_magnitude(dm) >= 0) q = q + Wide::from(1);
  return neg ? q.negated() : q;
}

// Exact value `v` at scale `from` brought to scale `to`, then range-checked.
std::optional<__int128> finish(const Wide& v, int from, int precision, int to) {
  Wide r = to >= from ? v * wide_pow10(to - from) : divide_half_up(v, wide_pow10(from - to));
  auto out = r.to_i128();
  if (!out || !decimal_fits(*out, precision)) return std::nullopt;
  return out;
}

// Multiplies by 10^n in 128 bits, or reports overflow.
bool scale_up(__int128 v, int n, __int128& out) {
  if (n > 38) return v == 0 ? (out = 0, true) : false;
  return !__builtin_mul_overflow(v, pow10_i128(n), &out);
}

// HALF_UP division in 128 bits (d != 0, no overflow possible for the quotient).
__int128 div_half_up_128(__int128 n, __int128 d) {
  __int128 q = n / d;
  __int128 r = n % d;
  u128 ar = r < 0 ? -static_cast<u128>(r) : static_cast<u128>(r);
  u128 ad = d < 0 ? -static_cast<u128>(d) : static_cast<u128>(d);
  if (ar >= ad - ar) q += ((n < 0) != (d < 0)) ? -1 : 1;
  return q;
}

std::optional<__int128> checked(__int128 v, int precision) {
  if (!decimal_fits(v, precision)) return std::nullopt;
  return v;
}

}  // namespace

__int128 pow10_i128(int n) {
  static const auto table = [] {
    std::array<__int128, 39> t{};
    t[0] = 1;
    for (int i = 1; i < 39; ++i) t[i] = t[i - 1] * 10;
    return t;
  }();
  return table[static_cast<size_t>(std::clamp(n, 0, 38))];
}

int decimal_digit_count(__int128 v) {
  u128 u = v < 0 ? -static_cast<u128>(v) : static_cast<u128>(v);
  int digits = 1;
  while (digits < 39 && u >= static_cast<u128>(pow10_i128(digits))) ++digits;
  return digits;
}

bool decimal_fits(__int128 unscaled, int precision) {
  if (precision >= 39) return true;
  u128 u = unscaled < 0 ? -static_cast<u128>(unscaled) : static_cast<u128>(unscaled);
  return u < static_cast<u128>(pow10_i128(precision));
}

// ------------------------------------------------------------ result types

Type decimal_type_of(const Type& t) {
  Type d;
  switch (t.id) {
    case TypeId::TinyInt: d = Type::decimal(3, 0); break;
    case TypeId::SmallInt: d = Type::decimal(5, 0); break;
    case TypeId::Int: d = Type::decimal(10, 0); break;
    case TypeId::BigInt: d = Type::decimal(19, 0); break;
    default: return t;
  }
  return d.with_nullable(t.nullable);
}

Type decimal_adjusted(int precision, int scale) {
  if (precision <= kMaxDecimalPrecision) return Type::decimal(precision, scale);
  int integer_digits = precision - scale;
  int min_scale = std::min(scale, kMinAdjustedDecimalScale);
  return Type::decimal(kMaxDecimalPrecision, std::max(kMaxDecimalPrecision - integer_digits, min_scale));
}

static Type with_nulls(Type t, const Type& a, const Type& b) { return t.with_nullable(a.nullable || b.nullable); }

Type decimal_add_type(const Type& a, const Type& b) {
  int scale = std::max(a.scale, b.scale);
  int precision = std::max(a.precision - a.scale, b.precision - b.scale) + scale + 1;
  return with_nulls(decimal_adjusted(precision, scale), a, b);
}

Type decimal_multiply_type(const Type& a, const Type& b) {
  return with_nulls(decimal_adjusted(a.precision + b.precision + 1, a.scale + b.scale), a, b);
}

Type decimal_divide_type(const Type& a, const Type& b) {
  int scale = std::max(kMinAdjustedDecimalScale, a.scale + b.precision + 1);
  int precision = a.precision - a.scale + b.scale + scale;
  return with_nulls(decimal_adjusted(precision, scale), a, b);
}

Type decimal_modulo_type(const Type& a, const Type& b) {
  int scale = std::max(a.scale, b.scale);
  int precision = std::min(a.precision - a.scale, b.precision - b.scale) + scale;
  return with_nulls(decimal_adjusted(precision, scale), a, b);
}

Type decimal_literal_type(std::string_view text) {
  // Calcite's SqlLiteral.createExactNumeric: precision counts every digit written.
  size_t point = text.find('.');
  int length = static_cast<int>(text.size());
  if (point == std::string_view::npos) return Type::decimal(std::max(1, length), 0).with_nullable(false);
  int scale = point + 1 == text.size() ? 0 : length - static_cast<int>(point) - 1;
  return Type::decimal(std::max(1, length - 1), scale).with_nullable(false);
}

// ------------------------------------------------------------ arithmetic

static std::optional<__int128> add_or_subtract(__int128 a, int sa, __int128 b, int sb, int precision, int scale,
                                               bool subtract) {
  int common = std::max(sa, sb);
  __int128 x, y, sum;
  if (scale == common && scale_up(a, common - sa, x) && scale_up(b, common - sb, y) &&
      !(subtract ? __builtin_sub_overflow(x, y, &sum) : __builtin_add_overflow(x, y, &sum)))
    return checked(sum, precision);
  Wide wa = Wide::from(a) * wide_pow10(common - sa);
  Wide wb = Wide::from(b) * wide_pow10(common - sb);
  return finish(subtract ? wa - wb : wa + wb, common, precision, scale);
}

std::optional<__int128> decimal_add(__int128 a, int sa, __int128 b, int sb, int precision, int scale) {
  return add_or_subtract(a, sa, b, sb, precision, scale, false);
}

std::optional<__int128> decimal_subtract(__int128 a, int sa, __int128 b, int sb, int precision, int scale) {
  return add_or_subtract(a, sa, b, sb, precision, scale, true);
}

std::optional<__int128> decimal_multiply(__int128 a, int sa, __int128 b, int sb, int precision, int scale) {
  __int128 p;
  if (!__builtin_mul_overflow(a, b, &p)) {
    if (scale == sa + sb) return checked(p, precision);
    if (scale < sa + sb) return checked(div_half_up_128(p, pow10_i128(sa + sb - scale)), precision);
  }
  return finish(Wide::from(a) * Wide::from(b), sa + sb, precision, scale);
}

std::optional<__int128> decimal_divide(__int128 a, int sa, __int128 b, int sb, int precision, int scale) {
  // T = |a/b| truncated at scale + 1 (one guard digit), R the remainder:
  // T = floor(|a|·10^shift / |b|) or floor(|a| / (|b|·10^-shift)).
  int shift = scale + 1 - sa + sb;
  bool negative = (a < 0) != (b < 0);
  __int128 abs_a = a < 0 ? -a : a, abs_b = b < 0 ? -b : b;
  __int128 n128;
  std::optional<__int128> t128;
  Wide r;
  if (shift >= 0 && scale_up(abs_a, shift, n128)) {  // the common case stays in 128 bits
    t128 = n128 / abs_b;
    r = Wide::from(n128 % abs_b);
  } else {
    Wide n = Wide::from(abs_a), d = Wide::from(abs_b), t;
    if (shift >= 0) n = n * wide_pow10(shift);
    else d = d * wide_pow10(-shift);
    divmod(n, d, t, r);
    t128 = t.to_i128();
    if (!t128) return std::nullopt;  // far more than 38 digits
  }
  __int128 q = *t128 / 10;
  int guard = static_cast<int>(*t128 % 10);
  bool up = guard >= 5;
  if (guard == 4 && !r.is_zero()) {
    Wide d = Wide::from(abs_b);
    if (shift < 0) d = d * wide_pow10(-shift);
    // MathContext(38, HALF_UP) rounds at the 38th significant digit first; if
    // the digits after the guard digit up to there are all 9 and then >= 5,
    // that carries into the guard digit, which then rounds up.
    int digits = decimal_digit_count(*t128);  // significant digits of T
    int beyond = 39 - digits;                 // digits kept after the guard digit
    if (beyond >= 1) {
      Wide lhs = r * wide_pow10(beyond);
      Wide rhs = d * (wide_pow10(beyond) - Wide::from(5));
      up = lhs.compare_magnitude(rhs) >= 0;
    }
  }
  if (up) ++q;
  return checked(negative ? -q : q, precision);
}

std::optional<__int128> decimal_modulo(__int128 a, int sa, __int128 b, int sb, int precision, int scale) {
  int common = std::max(sa, sb);
  Wide wa = Wide::from(a) * wide_pow10(common - sa);
  Wide wb = Wide::from(b) * wide_pow10(common - sb);
  Wide q, r;
  divmod(wa.magnitude(), wb.magnitude(), q, r);
  if (wa.negative()) r = r.negated();
  return finish(r, common, precision, scale);
}

std::optional<__int128> decimal_rescale(__int128 v, int from_scale, int precision, int to_scale) {
  if (to_scale == from_scale) return checked(v, precision);
  __int128 up;
  if (to_scale > from_scale) {
    if (!scale_up(v, to_scale - from_scale, up)) return std::nullopt;
    return checked(up, precision);
  }
  if (from_scale - to_scale > 38) return checked(0, precision);
  return checked(div_half_up_128(v, pow10_i128(from_scale - to_scale)), precision);
}

std::optional<__int128> decimal_round(__int128 v, int scale, int digits) {
  int drop = scale - digits;
  if (drop <= 0) return v;
  if (drop > 38) return 0;
  __int128 rounded = div_half_up_128(v, pow10_i128(drop));
  __int128 out;
  if (!scale_up(rounded, drop, out) || !decimal_fits(out, kMaxDecimalPrecision)) return std::nullopt;
  return out;
}

int decimal_compare(__int128 a, int sa, __int128 b, int sb) {
  int common = std::max(sa, sb);
  __int128 x, y;
  if (scale_up(a, common - sa, x) && scale_up(b, common - sb, y)) return x < y ? -1 : (x > y ? 1 : 0);
  Wide diff = Wide::from(a) * wide_pow10(common - sa) - Wide::from(b) * wide_pow10(common - sb);
  return diff.is_zero() ? 0 : (diff.negative() ? -1 : 1);
}

// ------------------------------------------------------------ conversions

double decimal_to_double(__int128 unscaled, int scale, int precision) {
  if (precision <= 18 && scale >= 0 && scale <= 18)
    return static_cast<double>(static_cast<int64_t>(unscaled)) / static_cast<double>(static_cast<int64_t>(pow10_i128(scale)));
  // Exact operands give a correctly rounded quotient; otherwise go through the text.
  constexpr __int128 kExact = __int128{1} << 53;
  if (unscaled > -kExact && unscaled < kExact && scale >= 0 && scale <= 22)
    return static_cast<double>(static_cast<int64_t>(unscaled)) / std::pow(10.0, scale);
  std::string text = decimal_to_plain_string(unscaled, scale);
  return std::strtod(text.c_str(), nullptr);
}

std::optional<__int128> decimal_from_double(double d, int precision, int scale) {
  if (!std::isfinite(d)) return std::nullopt;
  std::string text;
  append_java_double(text, d);
  DecimalParse p = parse_decimal(text, precision, scale);
  if (p.status != DecimalParse::Status::Ok) return std::nullopt;
  return p.unscaled;
}

__int128 decimal_truncate_to_integer(__int128 unscaled, int scale) {
  if (scale <= 0) return unscaled;
  if (scale > 38) return 0;
  return unscaled / pow10_i128(scale);
}

DecimalParse parse_decimal(std::string_view text, int precision, int scale) {
  DecimalParse out;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  // Significant digits (leading zeros dropped) and the power of ten they are scaled by.
  std::string digits;
  int exponent = 0;
  bool any_digit = false, seen_point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      any_digit = true;
      if (!(digits.empty() && c == '0')) digits += c;
      if (seen_point) --exponent;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any_digit) return out;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    if (i == text.size()) return out;
    long e = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) e = std::min(e * 10 + (text[i] - '0'), 100000L);
    exponent += static_cast<int>(exp_negative ? -e : e);
  }
  if (i != text.size()) return out;
  // value = digits · 10^exponent; wanted at `scale`: digits · 10^(exponent + scale).
  int shift = exponent + scale;
  __int128 unscaled = 0;
  if (digits.empty()) {
    unscaled = 0;
  } else if (static_cast<int>(digits.size()) + shift > precision) {
    // Rounding can only add a digit, never remove one: definitely too wide.
    out.status = DecimalParse::Status::Overflow;
    return out;
  } else {
    int keep = static_cast<int>(digits.size()) + std::min(shift, 0);  // digits left of the rounding point
    for (int k = 0; k < keep; ++k) unscaled = unscaled * 10 + (digits[static_cast<size_t>(k)] - '0');
    if (keep >= 0 && keep < static_cast<int>(digits.size()) && digits[static_cast<size_t>(keep)] >= '5') ++unscaled;
    if (shift > 0) unscaled *= pow10_i128(shift);
  }
  if (negative) unscaled = -unscaled;
  if (!decimal_fits(unscaled, precision)) {
    out.status = DecimalParse::Status::Overflow;
    return out;
  }
  out.status = DecimalParse::Status::Ok;
  out.unscaled = unscaled;
  return out;
}

std::string decimal_to_string(__int128 unscaled, int scale) {
  std::string s;
  append_big_decimal(s, unscaled, scale);
  return s;
}

std::string decimal_to_plain_string(__int128 unscaled, int scale) {
  std::string s;
  append_big_decimal_plain(s, unscaled, scale);
  return s;
}

Value decimal_value(__int128 unscaled, Arena& arena) {
  if (unscaled >= INT64_MIN && unscaled <= INT64_MAX) return Value::decimal(static_cast<int64_t>(unscaled));
  auto* slot = arena.allocate_array<__int128>(1);
  *slot = unscaled;
  return Value::big_decimal(slot);
}

}  // namespace ananas
