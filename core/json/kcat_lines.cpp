#include "core/json/kcat_lines.hpp"

#include <cctype>
#include <charconv>

#include "core/diagnostic.hpp"
#include "core/json/json_text.hpp"

namespace ananas {

namespace {

// A minimal reader for the flat objects kcat prints. Hand-written because
// kcat copies non-UTF-8 bytes raw into its strings, which every JSON library
// here (simdjson, nlohmann) rejects.
class KcatLineReader {
 public:
  KcatLineReader(std::string_view text, int line, const std::string& file) : s_(text), line_(line), file_(file) {}

  [[noreturn]] void fail(const std::string& message, size_t at) const {
    throw InputError(SourceLocation{file_, line_, static_cast<int>(at) + 1}, message);
  }
  [[noreturn]] void fail(const std::string& message) const { fail(message, pos_); }

  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r' || s_[pos_] == '\n')) ++pos_;
  }
  bool at_end() {
    skip_space();
    return pos_ == s_.size();
  }
  char peek() {
    skip_space();
    return pos_ < s_.size() ? s_[pos_] : '\0';
  }
  void expect(char c) {
    if (peek() != c) fail(pos_ < s_.size() ? std::string("expected '") + c + "'" : std::string("line ends where '") + c + "' was expected");
    ++pos_;
  }
  bool literal(std::string_view word) {
    skip_space();
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  std::string string_value() {
    expect('"');
    const size_t start = pos_ - 1;
    std::string out;
    while (true) {
      if (pos_ >= s_.size()) fail("unclosed string", start);
      const char c = s_[pos_++];
      if (c == '"') return out;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) fail("unclosed string", start);
      const char e = s_[pos_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': append_code_point(out); break;
        default: fail(std::string("invalid escape '\\") + e + "'", pos_ - 2);
      }
    }
  }

  int64_t integer_value() {
    skip_space();
    const size_t start = pos_;
    int64_t v = 0;
    auto [end, ec] = std::from_chars(s_.data() + pos_, s_.data() + s_.size(), v);
    if (ec != std::errc() || (end < s_.data() + s_.size() && (*end == '.' || *end == 'e' || *end == 'E')))
      fail("expected an integer", start);
    pos_ = static_cast<size_t>(end - s_.data());
    return v;
  }

  std::optional<std::string> nullable_string() {
    if (literal("null")) return std::nullopt;
    return string_value();
  }

  // Skips any JSON value (used for members this format does not need).
  void skip_value(int depth = 0) {
    if (depth > 64) fail("nested too deeply");
    const char c = peek();
    if (c == '"') {
      string_value();
    } else if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++pos_;
      if (peek() == close) {
        ++pos_;
        return;
      }
      while (true) {
        if (c == '{') {
          string_value();
          expect(':');
        }
        skip_value(depth + 1);
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        expect(close);
        return;
      }
    } else if (!literal("null") && !literal("true") && !literal("false")) {
      skip_space();
      const size_t start = pos_;
      while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) || std::string_view("+-.eE").find(s_[pos_]) != std::string_view::npos))
        ++pos_;
      if (pos_ == start) fail("expected a JSON value");
    }
  }

  size_t pos() const { return pos_; }

 private:
  unsigned hex4() {
    if (pos_ + 4 > s_.size()) fail("truncated \\u escape", pos_ - 2);
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9') v |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f') v |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') v |= static_cast<unsigned>(h - 'A' + 10);
      else fail("invalid \\u escape", pos_ - 1);
    }
    return v;
  }

  void append_code_point(std::string& out) {
    const size_t at = pos_ - 2;
    unsigned cp = hex4();
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (s_.substr(pos_, 2) != "\\u") fail("lone surrogate in \\u escape", at);
      pos_ += 2;
      const unsigned low = hex4();
      if (low < 0xDC00 || low > 0xDFFF) fail("lone surrogate in \\u escape", at);
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      fail("lone surrogate in \\u escape", at);
    }
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  int line_;
  const std::string& file_;
};

void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, end);
}

void append_nullable(std::string& out, const std::optional<std::string>& s) {
  if (s) append_json_string(out, *s);
  else out.append("null");
}

}  // namespace

KcatRecord parse_kcat_line(std::string_view line, int line_number, const std::string& file) {
  KcatLineReader r(line, line_number, file);
  KcatRecord rec;
  bool has_payload = false, has_ts = false, has_tstype = false;
  r.expect('{');
  if (r.peek() != '}') {
    while (true) {
      const std::string name = r.string_value();
      r.expect(':');
      const size_t value_at = r.pos();
      auto int32 = [&](int64_t v) {
        if (v < INT32_MIN || v > INT32_MAX) r.fail("'" + name + "' out of range", value_at);
        return static_cast<int32_t>(v);
      };
      if (name == "topic") rec.topic = r.string_value();
      else if (name == "partition") rec.partition = int32(r.integer_value());
      else if (name == "offset") rec.offset = r.integer_value();
      else if (name == "tstype") { rec.tstype = r.string_value(); has_tstype = true; }
      else if (name == "ts") { rec.timestamp_ms = r.integer_value(); has_ts = true; }
      else if (name == "broker") rec.broker = int32(r.integer_value());
      else if (name == "key") rec.key = r.nullable_string();
      else if (name == "payload") { rec.payload = r.nullable_string(); has_payload = true; }
      else r.skip_value();
      if (r.peek() == ',') {
        r.expect(',');
        continue;
      }
      r.expect('}');
      break;
    }
  } else {
    r.expect('}');
  }
  if (!r.at_end()) r.fail("unexpected text after the record object");
  if (!has_payload) r.fail("record has no \"payload\" member", 0);
  if (!has_ts && !has_tstype) rec.tstype = "none";
  return rec;
}

std::string format_kcat_line(const KcatRecord& rec) {
  std::string out;
  out.reserve(96 + rec.topic.size() + (rec.key ? rec.key->size() : 0) + (rec.payload ? rec.payload->size() : 0));
  out.append("{\"topic\":");
  append_json_string(out, rec.topic);
  out.append(",\"partition\":");
  append_int(out, rec.partition);
  out.append(",\"offset\":");
  append_int(out, rec.offset);
  out.append(",\"tstype\":");
  append_json_string(out, rec.tstype);
  out.append(",\"ts\":");
  append_int(out, rec.timestamp_ms);
  out.append(",\"broker\":");
  append_int(out, rec.broker);
  out.append(",\"key\":");
  append_nullable(out, rec.key);
  out.append(",\"payload\":");
  append_nullable(out, rec.payload);
  out.push_back('}');
  return out;
}

}  // namespace ananas
