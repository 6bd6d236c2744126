// `ananas broker` and `ananas generate` as processes, checked with kcat.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>

#include "kafka_test_support.hpp"

using namespace ananas::test;

namespace {

int free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace

TEST_CASE("ananas broker --help explains the 5 MiB per partition limit") {
  ProcessResult r = run_process({ANANAS_BINARY, "broker", "--help"}, "", std::chrono::seconds(10));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("5 MiB") != std::string::npos);
  CHECK(r.out.find("--partitions") != std::string::npos);
  ProcessResult bad = run_process({ANANAS_BINARY, "broker", "--partitions", "0"}, "", std::chrono::seconds(10));
  CHECK(bad.exit_code == 2);
}

TEST_CASE("ananas generate --count 500 writes unique, upstream-shaped orders that kcat reads") {
  REQUIRE_KCAT();
  BrokerProcess broker({"--partitions", "3", "--topics", "pizzas"});
  ProcessResult gen = run_process({ANANAS_BINARY, "generate", "--bootstrap-servers", broker.bootstrap(), "--topic",
                                   "pizzas", "--count", "500", "--rate", "0"},
                                  "", std::chrono::seconds(60));
  INFO("generate stderr: " << gen.err);
  REQUIRE(gen.exit_code == 0);
  CHECK(gen.out.find("produced 500 orders to topic 'pizzas'") != std::string::npos);

  std::vector<nlohmann::json> records = kcat_consume(broker.bootstrap(), "pizzas");
  REQUIRE(records.size() == 500);
  std::set<int64_t> ids;
  std::set<int> partitions;
  bool escaped_emoji = false;
  for (const auto& rec : records) {
    std::string key = rec["key"], value = rec["payload"];
    REQUIRE(key.rfind("{\"shop\": \"", 0) == 0);
    REQUIRE(value.rfind("{\"id\": ", 0) == 0);
    auto order = nlohmann::ordered_json::parse(value);
    CHECK(key == "{\"shop\": \"" + order["shop"].get<std::string>() + "\"}");
    CHECK(order.size() == 7);
    CHECK(order.back().is_number_integer());  // timestamp last
    ids.insert(order["id"].get<int64_t>());
    CHECK(order["id"].get<int64_t>() <= INT32_MAX);
    partitions.insert(rec["partition"].get<int>());
    CHECK(rec["tstype"] == "create");
    if (value.find("\\ud83c") != std::string::npos) escaped_emoji = true;
  }
  CHECK(ids.size() == 500);
  CHECK(escaped_emoji);
  CHECK(partitions.size() > 1);  // keyed by 6 shops over 3 partitions
  CHECK(broker.stop() == 0);   // SIGTERM -> exit 0
}

TEST_CASE("ananas broker --port listens on the requested port and forwards to the mock") {
  REQUIRE_KCAT();
  int port = free_loopback_port();
  BrokerProcess broker({"--port", std::to_string(port), "--topics", "a,b", "--partitions", "2", "--brokers", "2"});
  CHECK(broker.bootstrap() == "127.0.0.1:" + std::to_string(port));
  ProcessResult list = run_process({"kcat", "-b", broker.bootstrap(), "-L"}, "", std::chrono::seconds(20));
  INFO(list.err);
  REQUIRE(list.exit_code == 0);
  CHECK(list.out.find("2 brokers") != std::string::npos);
  CHECK(list.out.find("topic \"a\" with 2 partitions") != std::string::npos);
  CHECK(list.out.find("topic \"b\" with 2 partitions") != std::string::npos);
  kcat_produce(broker.bootstrap(), "a", "k:v\n");
  auto records = kcat_consume(broker.bootstrap(), "a");
  REQUIRE(records.size() == 1);
  CHECK(records[0]["payload"] == "v");
  CHECK(broker.process().stop(2 /*SIGINT*/, std::chrono::seconds(10)) == 0);
}

TEST_CASE("ananas broker --partitions applies to auto-created topics too") {
  REQUIRE_KCAT();
  // The README's path: only the input topic is named, the outputs come later.
  BrokerProcess broker({"--partitions", "3", "--topics", "pizzas", "--brokers", "2"});
  kcat_produce(broker.bootstrap(), "auto_created", "k:v\n");
  ProcessResult list = run_process({"kcat", "-b", broker.bootstrap(), "-L"}, "", std::chrono::seconds(20));
  INFO(list.out << list.err);
  REQUIRE(list.exit_code == 0);
  CHECK(list.out.find("topic \"pizzas\" with 3 partitions") != std::string::npos);
  CHECK(list.out.find("topic \"auto_created\" with 3 partitions") != std::string::npos);
  // Clients are told the relays' addresses, so later metadata passes them too.
  const std::string relay_port = broker.bootstrap().substr(broker.bootstrap().rfind(':') + 1);
  CHECK(list.out.find("at 127.0.0.1:" + relay_port) != std::string::npos);
  // A consumer does not create topics (allow.auto.create.topics=false); a
  // producer asking for another one does, with the broker's count.
  kcat_produce(broker.bootstrap(), "second", "k:v\n");
  ProcessResult second = run_process({"kcat", "-b", broker.bootstrap(), "-L", "-t", "second"}, "", std::chrono::seconds(20));
  CHECK(second.out.find("topic \"second\" with 3 partitions") != std::string::npos);
  REQUIRE(kcat_consume(broker.bootstrap(), "auto_created").size() == 1);
  CHECK(broker.process().stop(15 /*SIGTERM*/, std::chrono::seconds(10)) == 0);
}

TEST_CASE("ananas generate stops cleanly on SIGINT and reports its count") {
  REQUIRE_KCAT();
  BrokerProcess broker({"--topics", "pizzas"});
  BackgroundProcess gen({ANANAS_BINARY, "generate", "-b", broker.bootstrap(), "--rate", "200"});
  // Stopped once it has delivered something (a fixed wait was too short on a
  // loaded machine: nothing produced yet, nothing to check).
  for (int i = 0; i < 100 && kcat_consume(broker.bootstrap(), "pizzas").empty(); ++i) usleep(200 * 1000);
  int code = gen.stop(2 /*SIGINT*/, std::chrono::seconds(20));
  CHECK(code == 0);
  bool ok = false;
  std::string line = gen.read_line(std::chrono::seconds(2), ok);
  REQUIRE(ok);
  CHECK(line.rfind("produced ", 0) == 0);
  long produced = std::stol(line.substr(9));
  CHECK(produced > 0);
  CHECK(static_cast<long>(kcat_consume(broker.bootstrap(), "pizzas").size()) == produced);
}

TEST_CASE("ananas generate whose broker is gone stops on SIGTERM and reports what was not delivered") {
  // Nothing listens on port 1 of loopback: every record stays queued.
  BackgroundProcess gen({ANANAS_BINARY, "generate", "-b", "127.0.0.1:1", "--rate", "50"});
  usleep(1500 * 1000);
  // Delivery is given a few seconds after a signal, not the 30 s of a run
  // that reached --count, then the sink closes without waiting again.
  int code = gen.stop(15 /*SIGTERM*/, std::chrono::seconds(20));
  CHECK(code == 1);  // records were lost: not a success
  bool ok = false;
  std::string line = gen.read_line(std::chrono::seconds(2), ok);
  REQUIRE(ok);
  CHECK(line.rfind("produced 0 orders", 0) == 0);
  CHECK(line.find(" failed)") != std::string::npos);
}
