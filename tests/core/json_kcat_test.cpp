#include <catch2/catch.hpp>

#include <fstream>

#include "core/diagnostic.hpp"
#include "core/json/kcat_lines.hpp"

using namespace ananas;

namespace {

// Lines printed by `kcat -C -J` (kcat 1.7, librdkafka mock broker); the
// last one has the raw bytes FF FE in its payload, copied through by kcat.
std::vector<std::string> real_lines() {
  std::ifstream in(std::string(ANANAS_SOURCE_DIR) + "/tests/core/fixtures/kcat_lines_real.txt", std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("real kcat -J lines parse and print back byte for byte") {
  const auto lines = real_lines();
  REQUIRE(lines.size() == 7);
  std::vector<KcatRecord> recs;
  for (size_t i = 0; i < lines.size(); ++i) {
    recs.push_back(parse_kcat_line(lines[i], static_cast<int>(i + 1)));
    CHECK(format_kcat_line(recs.back()) == lines[i]);
  }
  CHECK(recs[0].topic == "t");
  CHECK(recs[0].partition == 0);
  CHECK(recs[0].offset == 0);
  CHECK(recs[0].tstype == "create");
  CHECK(recs[0].timestamp_ms == 1795596828905);
  CHECK(recs[0].broker == 1);
  CHECK(recs[0].key == "{\"shop\"");
  CHECK(recs[0].payload == " \"Mario\"}:{\"id\":1,\"t\":\"\xF0\x9F\x8D\x8D pineapple\"}");
  CHECK_FALSE(recs[1].key.has_value());            // null key
  CHECK(recs[2].payload == std::string());          // empty value
  CHECK_FALSE(recs[3].payload.has_value());        // null value (tombstone)
  CHECK(recs[4].payload == "{\"a\":\"tab\there \\\"q\\\" \\\\ /\"}");
  CHECK(recs[5].payload == "ctl\x01\x1f\x7f end");
  CHECK(recs[6].payload == "\xff\xfe bin");  // not UTF-8: kept as bytes
}

TEST_CASE("kcat writer: tombstones, escapes and the member order") {
  KcatRecord rec;
  rec.topic = "pizza_stream_out_agg";
  rec.offset = 2;
  rec.timestamp_ms = 1672567200123;
  rec.broker = 0;
  rec.key = "{\"id\":7}";
  CHECK(format_kcat_line(rec) ==
        "{\"topic\":\"pizza_stream_out_agg\",\"partition\":0,\"offset\":2,\"tstype\":\"create\",\"ts\":1672567200123,"
        "\"broker\":0,\"key\":\"{\\\"id\\\":7}\",\"payload\":null}");
  rec.payload = "a\nb\x02";
  CHECK(parse_kcat_line(format_kcat_line(rec), 1) == rec);
}

TEST_CASE("kcat reader: defaults, escapes, unknown members") {
  auto rec = parse_kcat_line(R"( {"payload":"\ud83c\udf4d \u00e9\/","headers":["h","v"],"extra":{"a":[1,2.5e3,true,null]}} )", 1);
  CHECK(rec.payload == "\xF0\x9F\x8D\x8D \xC3\xA9/");
  CHECK(rec.offset == -1);
  CHECK(rec.timestamp_ms == -1);
  CHECK(rec.tstype == "none");
  CHECK_FALSE(rec.key.has_value());
  CHECK(parse_kcat_line("{\"payload\":null}\r", 1).payload == std::nullopt);
}

TEST_CASE("kcat reader errors carry the line and column") {
  auto message = [](std::string_view line) {
    try {
      parse_kcat_line(line, 7, "in.jsonl");
    } catch (const InputError& e) {
      return e.location().to_string() + ": " + e.message();
    }
    return std::string("no error");
  };
  CHECK(message(R"({"topic":"t","payload":"abc)") == "in.jsonl:7:24: unclosed string");
  CHECK(message(R"({"topic":"t"})") == "in.jsonl:7:1: record has no \"payload\" member");
  CHECK(message(R"({"offset":1.5,"payload":""})") == "in.jsonl:7:11: expected an integer");
  CHECK(message(R"({"payload":"\ud83c"})") == "in.jsonl:7:13: lone surrogate in \\u escape");
  CHECK(message(R"({"payload":"x"} trailing)") == "in.jsonl:7:17: unexpected text after the record object");
  CHECK(message(R"({"payload" "x"})") == "in.jsonl:7:12: expected ':'");
  CHECK(message("") == "in.jsonl:7:1: line ends where '{' was expected");
  CHECK(message(R"({"partition":99999999999,"payload":""})") == "in.jsonl:7:14: 'partition' out of range");
}
