#include "core/json/java_number_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace ananas {

namespace {

// Java's layout of shortest digits `digits` (no dot, no sign) with decimal
// exponent `exp` (value = d.ddd × 10^exp).
void append_java_layout(std::string& out, bool negative, std::string_view digits, int exp) {
  if (negative) out.push_back('-');
  if (exp >= -3 && exp < 7) {
    if (exp >= 0) {
      const size_t int_len = static_cast<size_t>(exp) + 1;
      if (digits.size() <= int_len) {
        out.append(digits);
        out.append(int_len - digits.size(), '0');
        out.append(".0");
      } else {
        out.append(digits.substr(0, int_len));
        out.push_back('.');
        out.append(digits.substr(int_len));
      }
    } else {
      out.append("0.");
      out.append(static_cast<size_t>(-exp - 1), '0');
      out.append(digits);
    }
    return;
  }
  out.push_back(digits[0]);
  out.push_back('.');
  if (digits.size() > 1) out.append(digits.substr(1));
  else out.push_back('0');
  out.push_back('E');
  char buf[8];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, exp);
  (void)ec;
  out.append(buf, end);
}

// Splits std::to_chars scientific output `-d.ddde+XX` into digits and exponent.
template <class F>
void append_java_floating(std::string& out, F value) {
  if (value == 0) {
    out.append(std::signbit(value) ? "-0.0" : "0.0");
    return;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  (void)ec;
  std::string_view text(buf, static_cast<size_t>(end - buf));
  bool negative = false;
  if (text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  // Java never prints fewer than two significant digits: when the shortest
  // form has one (5E-324), it takes the two-digit decimal closest to the
  // value if that still rounds to it (4.9E-324), as JDK 19+ specifies.
  if (text.find('.') == std::string_view::npos) {
    char two[64];
    auto [end2, ec2] = std::to_chars(two, two + sizeof two, value, std::chars_format::scientific, 1);
    F back{};
    if (ec2 == std::errc() && std::from_chars(two, end2, back).ec == std::errc() && back == value) {
      std::memcpy(buf, two, static_cast<size_t>(end2 - two));
      text = std::string_view(buf, static_cast<size_t>(end2 - two));
      if (text.front() == '-') text.remove_prefix(1);
    }
  }
  const size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e))
    if (c != '.') digits.push_back(c);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();  // "1.0e+07" → 1, layout adds ".0"
  int exp = 0;
  std::string_view exp_text = text.substr(e + 1);
  if (!exp_text.empty() && exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp);
  append_java_layout(out, negative, digits, exp);
}

}  // namespace

void append_java_double(std::string& out, double d) { append_java_floating(out, d); }
void append_java_float(std::string& out, float f) { append_java_floating(out, f); }

std::string int128_to_string(__int128 v) {
  const bool negative = v < 0;
  unsigned __int128 u = negative ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  char buf[48];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  } while (u != 0);
  if (negative) *--p = '-';
  return std::string(p, buf + sizeof buf);
}

void strip_trailing_zeros(__int128& unscaled, int& scale) {
  if (unscaled == 0) {
    scale = 0;
    return;
  }
  while (unscaled % 10 == 0) {
    unscaled /= 10;
    --scale;
  }
}

void append_big_decimal(std::string& out, __int128 unscaled, int scale) {
  std::string digits = int128_to_string(unscaled);
  const bool negative = digits.front() == '-';
  if (negative) digits.erase(0, 1);
  const long adjusted = -static_cast<long>(scale) + static_cast<long>(digits.size()) - 1;
  if (scale >= 0 && adjusted >= -6) {
    append_big_decimal_plain(out, unscaled, scale);
    return;
  }
  if (negative) out.push_back('-');
  out.push_back(digits[0]);
  if (digits.size() > 1) {
    out.push_back('.');
    out.append(digits, 1);
  }
  out.push_back('E');
  if (adjusted >= 0) out.push_back('+');
  out.append(std::to_string(adjusted));
}

void append_big_decimal_plain(std::string& out, __int128 unscaled, int scale) {
  std::string digits = int128_to_string(unscaled);
  const bool negative = digits.front() == '-';
  if (negative) {
    digits.erase(0, 1);
    out.push_back('-');
  }
  if (scale <= 0) {
    out.append(digits);
    if (unscaled != 0) out.append(static_cast<size_t>(-scale), '0');
    return;
  }
  const size_t s = static_cast<size_t>(scale);
  if (digits.size() <= s) {
    out.append("0.");
    out.append(s - digits.size(), '0');
    out.append(digits);
  } else {
    out.append(digits, 0, digits.size() - s);
    out.push_back('.');
    out.append(digits, digits.size() - s);
  }
}

}  // namespace ananas
