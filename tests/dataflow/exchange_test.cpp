#include <catch2/catch.hpp>

#include "core/row_codec.hpp"
#include "dataflow/exchange_records.hpp"
#include "dataflow/exchange_watermarks.hpp"
#include "operators/operator.hpp"

using namespace ananas;
using namespace ananas::dataflow;

TEST_CASE("exchange row records carry the row kind and every cell", "[exchange]") {
  Arena arena;
  const std::string_view name = "Mario \xF0\x9F\x8D\x95";  // UTF-8 is kept byte for byte
  Value row[4] = {Value::integer(42), Value::string(name), Value::null(), Value::integer(1700000000123)};
  for (RowKind kind : {RowKind::Insert, RowKind::UpdateBefore, RowKind::UpdateAfter, RowKind::Delete}) {
    std::string bytes;
    encode_exchange_row(kind, row, 4, bytes);
    CHECK(exchange_record_kind(bytes) == ExchangeRecordKind::Row);
    Value out[4];
    CHECK(decode_exchange_row(bytes, 4, arena, out) == kind);
    CHECK(out[0].as_int() == 42);
    CHECK(out[1].as_string() == name);
    CHECK(out[2].is_null());
    CHECK(out[3].as_int() == 1700000000123);
  }
}

TEST_CASE("exchange row records of another width are refused, not misread", "[exchange]") {
  Arena arena;
  Value row[2] = {Value::integer(1), Value::integer(2)};
  std::string bytes;
  encode_exchange_row(RowKind::Insert, row, 2, bytes);
  Value out[3];
  CHECK_THROWS_AS(decode_exchange_row(bytes, 3, arena, out), CorruptState);
  CHECK_THROWS_AS(decode_exchange_row(bytes, 1, arena, out), CorruptState);
  CHECK_THROWS_AS(exchange_record_kind(""), CorruptState);
  CHECK_THROWS_AS(exchange_record_kind("\x07"), CorruptState);
}

TEST_CASE("exchange watermark records round-trip and reject corrupt bytes", "[exchange]") {
  ExchangeWatermark w{12345, {{"pizzas", 4, {1, 3}}, {"other", 1, {}}}};
  const std::string bytes = encode_exchange_watermark(w);
  CHECK(exchange_record_kind(bytes) == ExchangeRecordKind::Watermark);
  CHECK(decode_exchange_watermark(bytes) == w);
  ExchangeWatermark minimum{ops::kMinWatermark, {{"t", 2, {0}}}};
  CHECK(decode_exchange_watermark(encode_exchange_watermark(minimum)) == minimum);

  CHECK_THROWS_AS(decode_exchange_watermark(bytes.substr(0, bytes.size() - 1)), CorruptState);
  CHECK_THROWS_AS(decode_exchange_watermark(bytes + "x"), CorruptState);
  ExchangeWatermark bad{1, {{"t", 2, {5}}}};  // partition 5 of a 2-partition topic
  CHECK_THROWS_AS(decode_exchange_watermark(encode_exchange_watermark(bad)), CorruptState);
}

TEST_CASE("an exchange partition's watermark is the minimum over every source partition", "[exchange]") {
  ExchangeWatermarks wms;
  // Writer A reads pizzas/0 and /1, writer B pizzas/2; pizzas/3 has no writer yet.
  CHECK(wms.on_record(0, {100, {{"pizzas", 4, {0, 1}}}}) == ops::kMinWatermark);
  CHECK(wms.on_record(0, {90, {{"pizzas", 4, {2}}}}) == ops::kMinWatermark);
  CHECK(wms.on_record(0, {95, {{"pizzas", 4, {3}}}}) == 90);
  CHECK(wms.on_record(0, {120, {{"pizzas", 4, {2}}}}) == 95);
  // Exchange partition 1 has heard nothing: its own watermark is unaffected.
  CHECK(wms.watermark(1) == ops::kMinWatermark);
  CHECK(wms.on_record(1, {200, {{"pizzas", 4, {0, 1, 2, 3}}}}) == 200);
  CHECK(wms.watermark(0) == 95);
}

TEST_CASE("a source partition that moves to a writer that starts over does not move the watermark back",
          "[exchange]") {
  ExchangeWatermarks wms;
  CHECK(wms.on_record(0, {100, {{"t", 2, {0, 1}}}}) == 100);
  // pizzas/1 moved to a new writer whose watermark is still lower.
  CHECK(wms.on_record(0, {40, {{"t", 2, {1}}}}) == 100);
  CHECK(wms.on_record(0, {150, {{"t", 2, {0}}}}) == 100);
  CHECK(wms.on_record(0, {130, {{"t", 2, {1}}}}) == 130);
}

TEST_CASE("every source topic of a writer counts, owned or not", "[exchange]") {
  ExchangeWatermarks wms;
  // A writer that owns nothing of `orders` still names it: `orders` holds the watermark.
  CHECK(wms.on_record(0, {100, {{"pizzas", 1, {0}}, {"orders", 2, {}}}}) == ops::kMinWatermark);
  CHECK(wms.on_record(0, {70, {{"pizzas", 1, {}}, {"orders", 2, {0, 1}}}}) == 70);
}
