#pragma once
// Code-point helpers for SQL string functions: Flink counts and indexes
// characters, not bytes. Invalid UTF-8 bytes count as one character each so
// malformed input never makes a function read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ananas::expr::utf8 {

// Length in bytes of the sequence starting with lead byte `c` (1 for invalid bytes).
inline size_t sequence_length(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xe) return 3;
  if ((c >> 3) == 0x1e) return 4;
  return 1;
}

// Byte length of the code point at `pos`, clipped to the string.
inline size_t char_bytes(std::string_view s, size_t pos) {
  size_t n = sequence_length(static_cast<unsigned char>(s[pos]));
  return pos + n > s.size() ? s.size() - pos : n;
}

inline size_t count(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); i += char_bytes(s, i)) ++n;
  return n;
}

// Byte offset of code point number `index` (0-based); s.size() if past the end.
inline size_t offset_of(std::string_view s, size_t index) {
  size_t i = 0;
  while (index > 0 && i < s.size()) {
    i += char_bytes(s, i);
    --index;
  }
  return i;
}

// Decodes the code point at `pos` (invalid bytes decode as themselves).
inline char32_t decode(std::string_view s, size_t pos) {
  size_t n = char_bytes(s, pos);
  auto b = [&](size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[pos + k])); };
  switch (n) {
    case 2: return ((b(0) & 0x1f) << 6) | (b(1) & 0x3f);
    case 3: return ((b(0) & 0x0f) << 12) | ((b(1) & 0x3f) << 6) | (b(2) & 0x3f);
    case 4: return ((b(0) & 0x07) << 18) | ((b(1) & 0x3f) << 12) | ((b(2) & 0x3f) << 6) | (b(3) & 0x3f);
    default: return b(0);
  }
}

// Appends the UTF-8 encoding of `cp` to `out` (returns bytes written, at most 4).
inline size_t encode(char32_t cp, char* out) {
  if (cp < 0x80) { out[0] = static_cast<char>(cp); return 1; }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xc0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xe0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out[2] = static_cast<char>(0x80 | (cp & 0x3f));
    return 3;
  }
  out[0] = static_cast<char>(0xf0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
  out[3] = static_cast<char>(0x80 | (cp & 0x3f));
  return 4;
}

}  // namespace ananas::expr::utf8
