#pragma once
// Rows kept in operator state are stored encoded (core/row_codec.hpp): the
// state owns its bytes and never pins an input batch, equal rows have equal
// bytes, and snapshots write them as they are.
#include <string>
#include <string_view>

#include "core/arena.hpp"
#include "core/row_codec.hpp"
#include "core/value.hpp"

namespace ananas::ops {

inline std::string encode_row(const Value* values, size_t n) {
  std::string out;
  encode_values(values, n, out);
  return out;
}

// Decodes `n` values from `bytes` into `out`, nested data and strings copied
// into `arena`. Throws CorruptState if the bytes hold fewer values.
inline void decode_row(std::string_view bytes, size_t n, Arena& arena, Value* out) {
  for (size_t i = 0; i < n; ++i) out[i] = decode_value(bytes, arena);
}

}  // namespace ananas::ops
