#include "core/expr/date_pattern.hpp"

#include <cstdio>

#include "core/timefmt.hpp"

namespace ananas::expr {

namespace {

bool supported(char c) {
  return c == 'y' || c == 'M' || c == 'd' || c == 'H' || c == 'm' || c == 's' || c == 'S';
}

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

void append_padded(std::string& out, int64_t v, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(v));
  out += buf;
}

}  // namespace

std::optional<DatePattern> DatePattern::compile(std::string_view p, std::string* error) {
  DatePattern out;
  for (size_t i = 0; i < p.size();) {
    char c = p[i];
    if (c == '\'') {
      // 'text' is literal; '' is a single quote.
      size_t j = i + 1;
      std::string lit;
      if (j < p.size() && p[j] == '\'') {
        lit = "'";
        j += 1;
      } else {
        while (j < p.size()) {
          if (p[j] == '\'') {
            if (j + 1 < p.size() && p[j + 1] == '\'') {
              lit += '\'';
              j += 2;
              continue;
            }
            break;
          }
          lit += p[j++];
        }
        if (j >= p.size()) {
          if (error) *error = "unterminated quote in date pattern '" + std::string(p) + "'";
          return std::nullopt;
        }
        ++j;
      }
      out.fields_.push_back({0, 0, lit});
      i = j;
      continue;
    }
    if (is_letter(c)) {
      if (!supported(c)) {
        if (error)
          *error = std::string("unsupported letter '") + c + "' in date pattern '" + std::string(p) +
                   "' (supported: y M d H m s S)";
        return std::nullopt;
      }
      size_t j = i;
      while (j < p.size() && p[j] == c) ++j;
      out.fields_.push_back({c, static_cast<int>(j - i), {}});
      i = j;
      continue;
    }
    out.fields_.push_back({0, 0, std::string(1, c)});
    ++i;
  }
  return out;
}

void DatePattern::format(std::string& out, int64_t millis) const {
  int64_t days = floor_div(millis, kMillisPerDay);
  int64_t ms_of_day = floor_mod(millis, kMillisPerDay);
  CivilDate d = civil_from_days(days);
  for (const Field& f : fields_) {
    switch (f.letter) {
      case 0: out += f.literal; break;
      case 'y':
        if (f.width == 2) append_padded(out, d.year % 100, 2);  // SimpleDateFormat: yy is the last two digits
        else append_padded(out, d.year, f.width);
        break;
      case 'M': append_padded(out, d.month, f.width); break;
      case 'd': append_padded(out, d.day, f.width); break;
      case 'H': append_padded(out, ms_of_day / kMillisPerHour, f.width); break;
      case 'm': append_padded(out, ms_of_day / kMillisPerMinute % 60, f.width); break;
      case 's': append_padded(out, ms_of_day / kMillisPerSecond % 60, f.width); break;
      case 'S': append_padded(out, ms_of_day % 1000, f.width); break;
    }
  }
}

std::optional<int64_t> DatePattern::parse(std::string_view text) const {
  int64_t year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, milli = 0;
  size_t pos = 0;
  for (size_t k = 0; k < fields_.size(); ++k) {
    const Field& f = fields_[k];
    if (f.letter == 0) {
      if (text.substr(pos, f.literal.size()) != f.literal) return std::nullopt;
      pos += f.literal.size();
      continue;
    }
    // A numeric field followed by another numeric field takes exactly its width (yyyyMMdd).
    bool adjacent = k + 1 < fields_.size() && fields_[k + 1].letter != 0;
    size_t max_digits = adjacent ? static_cast<size_t>(f.width) : 9;
    size_t start = pos;
    int64_t v = 0;
    while (pos < text.size() && pos - start < max_digits && text[pos] >= '0' && text[pos] <= '9') v = v * 10 + (text[pos++] - '0');
    if (pos == start) return std::nullopt;
    switch (f.letter) {
      case 'y': year = v; break;
      case 'M': month = v; break;
      case 'd': day = v; break;
      case 'H': hour = v; break;
      case 'm': minute = v; break;
      case 's': second = v; break;
      case 'S': milli = v; break;
    }
  }
  if (pos != text.size()) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || milli > 999)
    return std::nullopt;
  int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  if (civil_from_days(days).day != static_cast<unsigned>(day)) return std::nullopt;  // Feb 30
  return days * kMillisPerDay + hour * kMillisPerHour + minute * kMillisPerMinute + second * kMillisPerSecond + milli;
}

}  // namespace ananas::expr
