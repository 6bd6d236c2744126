// `ananas top`'s parts that need no worker: the Prometheus text it reads and
// the rows it computes from two scrapes.
#include <catch2/catch.hpp>

#include <cmath>

#include "cli/top/prometheus_text.hpp"
#include "cli/top/top_view.hpp"

using namespace ananas::cli;

TEST_CASE("the Prometheus text format: names, escaped labels, special values, comments skipped", "[cli]") {
  const auto samples = parse_prometheus_text(
      "# HELP ananas_records_in_total Records\n"
      "# TYPE ananas_records_in_total counter\n"
      "ananas_records_in_total{pipeline=\"a \\\"b\\\"\",node=\"x\\\\y\"} 12 1700000000000\n"
      "up 1\r\n"
      "\n"
      "ananas_watermark_lag_seconds{pipeline=\"p\"} NaN\n"
      "broken{pipeline=\"unterminated} 3\n"
      "ananas_batch_latency_seconds_bucket{le=\"+Inf\"} 7\n");
  REQUIRE(samples.size() == 4);
  CHECK(samples[0].name == "ananas_records_in_total");
  CHECK(samples[0].labels.at("pipeline") == "a \"b\"");
  CHECK(samples[0].labels.at("node") == "x\\y");
  CHECK(samples[0].value == 12);
  CHECK(samples[1].name == "up");
  CHECK(samples[1].value == 1);
  CHECK(std::isnan(samples[2].value));
  CHECK(samples[3].labels.at("le") == "+Inf");
  CHECK(samples[3].value == 7);
}

TEST_CASE("top's rows: rates from two scrapes, the state that is 1, the largest watermark lag", "[cli]") {
  const std::string common =
      "ananas_pipeline_state{pipeline=\"01\",state=\"RUNNING\",worker=\"w\"} 1\n"
      "ananas_pipeline_state{pipeline=\"01\",state=\"PAUSED\",worker=\"w\"} 0\n"
      "ananas_pipeline_state{pipeline=\"02\",state=\"RUNNING\",worker=\"w\"} 0\n"
      "ananas_pipeline_state{pipeline=\"02\",state=\"FAILED\",worker=\"w\"} 1\n"
      "ananas_watermark_lag_seconds{pipeline=\"01\",node=\"src\"} 5.5\n"
      "ananas_watermark_lag_seconds{pipeline=\"01\",node=\"win\"} 7.25\n"
      "ananas_kafka_consumer_lag{pipeline=\"01\",topic=\"pizzas\",partition=\"0\"} 10\n"
      "ananas_kafka_consumer_lag{pipeline=\"01\",topic=\"pizzas\",partition=\"1\"} 5\n"
      "ananas_actor_restarts_total{pipeline=\"02\",node=\"agg\"} 3\n";
  const auto before = parse_prometheus_text(common +
                                            "ananas_source_records_total{pipeline=\"01\",source=\"s\",topic=\"a\"} 100\n"
                                            "ananas_source_records_total{pipeline=\"01\",source=\"s\",topic=\"b\"} 50\n"
                                            "ananas_anomalies_emitted_total{pipeline=\"01\",sink=\"k\",topic=\"o\"} 10\n"
                                            "ananas_source_records_total{pipeline=\"02\",source=\"s\",topic=\"a\"} 900\n");
  const auto after = parse_prometheus_text(common +
                                           "ananas_source_records_total{pipeline=\"01\",source=\"s\",topic=\"a\"} 300\n"
                                           "ananas_source_records_total{pipeline=\"01\",source=\"s\",topic=\"b\"} 150\n"
                                           "ananas_anomalies_emitted_total{pipeline=\"01\",sink=\"k\",topic=\"o\"} 30\n"
                                           "ananas_bad_records_total{pipeline=\"01\",topic=\"a\"} 4\n"
                                           // went down: the worker restarted, so it counts from 0
                                           "ananas_source_records_total{pipeline=\"02\",source=\"s\",topic=\"a\"} 40\n");
  const auto rows = top_rows(before, after, 2.0);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].pipeline == "01");
  CHECK(rows[0].state == "RUNNING");
  CHECK(rows[0].input_per_s == Approx(150));  // (200 + 100) / 2 s
  CHECK(rows[0].anomalies_per_s == Approx(10));
  CHECK(rows[0].bad_per_s == Approx(2));  // a new series counts from 0
  REQUIRE(rows[0].watermark_lag_s);
  CHECK(*rows[0].watermark_lag_s == Approx(7.25));
  CHECK(rows[0].consumer_lag == 15);
  CHECK(rows[1].pipeline == "02");
  CHECK(rows[1].state == "FAILED");
  CHECK(rows[1].input_per_s == Approx(20));
  CHECK_FALSE(rows[1].watermark_lag_s);
  CHECK(rows[1].restarts == 3);

  const std::string screen = render_top(rows, "http://127.0.0.1:8083", 2);
  CHECK(screen.rfind("ananas top - http://127.0.0.1:8083 - every 2.0 s - q or Ctrl-C quits\n", 0) == 0);
  CHECK(screen.find("PIPELINE  STATE    IN/S  ANOMALIES/S  BAD/S  WATERMARK LAG  CONSUMER LAG  RESTARTS") !=
        std::string::npos);
  CHECK(screen.find("01        RUNNING  150   10           2.0    7.2 s          15            0") != std::string::npos);
  CHECK(render_top({}, "u", 2).find("(the worker runs no pipeline)") != std::string::npos);
}
