#include <catch2/catch.hpp>

#include "core/row_codec.hpp"
#include "dataflow/exchange_dedup.hpp"
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

TEST_CASE("a watermark record naming a topic of billions of partitions costs what it holds", "[exchange]") {
  // Found by fuzz/exchange_record.cpp: the reader once sized a vector by the
  // count a record claims, so one corrupt record took gigabytes.
  ExchangeWatermarks wms;
  CHECK(wms.on_record(0, {100, {{"pizzas", 4000000000u, {7}}}}) == ops::kMinWatermark);
  CHECK(wms.on_record(0, {100, {{"pizzas", 4000000000u, {8}}}}) == ops::kMinWatermark);
  // Garbage or not, the count only ever holds the watermark back.
  CHECK(wms.watermark(0) == ops::kMinWatermark);
}

TEST_CASE("every source topic of a writer counts, owned or not", "[exchange]") {
  ExchangeWatermarks wms;
  // A writer that owns nothing of `orders` still names it: `orders` holds the watermark.
  CHECK(wms.on_record(0, {100, {{"pizzas", 1, {0}}, {"orders", 2, {}}}}) == ops::kMinWatermark);
  CHECK(wms.on_record(0, {70, {{"pizzas", 1, {}}, {"orders", 2, {0, 1}}}}) == 70);
}

TEST_CASE("stamped exchange rows carry their source record beside the row", "[exchange]") {
  Arena arena;
  Value row[2] = {Value::integer(7), Value::string("pineapple")};
  const ExchangeRowStamp stamp{1, 5, 123456789012, 3};
  std::string bytes;
  encode_exchange_row(RowKind::UpdateAfter, row, 2, bytes, &stamp);
  CHECK(exchange_record_kind(bytes) == ExchangeRecordKind::Row);
  Value out[2];
  std::optional<ExchangeRowStamp> read;
  CHECK(decode_exchange_row(bytes, 2, arena, out, &read) == RowKind::UpdateAfter);
  REQUIRE(read);
  CHECK(*read == stamp);
  CHECK(out[0].as_int() == 7);
  CHECK(out[1].as_string() == "pineapple");
  // An unstamped row reads back without a stamp; a stamp cut short is corrupt.
  std::string plain;
  encode_exchange_row(RowKind::Insert, row, 2, plain);
  CHECK(decode_exchange_row(plain, 2, arena, out, &read) == RowKind::Insert);
  CHECK_FALSE(read);
  CHECK_THROWS_AS(decode_exchange_row(bytes.substr(0, 3), 2, arena, out, &read), CorruptState);
}

TEST_CASE("the stamper numbers the rows of one source record and restarts at the next", "[exchange]") {
  ExchangeRowStamper stamper({"pizzas", "drinks"});
  auto record = [](std::string_view topic, int32_t partition, int64_t offset) {
    return std::optional<SourceRecord>(SourceRecord{topic, partition, offset, -1, std::nullopt, std::nullopt});
  };
  CHECK(stamper.stamp(record("pizzas", 2, 10)) == ExchangeRowStamp{0, 2, 10, 0});
  CHECK(stamper.stamp(record("pizzas", 2, 10)) == ExchangeRowStamp{0, 2, 10, 1});  // UNNEST: a second row
  CHECK(stamper.stamp(record("drinks", 2, 10)) == ExchangeRowStamp{1, 2, 10, 0});  // another partition counts apart
  CHECK(stamper.stamp(record("pizzas", 2, 10)) == ExchangeRowStamp{0, 2, 10, 2});
  CHECK(stamper.stamp(record("pizzas", 2, 11)) == ExchangeRowStamp{0, 2, 11, 0});
  CHECK_FALSE(stamper.stamp(std::nullopt));               // computed from state: no record
  CHECK_FALSE(stamper.stamp(record("elsewhere", 0, 1)));  // not a split source topic
}

TEST_CASE("exchange de-duplication admits each stamp once, per exchange and source partition", "[exchange]") {
  ExchangeDedup dedup;
  // A writer reads pizzas/0 and sends rows of offsets 10..12 to exchange partition 0...
  CHECK(dedup.admit(0, {0, 0, 10, 0}));
  CHECK(dedup.admit(0, {0, 0, 10, 1}));
  CHECK(dedup.admit(0, {0, 0, 12, 0}));
  // ...and to exchange partition 1, which keeps its own marks.
  CHECK(dedup.admit(1, {0, 0, 11, 0}));
  // It crashes; its successor restarts pizzas/0 from offset 10 and sends it all again.
  CHECK_FALSE(dedup.admit(0, {0, 0, 10, 0}));
  CHECK_FALSE(dedup.admit(0, {0, 0, 10, 1}));
  CHECK_FALSE(dedup.admit(1, {0, 0, 11, 0}));
  CHECK_FALSE(dedup.admit(0, {0, 0, 12, 0}));
  CHECK(dedup.admit(0, {0, 0, 12, 1}));  // a row of offset 12 the first writer never sent
  CHECK(dedup.admit(1, {0, 0, 13, 0}));
  CHECK(dedup.admit(0, {0, 1, 5, 0}));   // pizzas/1 is new
  CHECK(dedup.admit(0, {1, 0, 5, 0}));   // so is the second topic's partition 0
  CHECK(dedup.partitions() == std::vector<int32_t>{0, 1});

  // The marks survive a restart of the reader through its checkpoint position.
  ExchangeDedup restored;
  for (int32_t p : dedup.partitions()) restored.restore(p, dedup.save(p));
  CHECK(restored.save(0) == dedup.save(0));
  CHECK(restored.save(1) == dedup.save(1));
  CHECK_FALSE(restored.admit(0, {0, 0, 12, 1}));
  CHECK_FALSE(restored.admit(1, {0, 0, 13, 0}));
  CHECK(restored.admit(1, {0, 0, 14, 0}));
  CHECK(restored.save(7).empty());

  // Restoring a partition replaces its marks; corrupt marks are refused.
  restored.restore(1, "");
  CHECK(restored.partitions() == std::vector<int32_t>{0});
  CHECK_THROWS_AS(restored.restore(0, "0:0:12"), CorruptState);
  CHECK_THROWS_AS(restored.restore(0, "0:0:x:1"), CorruptState);
  CHECK_THROWS_AS(restored.restore(0, "0:0:-1:1"), CorruptState);
  CHECK_THROWS_AS(restored.restore(0, "0:0:1:1:5"), CorruptState);
}

