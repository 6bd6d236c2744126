#include "cli/top/prometheus_text.hpp"

#include <cmath>
#include <cstdlib>
#include <optional>

namespace ananas::cli {

namespace {

bool is_name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (!first && c >= '0' && c <= '9');
}

// Label values escape `\`, `"` and newlines (the exposition format's rules).
std::optional<std::string> read_quoted(std::string_view line, size_t& i) {
  if (i >= line.size() || line[i] != '"') return std::nullopt;
  std::string out;
  for (++i; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"') {
      ++i;
      return out;
    }
    if (c == '\\' && i + 1 < line.size()) {
      c = line[++i];
      out.push_back(c == 'n' ? '\n' : c);
    } else {
      out.push_back(c);
    }
  }
  return std::nullopt;  // unterminated
}

std::optional<double> read_value(std::string_view token) {
  if (token == "+Inf" || token == "Inf") return HUGE_VAL;
  if (token == "-Inf") return -HUGE_VAL;
  if (token == "NaN") return std::nan("");
  const std::string s(token);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0') return std::nullopt;
  return v;
}

std::optional<MetricSample> parse_line(std::string_view line) {
  MetricSample s;
  size_t i = 0;
  while (i < line.size() && is_name_char(line[i], i == 0)) ++i;
  if (i == 0) return std::nullopt;
  s.name = std::string(line.substr(0, i));
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      const size_t start = i;
      while (i < line.size() && is_name_char(line[i], i == start)) ++i;
      if (i == start || i >= line.size() || line[i] != '=') return std::nullopt;
      std::string key(line.substr(start, i - start));
      ++i;
      auto value = read_quoted(line, i);
      if (!value) return std::nullopt;
      s.labels.emplace(std::move(key), std::move(*value));
      if (i < line.size() && line[i] == ',') ++i;
    }
    if (i >= line.size()) return std::nullopt;
    ++i;  // '}'
  }
  while (i < line.size() && line[i] == ' ') ++i;
  const size_t end = line.find(' ', i);
  auto value = read_value(line.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
  if (!value) return std::nullopt;
  s.value = *value;
  return s;
}

}  // namespace

std::vector<MetricSample> parse_prometheus_text(std::string_view text) {
  std::vector<MetricSample> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;
    if (line.empty() || line.front() == '#') continue;
    if (auto s = parse_line(line)) out.push_back(std::move(*s));
  }
  return out;
}

}  // namespace ananas::cli
