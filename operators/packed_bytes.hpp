#pragma once
// Varints for state kept packed in memory between rows (operators/blob_table.hpp,
// Accumulator::pack). Never a snapshot format: snapshots keep StateWriter's
// fixed-width fields, so packing can change without a snapshot version.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/row_codec.hpp"

namespace ananas::ops {

inline void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Throws CorruptState when `in` ends inside the varint.
inline uint64_t get_varint(std::string_view& in) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) throw CorruptState("corrupt packed state: truncated varint");
    auto b = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
  throw CorruptState("corrupt packed state: varint longer than 64 bits");
}

// Signed values, small in magnitude either way (counts that retractions lower).
inline void put_zigzag(std::string& out, int64_t v) {
  put_varint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}
inline int64_t get_zigzag(std::string_view& in) {
  uint64_t u = get_varint(in);
  return static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
}

inline void put_packed_bytes(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}
inline std::string_view get_packed_bytes(std::string_view& in) {
  uint64_t n = get_varint(in);
  if (n > in.size()) throw CorruptState("corrupt packed state: " + std::to_string(n) + " bytes announced, " +
                                        std::to_string(in.size()) + " left");
  std::string_view s = in.substr(0, n);
  in.remove_prefix(n);
  return s;
}

}  // namespace ananas::ops