TEST_CASE("exchange row stamps are varints, and the fixed form older workers wrote still reads", "[exchange]") {
  Arena arena;
  Value row[1] = {Value::integer(7)};
  Value out[1];
  std::optional<ExchangeRowStamp> read;
  // Tag, topic 1, partition 5, offset 123456789012 (37 bits: 6 bytes), row 3, then the cell.
  const ExchangeRowStamp stamp{1, 5, 123456789012, 3};
  std::string bytes;
  encode_exchange_row(RowKind::Insert, row, 1, bytes, &stamp);
  std::string cell;
  encode_values(row, 1, cell);
  CHECK(bytes.size() == 1 + 1 + 1 + 6 + 1 + cell.size());
  // The fixed form: tag 0x10 | kind, then the stamp's numbers as the state codec writes them.
  StateWriter fixed;
  fixed.u8(0x10 | static_cast<uint8_t>(RowKind::Delete));
  fixed.u64(1);
  fixed.u64(5);
  fixed.i64(123456789012);
  fixed.u64(3);
  std::string old = fixed.take() + cell;
  CHECK(decode_exchange_row(old, 1, arena, out, &read) == RowKind::Delete);
  CHECK(read == stamp);
  // A varint running past 64 bits, or cut inside, is corrupt; so is a tag with both stamp forms.
  std::string overlong = std::string(1, '\x20') + std::string(10, '\xFF') + '\x01' + cell;
  CHECK_THROWS_AS(decode_exchange_row(overlong, 1, arena, out, &read), CorruptState);
  CHECK_THROWS_AS(decode_exchange_row(bytes.substr(0, 5), 1, arena, out, &read), CorruptState);
  CHECK_THROWS_AS(exchange_record_kind(std::string(1, '\x30')), CorruptState);
}

TEST_CASE("exchange partials records carry a flush's partials under one stamp", "[exchange][two-phase]") {
  Arena arena;
  Value a[2] = {Value::string("pineapple"), Value::integer(1700000000000)};
  Value b[2] = {Value::string("banana"), Value::null()};
  std::string cells_a, cells_b;
  encode_values(a, 2, cells_a);
  encode_values(b, 2, cells_b);
  const std::string state_a("\x01\x02", 2), state_b;
  std::string bytes;
  encode_exchange_partials({1, 3, 500, 2}, {{cells_a, state_a}, {cells_b, state_b}}, bytes);
  CHECK(exchange_record_kind(bytes) == ExchangeRecordKind::Partials);
  std::vector<Value> rows;
  CHECK(decode_exchange_partials(bytes, 2, arena, rows) == ExchangeRowStamp{1, 3, 500, 2});
  REQUIRE(rows.size() == 6);  // two partials of two cells and a state each
  CHECK(rows[0].as_string() == "pineapple");
  CHECK(rows[1].as_int() == 1700000000000);
  CHECK(rows[2].as_string() == state_a);
  CHECK(rows[3].as_string() == "banana");
  CHECK(rows[4].is_null());
  CHECK(rows[5].as_string().empty());
  CHECK_FALSE(rows[5].is_null());  // an empty state is still a partial
  // Truncated, padded or of another width: refused, never misread.
  for (size_t cut = 1; cut < bytes.size(); ++cut) {
    rows.clear();
    CHECK_THROWS_AS(decode_exchange_partials(std::string_view(bytes).substr(0, cut), 2, arena, rows), CorruptState);
  }
  rows.clear();
  CHECK_THROWS_AS(decode_exchange_partials(bytes + "x", 2, arena, rows), CorruptState);
  rows.clear();
  CHECK_THROWS_AS(decode_exchange_partials(bytes, 3, arena, rows), CorruptState);
  Value row[1] = {Value::integer(1)};
  std::string not_partials;
  encode_exchange_row(RowKind::Insert, row, 1, not_partials);
  CHECK_THROWS_AS(decode_exchange_partials(not_partials, 1, arena, rows), CorruptState);
}

TEST_CASE("a partials record's stamp covers every row of its flush, and rows after it are new", "[exchange][two-phase]") {
  ExchangeDedup dedup;
  // A writer folds rows of offsets 10..14 of pizzas/0 and flushes them to
  // exchange partition 0, stamped with the last row folded (offset 14, row 1).
  CHECK(dedup.admit(0, {0, 0, 14, 1}));
  // A row that crosses as it is after the flush (late here) comes after it.
  CHECK(dedup.admit(0, {0, 0, 15, 0}));
  // The writer crashes; its successor sends offsets 10..15 as rows: all were counted.
  for (int64_t offset = 10; offset <= 14; ++offset) CHECK_FALSE(dedup.admit(0, {0, 0, offset, 0}));
  CHECK_FALSE(dedup.admit(0, {0, 0, 14, 1}));
  CHECK_FALSE(dedup.admit(0, {0, 0, 15, 0}));
  CHECK(dedup.admit(0, {0, 0, 16, 0}));
}
