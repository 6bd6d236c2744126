#include "core/json/json_first_value.hpp"

#include <simdjson.h>

#include <cstring>

namespace ananas {

namespace {

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool ends_scalar(char c) { return is_json_space(c) || c == ',' || c == ':' || c == '{' || c == '}' || c == '[' || c == ']' || c == '"'; }

}  // namespace

bool JsonFirstValue::fail(size_t offset, std::string message) {
  error_offset_ = offset;
  error_ = std::move(message);
  return false;
}

void JsonFirstValue::put(char c) {
  if (size_ + simdjson::SIMDJSON_PADDING >= buf_.size()) buf_.resize((size_ + simdjson::SIMDJSON_PADDING) * 2);
  buf_[size_++] = c;
}

size_t JsonFirstValue::input_offset(size_t copy_offset) const {
  size_t shift = 0;
  for (size_t p : escape_points_) {
    if (p >= copy_offset) break;
    shift += copy_offset >= p + 6 ? 5 : copy_offset - p;
  }
  return skipped_prefix_ + copy_offset - shift;
}

bool JsonFirstValue::is_one_container(std::string_view in) {
  size_t i = 0;
  while (i < in.size() && is_json_space(in[i])) ++i;
  if (i == in.size() || (in[i] != '{' && in[i] != '[')) return false;
  std::string open;  // the brackets still open, innermost last
  for (; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '"') {
      // A quote closes the string unless an odd run of backslashes precedes
      // it: escapes are two characters, so the run's parity decides.
      for (size_t from = i + 1;;) {
        const void* q = std::memchr(in.data() + from, '"', in.size() - from);
        if (!q) return false;
        const size_t quote = static_cast<size_t>(static_cast<const char*>(q) - in.data());
        size_t backslashes = 0;
        while (quote - backslashes > i + 1 && in[quote - backslashes - 1] == '\\') ++backslashes;
        if (backslashes % 2 == 0) {
          i = quote;
          break;
        }
        from = quote + 1;
      }
    } else if (c == '{' || c == '[') {
      open.push_back(c);
    } else if (c == '}' || c == ']') {
      if (open.empty() || open.back() != (c == '}' ? '{' : '[')) return false;
      open.pop_back();
      if (open.empty()) {
        for (++i; i < in.size(); ++i)
          if (!is_json_space(in[i])) return false;
        return true;
      }
    }
  }
  return false;
}

bool JsonFirstValue::scan(std::string_view in) {
  size_ = 0;
  error_.clear();
  escape_points_.clear();
  open_.clear();
  if (buf_.size() < in.size() + simdjson::SIMDJSON_PADDING) buf_.resize(in.size() + simdjson::SIMDJSON_PADDING);

  size_t i = 0;
  while (i < in.size() && is_json_space(in[i])) ++i;
  skipped_prefix_ = i;
  if (i == in.size()) return fail(i, "no JSON value (only whitespace)");

  static constexpr char kHex[] = "0123456789abcdef";
  for (; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '"') {
      const size_t start = i;
      put(c);
      for (++i;; ++i) {
        if (i >= in.size()) return fail(start, "unclosed string");
        const char s = in[i];
        if (s == '\\') {
          if (i + 1 >= in.size()) return fail(start, "unclosed string");
          put(s);
          put(in[++i]);
        } else if (static_cast<unsigned char>(s) < 0x20) {
          escape_points_.push_back(size_);
          for (char e : {'\\', 'u', '0', '0', kHex[(s >> 4) & 0xF], kHex[s & 0xF]}) put(e);
        } else {
          put(s);
          if (s == '"') break;
        }
      }
    } else if (c == '{' || c == '[') {
      open_.push_back(i);
      put(c);
    } else if (c == '}' || c == ']') {
      if (open_.empty() || in[open_.back()] != (c == '}' ? '{' : '['))
        return fail(i, std::string("unexpected '") + c + "'");
      open_.pop_back();
      put(c);
    } else if (open_.empty() && !is_json_space(c)) {
      // A top-level scalar: everything up to the next delimiter.
      while (i < in.size() && !ends_scalar(in[i])) put(in[i++]);
      break;
    } else {
      put(c);
    }
    if (open_.empty()) break;  // the first value is complete
  }
  if (!open_.empty())
    return fail(open_.back(), in[open_.back()] == '{' ? "unclosed object" : "unclosed array");
  std::memset(buf_.data() + size_, 0, simdjson::SIMDJSON_PADDING);
  return true;
}

}  // namespace ananas
