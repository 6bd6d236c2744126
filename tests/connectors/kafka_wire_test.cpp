// The Kafka frames the development broker's relay reads and rewrites, built
// byte by byte after Kafka's message definitions (MetadataRequest.json,
// MetadataResponse.json, FindCoordinatorResponse.json).
#include <catch2/catch.hpp>

#include "connectors/kafka_wire.hpp"

using namespace ananas::connectors::kafka_wire;

namespace {

struct Frame {
  std::string b;
  Frame& i8(int v) { b += static_cast<char>(v); return *this; }
  Frame& i16(int v) { return i8((v >> 8) & 0xff).i8(v & 0xff); }
  Frame& i32(int32_t v) { return i16((v >> 16) & 0xffff).i16(v & 0xffff); }
  Frame& str(const std::string& s) { i16(static_cast<int>(s.size())); b += s; return *this; }
  Frame& compact_str(const std::string& s) { i8(static_cast<int>(s.size()) + 1); b += s; return *this; }
  Frame& null_str() { return i16(-1); }
};

int32_t i32_at(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return static_cast<int32_t>(v);
}

}  // namespace

TEST_CASE("metadata requests name their topics and whether the broker may create them", "[kafka_wire]") {
  // v4 (librdkafka 2.0.2's): header, topics array, allow_auto_topic_creation.
  Frame v4;
  v4.i16(kMetadata).i16(4).i32(77).str("rdkafka").i32(2).str("pizzas").str("out").i8(1);
  auto m = metadata_request_topics(v4.b);
  REQUIRE(m);
  CHECK(m->topics == std::vector<std::string>{"pizzas", "out"});
  CHECK(m->allow_auto_create);
  CHECK(request_header(v4.b)->correlation_id == 77);

  Frame consumer;  // a consumer's default: allow.auto.create.topics=false
  consumer.i16(kMetadata).i16(4).i32(1).null_str().i32(1).str("pizzas").i8(0);
  REQUIRE(metadata_request_topics(consumer.b));
  CHECK_FALSE(metadata_request_topics(consumer.b)->allow_auto_create);

  Frame all;  // v1: a null array asks for every topic
  all.i16(kMetadata).i16(1).i32(2).str("c").i32(-1);
  REQUIRE(metadata_request_topics(all.b));
  CHECK(metadata_request_topics(all.b)->topics.empty());

  // v12 (flexible): header tagged fields, compact array of {topic_id, name, tags}.
  Frame v12;
  v12.i16(kMetadata).i16(12).i32(3).str("java").i8(0).i8(2);
  v12.b += std::string(16, '\0');
  v12.compact_str("trends").i8(0).i8(1).i8(0).i8(0);
  auto f = metadata_request_topics(v12.b);
  REQUIRE(f);
  CHECK(f->topics == std::vector<std::string>{"trends"});
  CHECK(f->allow_auto_create);

  Frame produce;
  produce.i16(0).i16(7).i32(4).str("c");
  CHECK_FALSE(metadata_request_topics(produce.b));
  std::string cut = v4.b.substr(0, v4.b.size() - 5);
  CHECK_FALSE(metadata_request_topics(cut));
}

TEST_CASE("broker ports in metadata and coordinator responses are mapped in place", "[kafka_wire]") {
  const std::map<int32_t, int32_t> ports = {{40001, 9092}, {40002, 50002}};
  // Metadata v4: correlation, throttle, brokers [node, host, port, rack], ...
  Frame md;
  md.i32(77).i32(0).i32(2).i32(1).str("127.0.0.1").i32(40001).null_str().i32(2).str("127.0.0.1").i32(40003).str("r");
  md.str("cluster").i32(1).i32(0);
  std::string frame = md.b;
  REQUIRE(rewrite_broker_ports(kMetadata, 4, frame, ports));
  CHECK(frame.size() == md.b.size());
  const size_t first_port = 4 + 4 + 4 + 4 + 2 + 9;
  CHECK(i32_at(frame, first_port) == 9092);
  const size_t second_port = first_port + 4 + 2 + 4 + 2 + 9;
  CHECK(i32_at(frame, second_port) == 40003);  // not a mock port: unchanged
  CHECK(frame.substr(second_port + 4) == md.b.substr(second_port + 4));

  // Metadata v9 (flexible): header tags, compact array and strings, tags per broker.
  Frame flex;
  flex.i32(5).i8(0).i32(0).i8(2).i32(1).compact_str("127.0.0.1").i32(40002).i8(0).i8(0);
  std::string ff = flex.b;
  REQUIRE(rewrite_broker_ports(kMetadata, 9, ff, ports));
  CHECK(i32_at(ff, 4 + 1 + 4 + 1 + 4 + 10) == 50002);

  // FindCoordinator v2: correlation, throttle, error, message, node, host, port.
  Frame fc;
  fc.i32(9).i32(0).i16(0).null_str().i32(1).str("127.0.0.1").i32(40001);
  std::string fcf = fc.b;
  REQUIRE(rewrite_broker_ports(kFindCoordinator, 2, fcf, ports));
  CHECK(i32_at(fcf, fcf.size() - 4) == 9092);

  std::string truncated = md.b.substr(0, first_port + 2);
  CHECK_FALSE(rewrite_broker_ports(kMetadata, 4, truncated, ports));
  std::string other = md.b;
  CHECK_FALSE(rewrite_broker_ports(1 /*Fetch*/, 11, other, ports));
  CHECK(other == md.b);
}
