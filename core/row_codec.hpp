#pragma once
// A self-describing binary encoding of values. Two uses:
//  - group/partition keys: equal SQL values encode to equal bytes, so an
//    encoded key is a hash-map key (std::string) that owns its memory;
//  - operator state snapshots and checkpoints (StateWriter/StateReader).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/arena.hpp"
#include "core/value.hpp"

namespace ananas {

void encode_value(const Value& v, std::string& out);
void encode_values(const Value* values, size_t n, std::string& out);
// Decodes one value from the front of `in` (advancing it); nested data and
// strings are copied into `arena`. Throws CorruptState on malformed input.
Value decode_value(std::string_view& in, Arena& arena);

struct CorruptState : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Appends primitive fields and values to a byte string: the format of operator
// snapshots. Little-endian fixed-width integers, length-prefixed bytes.
class StateWriter {
 public:
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u64(uint64_t v);
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void bytes(std::string_view s) { u64(s.size()); out_.append(s); }
  void value(const Value& v) { encode_value(v, out_); }
  void raw(std::string_view s) { out_.append(s); }  // no length: the reader takes the rest
  const std::string& data() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class StateReader {
 public:
  explicit StateReader(std::string_view in) : in_(in) {}
  uint8_t u8();
  uint64_t u64();
  int64_t i64() { return static_cast<int64_t>(u64()); }
  std::string_view bytes();
  Value value(Arena& arena) { return decode_value(in_, arena); }
  bool at_end() const { return in_.empty(); }
  // Everything not read yet (consumed).
  std::string_view rest() {
    std::string_view s = in_;
    in_ = {};
    return s;
  }

 private:
  std::string_view in_;
};

}  // namespace ananas
