// EXCEPT in the worker on `ananas broker`: Flink's docs tables t1 and t2
// (Queries > Set Operations) into upsert-kafka. Which topic the worker reads
// first is not fixed, so the test reads the output as the table it upserts
// (the rows whose last value is not a tombstone). Stopped (SIGTERM: a final
// checkpoint) and started again, the worker deletes t1's c when t2 gets a c:
// its anti join has t1's rows only in its restored state.
#include <catch2/catch.hpp>

#include <signal.h>

#include <map>
#include <set>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

const char* kExceptSql = R"(
CREATE TABLE t1 (s STRING)
  WITH ('connector' = 'kafka', 'topic' = 't1', 'properties.bootstrap.servers' = '', 'format' = 'json',
        'scan.startup.mode' = 'earliest-offset');
CREATE TABLE t2 (s STRING)
  WITH ('connector' = 'kafka', 'topic' = 't2', 'properties.bootstrap.servers' = '', 'format' = 'json',
        'scan.startup.mode' = 'earliest-offset');
CREATE TABLE only_t1 (s STRING, PRIMARY KEY (s) NOT ENFORCED)
  WITH ('connector' = 'upsert-kafka', 'topic' = 'only_t1', 'properties.bootstrap.servers' = '',
        'key.format' = 'json', 'value.format' = 'json');
INSERT INTO only_t1 (SELECT s FROM t1) EXCEPT (SELECT s FROM t2);
)";

// The keys of the upserted table whose last value is a row.
std::set<std::string> rows(const std::string& bootstrap) {
  std::map<std::string, bool> last;
  for (const auto& r : kcat_dump(bootstrap, "only_t1")) last[r.at("key").get<std::string>()] = !r.at("payload").is_null();
  std::set<std::string> out;
  for (const auto& [key, present] : last)
    if (present) out.insert(key);
  return out;
}

}  // namespace

TEST_CASE("EXCEPT in the worker: the docs' tables leave c, and a restart deletes it from restored state", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("set-ops-live");
  BrokerProcess broker(dir, 1, {"t1", "t2", "only_t1"});
  write_text(dir.file("except.sql"), kExceptSql);
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "t1"}, 20s,
              "{\"s\":\"c\"}\n{\"s\":\"a\"}\n{\"s\":\"b\"}\n{\"s\":\"b\"}\n{\"s\":\"c\"}\n")
              .exit_code == 0);
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "t2"}, 20s,
              "{\"s\":\"d\"}\n{\"s\":\"e\"}\n{\"s\":\"a\"}\n{\"s\":\"b\"}\n{\"s\":\"b\"}\n")
              .exit_code == 0);
  {
    WorkerProcess worker(dir, "except-1", broker.bootstrap(), {dir.file("except.sql")});
    REQUIRE(wait_until_true([&] { return rows(broker.bootstrap()) == std::set<std::string>{R"({"s":"c"})"}; }, 30s));
    CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  }
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "t2"}, 20s, "{\"s\":\"c\"}\n").exit_code == 0);
  WorkerProcess worker(dir, "except-2", broker.bootstrap(), {dir.file("except.sql")});
  const bool deleted = wait_until_true([&] { return rows(broker.bootstrap()).empty(); }, 30s);
  CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  INFO(worker.process().err());
  CHECK(deleted);
}
