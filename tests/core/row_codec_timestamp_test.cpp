// The row codec (keys, snapshots, exchanges) and timestamps with nanoseconds
// below the millisecond: they round-trip, differ from the same millisecond
// without them, and every encoding without them is the one written before
// timestamps kept nanoseconds, so older snapshots read back unchanged.
#include <catch2/catch.hpp>

#include <string>

#include "core/row_codec.hpp"

using namespace ananas;

namespace {

std::string encoded(const Value& v) {
  std::string out;
  encode_value(v, out);
  return out;
}

}  // namespace

TEST_CASE("row codec: a timestamp with nanoseconds round-trips") {
  Arena arena;
  const Value ts = Value::timestamp(1672567200123, 456789);
  const std::string bytes = encoded(ts);
  std::string_view in = bytes;
  const Value back = decode_value(in, arena);
  CHECK(in.empty());
  CHECK(back.kind == ValueKind::Int);
  CHECK(back.as_int() == 1672567200123);
  CHECK(back.nano_of_milli() == 456789);
  CHECK(encoded(back) == bytes);
  // Keys: a microsecond apart is another key; no nanoseconds is the plain integer.
  CHECK(encoded(Value::timestamp(1672567200123, 456000)) != bytes);
  CHECK(encoded(Value::timestamp(1672567200123, 0)) == encoded(Value::integer(1672567200123)));
  // Inside a row (a key of several columns, a nested value).
  Value fields[2] = {Value::timestamp(-1, 999999), Value::string("x")};
  const std::string row_bytes = encoded(Value::row(fields, 2));
  std::string_view row_in = row_bytes;
  const Value row = decode_value(row_in, arena);
  CHECK(row.elements()[0].as_int() == -1);
  CHECK(row.elements()[0].nano_of_milli() == 999999);
}

TEST_CASE("row codec: encodings written before nanoseconds read back unchanged") {
  // Value::integer(1672567200123) as every earlier version wrote it: the Int
  // kind (2), then the millis as 8 little-endian bytes.
  const std::string old_bytes("\x02\x7b\x19\xc6\x6c\x85\x01\x00\x00", 9);
  CHECK(encoded(Value::integer(1672567200123)) == old_bytes);
  Arena arena;
  std::string_view in = old_bytes;
  const Value v = decode_value(in, arena);
  CHECK(in.empty());
  CHECK(v.as_int() == 1672567200123);
  CHECK(v.nano_of_milli() == 0);
}

TEST_CASE("row codec: a truncated or impossible nano-of-millisecond is corrupt state") {
  const std::string bytes = encoded(Value::timestamp(5, 7));
  Arena arena;
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    std::string_view in(bytes.data(), cut);
    CHECK_THROWS_AS(decode_value(in, arena), CorruptState);
  }
  std::string too_many = bytes;
  too_many.replace(9, 4, std::string("\x40\x42\x0f\x00", 4));  // 1,000,000
  std::string_view in = too_many;
  CHECK_THROWS_AS(decode_value(in, arena), CorruptState);
}
