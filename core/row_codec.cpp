#include "core/row_codec.hpp"

#include <cstring>

namespace ananas {

static void put_u64(std::string& out, uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out.append(b, 8);
}

static uint64_t get_u64(std::string_view& in) {
  if (in.size() < 8) throw CorruptState("truncated state: expected 8 bytes, have " + std::to_string(in.size()));
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t(static_cast<unsigned char>(in[i])) << (8 * i);
  in.remove_prefix(8);
  return v;
}

static void put_u32(std::string& out, uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out.append(b, 4);
}

static uint32_t get_u32(std::string_view& in) {
  if (in.size() < 4) throw CorruptState("truncated state: expected 4 bytes, have " + std::to_string(in.size()));
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t(static_cast<unsigned char>(in[i])) << (8 * i);
  in.remove_prefix(4);
  return v;
}

// The tag of a timestamp with nanoseconds below its millisecond (millis as
// u64, then the nano-of-millisecond as u32). A byte no ValueKind uses, and
// written only when the nanoseconds are not 0: every other value, and every
// encoding written before timestamps kept nanoseconds, stays as it was, so
// older snapshots and keys read back unchanged.
constexpr unsigned char kTimestampNanosTag = 0x40;

void encode_value(const Value& v, std::string& out) {
  if (v.kind == ValueKind::Int && v.nano_of_milli() != 0) {
    out.push_back(static_cast<char>(kTimestampNanosTag));
    put_u64(out, static_cast<uint64_t>(v.as_int()));
    put_u32(out, v.nano_of_milli());
    return;
  }
  out.push_back(static_cast<char>(v.kind));
  switch (v.kind) {
    case ValueKind::Null: break;
    case ValueKind::Bool: out.push_back(v.as_bool() ? 1 : 0); break;
    case ValueKind::Int:
    case ValueKind::Decimal: put_u64(out, static_cast<uint64_t>(v.as_int())); break;
    case ValueKind::Double: {
      double d = v.as_double();
      if (d == 0.0) d = 0.0;  // -0.0 and 0.0 are equal in SQL: one encoding
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      put_u64(out, bits);
      break;
    }
    case ValueKind::BigDecimal: {
      unsigned __int128 u = static_cast<unsigned __int128>(*v.u.big);
      put_u64(out, static_cast<uint64_t>(u));
      put_u64(out, static_cast<uint64_t>(u >> 64));
      break;
    }
    case ValueKind::String:
      put_u32(out, v.len);
      out.append(v.u.s, v.len);
      break;
    case ValueKind::Array:
    case ValueKind::Row:
    case ValueKind::Map:
      put_u32(out, v.len);
      for (const Value& e : v.elements()) encode_value(e, out);
      break;
  }
}

void encode_values(const Value* values, size_t n, std::string& out) {
  for (size_t i = 0; i < n; ++i) encode_value(values[i], out);
}

Value decode_value(std::string_view& in, Arena& arena) {
  if (in.empty()) throw CorruptState("truncated state: expected a value");
  const auto tag = static_cast<unsigned char>(in[0]);
  in.remove_prefix(1);
  if (tag == kTimestampNanosTag) {
    const auto millis = static_cast<int64_t>(get_u64(in));
    const uint32_t nano_of_milli = get_u32(in);
    if (nano_of_milli == 0 || nano_of_milli >= 1'000'000)
      throw CorruptState("corrupt state: nano-of-millisecond " + std::to_string(nano_of_milli));
    return Value::timestamp(millis, nano_of_milli);
  }
  auto kind = static_cast<ValueKind>(tag);
  switch (kind) {
    case ValueKind::Null: return Value::null();
    case ValueKind::Bool: {
      if (in.empty()) throw CorruptState("truncated state: expected a boolean");
      bool b = in[0] != 0;
      in.remove_prefix(1);
      return Value::boolean(b);
    }
    case ValueKind::Int: return Value::integer(static_cast<int64_t>(get_u64(in)));
    case ValueKind::Decimal: return Value::decimal(static_cast<int64_t>(get_u64(in)));
    case ValueKind::Double: {
      uint64_t bits = get_u64(in);
      double d;
      std::memcpy(&d, &bits, 8);
      return Value::real(d);
    }
    case ValueKind::BigDecimal: {
      uint64_t lo = get_u64(in), hi = get_u64(in);
      auto* p = arena.allocate_array<__int128>(1);
      *p = static_cast<__int128>((static_cast<unsigned __int128>(hi) << 64) | lo);
      return Value::big_decimal(p);
    }
    case ValueKind::String: {
      uint32_t n = get_u32(in);
      if (in.size() < n) throw CorruptState("truncated state: string of " + std::to_string(n) + " bytes");
      Value v = Value::string(arena.copy(in.substr(0, n)));
      in.remove_prefix(n);
      return v;
    }
    case ValueKind::Array:
    case ValueKind::Row:
    case ValueKind::Map: {
      uint32_t n = get_u32(in);
      size_t slots = kind == ValueKind::Map ? size_t{n} * 2 : n;
      if (slots > in.size()) throw CorruptState("truncated state: nested value of " + std::to_string(n) + " elements");
      Value* elems = arena.allocate_array<Value>(slots);
      for (size_t i = 0; i < slots; ++i) elems[i] = decode_value(in, arena);
      Value v;
      v.kind = kind;
      v.u.elems = elems;
      v.len = n;
      return v;
    }
  }
  throw CorruptState("corrupt state: unknown value kind " + std::to_string(static_cast<int>(kind)));
}

void StateWriter::u64(uint64_t v) { put_u64(out_, v); }

uint8_t StateReader::u8() {
  if (in_.empty()) throw CorruptState("truncated state: expected 1 byte");
  uint8_t v = static_cast<uint8_t>(in_[0]);
  in_.remove_prefix(1);
  return v;
}

uint64_t StateReader::u64() { return get_u64(in_); }

std::string_view StateReader::bytes() {
  uint64_t n = get_u64(in_);
  if (n > in_.size()) throw CorruptState("truncated state: " + std::to_string(n) + " bytes expected");
  std::string_view s = in_.substr(0, n);
  in_.remove_prefix(n);
  return s;
}

}  // namespace ananas
