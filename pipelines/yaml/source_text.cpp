#include "pipelines/yaml/source_text.hpp"

#include <algorithm>
#include <cstdio>

namespace ananas::pipeline::yaml {

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the UTF-8 sequence starting at `i`, or 0 if it is not valid
// (overlong forms, surrogates and code points past U+10FFFF are invalid too).
size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  size_t len = 0;
  unsigned min = 0;
  unsigned cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (!is_continuation(b)) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

std::string hex_byte(unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", b);
  return buf;
}

}  // namespace

SourceText::SourceText(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") bom_ = 3;
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

size_t SourceText::line_of(size_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return static_cast<size_t>(it - line_starts_.begin()) - 1;
}

SourceLocation SourceText::at_offset(size_t offset) const {
  offset = std::min(offset, text_.size());
  const size_t line = line_of(offset);
  int column = 1;
  // An editor does not show the byte-order mark, so it takes no column.
  for (size_t i = std::max(line_starts_[line], bom_); i < offset; ++i)
    if (!is_continuation(static_cast<unsigned char>(text_[i]))) ++column;
  return SourceLocation{file_, static_cast<int>(line) + 1, column};
}

SourceLocation SourceText::at(const YAML::Mark& mark) const {
  if (mark.is_null() || mark.pos < 0) return SourceLocation{file_, 0, 0};
  // yaml-cpp's offsets start after a byte-order mark. Trust an offset only
  // while it agrees with the line yaml-cpp reports.
  const auto pos = static_cast<size_t>(mark.pos) + bom_;
  if (pos <= text_.size() && static_cast<int>(line_of(pos)) == mark.line) return at_offset(pos);
  return SourceLocation{file_, mark.line + 1, mark.column + 1};
}

SourceLocation SourceText::content_start(const YAML::Node& scalar) const {
  const YAML::Mark mark = scalar.Mark();
  if (mark.is_null() || mark.pos < 0 || static_cast<size_t>(mark.pos) + bom_ >= text_.size()) return at(mark);
  const size_t pos = static_cast<size_t>(mark.pos) + bom_;
  const char opener = text_[pos];
  if (opener == '"' || opener == '\'') return at_offset(pos + 1);
  if (opener == '|' || opener == '>') {
    // The content begins on the first non-blank line after the header line.
    size_t line = line_of(pos) + 1;
    for (; line < line_starts_.size(); ++line) {
      size_t i = line_starts_[line];
      while (i < text_.size() && text_[i] == ' ') ++i;
      if (i < text_.size() && text_[i] != '\n' && text_[i] != '\r') return at_offset(i);
    }
  }
  return at_offset(pos);
}

void SourceText::check_is_yaml_text() const {
  bool in_indent = true;
  for (size_t i = 0; i < text_.size();) {
    const auto c = static_cast<unsigned char>(text_[i]);
    if (c == '\n') {
      in_indent = true;
      ++i;
      continue;
    }
    if (c == 0 || (c < 0x20 && c != '\t' && c != '\r') || c == 0x7F)
      throw InputError(at_offset(i), "not a YAML text file: control byte " + hex_byte(c));
    const size_t len = utf8_sequence_length(text_, i);
    if (len == 0) throw InputError(at_offset(i), "not a YAML text file: invalid UTF-8 byte " + hex_byte(c));
    if (c == '\t' && in_indent)
      throw InputError(at_offset(i), "tab character in indentation (YAML indents with spaces only)");
    if (c != ' ' && c != '\t') in_indent = false;
    i += len;
  }
}

}  // namespace ananas::pipeline::yaml
