#include <catch2/catch.hpp>

#include <string>

#include "core/murmur2.hpp"

using namespace ananas;

// The vectors of Kafka's own unit test (clients, UtilsTest.testMurmur2).
TEST_CASE("murmur2 gives Kafka's Utils.murmur2 values", "[murmur2]") {
  CHECK(murmur2("21") == -973932308);
  CHECK(murmur2("foobar") == -790332482);
  CHECK(murmur2("a-little-bit-long-string") == -985981536);
  CHECK(murmur2("a-little-bit-longer-string") == -1486304829);
  CHECK(murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") == -58897971);
  CHECK(murmur2("abc") == 479470107);
}

TEST_CASE("murmur2 hashes every tail length and bytes above 0x7f", "[murmur2]") {
  // Bytes >= 0x80 are negative Java bytes: Kafka masks them with 0xff, so the
  // result must not depend on char signedness.
  const std::string high("\xff\x80\xc3\xa9", 4);
  CHECK(murmur2(high) == murmur2(std::string_view(high.data(), high.size())));
  CHECK(murmur2(high) != murmur2(std::string("\x7f\x00\x43\x29", 4)));
  std::string s;
  int32_t previous = murmur2(s);
  for (int len = 1; len <= 9; ++len) {  // 0..3 tail bytes, twice
    s.push_back(static_cast<char>(0xa0 + len));
    const int32_t h = murmur2(s);
    CHECK(h != previous);
    previous = h;
  }
}

TEST_CASE("to_positive clears the sign bit as Kafka's Utils.toPositive does", "[murmur2]") {
  CHECK(to_positive(-1) == 0x7fffffffu);
  CHECK(to_positive(INT32_MIN) == 0u);
  CHECK(to_positive(5) == 5u);
  CHECK(kafka_partition("foobar", 7) == static_cast<uint32_t>(-790332482 & 0x7fffffff) % 7);
}
