// `ananas replay` input: every record names its topic (it picks the sources
// that read it), and records no source reads are reported, not dropped in silence.
#include <catch2/catch.hpp>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

const char* kFilterSql = R"(
CREATE TABLE src (id INT) WITH ('connector' = 'kafka', 'topic' = 'in', 'properties.bootstrap.servers' = 'b:9092',
  'value.format' = 'json');
CREATE TABLE dst (id INT) WITH ('connector' = 'kafka', 'topic' = 'out', 'properties.bootstrap.servers' = 'b:9092',
  'value.format' = 'json');
INSERT INTO dst SELECT id FROM src WHERE id > 1;
)";

std::string record(const std::string& topic_member, int id) {
  return "{" + topic_member + R"("partition":0,"offset":)" + std::to_string(id) + R"(,"ts":1700000000000,"key":null,)" +
         R"("payload":"{\"id\": )" + std::to_string(id) + R"(}"})" + "\n";
}

}  // namespace

TEST_CASE("ananas replay refuses a record without a topic, at its line", "[e2e]") {
  ScratchDir dir("replay-input");
  write_text(dir.file("filter.sql"), kFilterSql);
  write_text(dir.file("in.jsonl"), record(R"("topic":"in",)", 2) + "\n" + record("", 3));
  Result r = run({ananas_binary(), "replay", dir.file("filter.sql"), "--input", dir.file("in.jsonl")}, 60s);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(dir.file("in.jsonl") + ":3:1: record has no \"topic\" member") != std::string::npos);
}

TEST_CASE("ananas replay names the records of topics no source reads", "[e2e]") {
  ScratchDir dir("replay-unread");
  write_text(dir.file("filter.sql"), kFilterSql);
  write_text(dir.file("in.jsonl"),
             record(R"("topic":"in",)", 2) + record(R"("topic":"pizzas",)", 3) + record(R"("topic":"pizzas",)", 4));
  Result r = run({ananas_binary(), "replay", dir.file("filter.sql"), "--input", dir.file("in.jsonl")}, 60s);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(lines_of(r.out).size() == 1);
  CHECK(r.err.find(dir.file("in.jsonl") + ": warning: 2 record(s) of topic 'pizzas' skipped: no source of pipeline "
                                           "'filter' reads it (its sources read: in)") != std::string::npos);
}
