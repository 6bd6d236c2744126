// librdkafka's own log lines go through the process's log (core/log): with
// --log-format json a failed connect is one JSON object on stderr, not
// librdkafka's "%3|...|FAIL|..." line. A producer is pointed at port 1 on
// loopback, where nothing listens, so librdkafka reports the refused connect.
#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "connectors/kafka/kafka_config.hpp"
#include "core/log.hpp"

using namespace ananas;

namespace {

// std::cerr into a string while alive, readable while librdkafka's threads
// write (recursive: xsputn may call overflow). The producer, and its
// threads, must be gone before it is.
class CapturedStderr : public std::stringbuf {
 public:
  CapturedStderr() : old_(std::cerr.rdbuf(this)) {}
  ~CapturedStderr() override { std::cerr.rdbuf(old_); }
  std::string text() {
    std::lock_guard lock(mu_);
    return str();
  }

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::lock_guard lock(mu_);
    return std::stringbuf::xsputn(s, n);
  }
  int_type overflow(int_type c) override {
    std::lock_guard lock(mu_);
    return std::stringbuf::overflow(c);
  }

 private:
  std::recursive_mutex mu_;
  std::streambuf* old_;
};

}  // namespace

TEST_CASE("librdkafka's log lines are written by the log, as JSON with log.format json", "[kafka][log]") {
  log::configure(log::Level::Info, log::Format::Json);
  std::string text;
  {
    CapturedStderr err;
    {
      auto conf = connectors::kafka::make_conf({{"properties.bootstrap.servers", "127.0.0.1:1"}}, {});
      std::string why;
      std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), why));
      REQUIRE(producer);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (err.text().find("librdkafka") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        producer->poll(100);
      }
    }
    text = err.text();
  }
  log::configure(log::Level::Info, log::Format::Text);
  INFO("stderr:\n" << text);
  std::istringstream lines(text);
  int from_librdkafka = 0;
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);  // throws (fails) on a line that is not JSON
    const std::string message = j["message"];
    if (message.rfind("librdkafka rdkafka#producer-", 0) != 0) continue;
    ++from_librdkafka;
    CHECK(j["pipeline"].is_null());
    CHECK((j["level"] == "error" || j["level"] == "warn" || j["level"] == "info"));
  }
  CHECK(from_librdkafka >= 1);
}
