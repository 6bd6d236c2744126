#include "pipelines/yaml/scalar_style.hpp"

#include <array>
#include <cstdio>

namespace ananas::pipeline::yaml {

namespace {

bool is_alnum(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Characters a plain scalar may hold anywhere without changing meaning in
// block or flow context. Deliberately narrow: ':' '#' ',' brackets, quotes at
// the start and every indicator need quoting; anything non-ASCII (emoji) is
// kept as is.
bool safe_inside_plain(unsigned char c) {
  if (c >= 0x80 || is_alnum(c)) return true;
  switch (c) {
    case '_': case '.': case '-': case '/': case '(': case ')': case '<': case '>': case '+': case '*':
    case '=': case '\'': case ' ': case ';': case '$': case '^': case '~':
      return true;
    default:
      return false;
  }
}

bool safe_first(unsigned char c) { return c >= 0x80 || is_alnum(c) || c == '_' || c == '(' || c == '/' || c == '$'; }

// Words YAML 1.1/1.2 readers turn into null or booleans.
bool is_special_word(std::string_view s) {
  static constexpr std::array<std::string_view, 22> words = {
      "null", "Null", "NULL", "~",   "true", "True", "TRUE", "false", "False", "FALSE", "yes",
      "Yes",  "YES",  "no",   "No",  "NO",   "on",   "On",   "ON",    "off",   "Off",   "OFF"};
  for (auto w : words)
    if (s == w) return true;
  return false;
}

// Valid UTF-8 continuation structure, without which the text cannot be written plain.
bool is_plain_safe(std::string_view s) {
  if (s.empty() || is_special_word(s)) return false;
  if (!safe_first(static_cast<unsigned char>(s.front())) || s.back() == ' ') return false;
  for (unsigned char c : s)
    if (!safe_inside_plain(c)) return false;
  // A U+0085 / U+2028 / U+2029 line break or a BOM inside a plain scalar is
  // read back differently by some parsers; quote those.
  return s.find("\xC2\x85") == std::string_view::npos && s.find("\xE2\x80\xA8") == std::string_view::npos &&
         s.find("\xE2\x80\xA9") == std::string_view::npos && s.find("\xEF\xBB\xBF") == std::string_view::npos;
}

std::string double_quoted(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02X", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

}  // namespace

std::string yaml_scalar(std::string_view s) { return is_plain_safe(s) ? std::string(s) : double_quoted(s); }

}  // namespace ananas::pipeline::yaml
