#include <catch2/catch.hpp>
#include <type_traits>

#include "core/batch.hpp"
#include "core/row_codec.hpp"

using namespace ananas;

TEST_CASE("batches cannot be copied implicitly, only cloned (counted)") {
  STATIC_REQUIRE_FALSE(std::is_copy_constructible_v<Batch>);
  STATIC_REQUIRE_FALSE(std::is_copy_assignable_v<Batch>);
  Batch b(2);
  Value* r = b.append_row();
  r[0] = Value::integer(7);
  r[1] = Value::string(b.arena().copy("🍍 pineapple"));
  uint64_t before = Batch::deep_copies();
  auto c = b.clone();
  REQUIRE(Batch::deep_copies() == before + 1);
  REQUIRE(c->at(0, 1).as_string() == "🍍 pineapple");
  REQUIRE(c->at(0, 1).u.s != b.at(0, 1).u.s);  // really copied
}

TEST_CASE("deep_copy (one for batches and expression literals) owns every byte of nested values") {
  Arena target;
  Value copy;
  const __int128 big = static_cast<__int128>(INT64_MAX) * 1000;
  {
    Arena source;
    Value toppings[2] = {Value::string(source.copy("🍍 pineapple")), Value::null()};
    auto* unscaled = source.allocate_array<__int128>(1);
    *unscaled = big;
    Value fields[3] = {Value::string(source.copy("Margherita")), Value::array(toppings, 2), Value::big_decimal(unscaled)};
    copy = deep_copy(Value::row(fields, 3), target);
    // Overwrite the source before it is freed: a shallow copy would see this.
    fields[0] = Value::null();
    toppings[0] = Value::null();
    *unscaled = 0;
  }
  REQUIRE(copy.kind == ValueKind::Row);
  REQUIRE(copy.elements()[0].as_string() == "Margherita");
  REQUIRE(copy.elements()[1].elements()[0].as_string() == "🍍 pineapple");
  REQUIRE(copy.elements()[1].elements()[1].is_null());
  REQUIRE(copy.elements()[2].kind == ValueKind::BigDecimal);
  REQUIRE(copy.elements()[2].unscaled() == big);
}

TEST_CASE("row codec round-trips nested values and equal values encode equally") {
  Arena arena;
  Value toppings[2] = {Value::string("🍍 pineapple"), Value::null()};
  Value fields[2] = {Value::string("Margherita"), Value::array(toppings, 2)};
  Value pizza = Value::row(fields, 2);
  std::string bytes;
  encode_value(pizza, bytes);
  std::string_view in = bytes;
  Value back = decode_value(in, arena);
  REQUIRE(in.empty());
  REQUIRE(back.kind == ValueKind::Row);
  REQUIRE(back.elements()[0].as_string() == "Margherita");
  REQUIRE(back.elements()[1].elements()[0].as_string() == "🍍 pineapple");
  REQUIRE(back.elements()[1].elements()[1].is_null());
  std::string again;
  encode_value(back, again);
  REQUIRE(again == bytes);
  std::string neg, pos;
  encode_value(Value::real(-0.0), neg);
  encode_value(Value::real(0.0), pos);
  REQUIRE(neg == pos);
}

TEST_CASE("truncated state is reported, never read past the end") {
  std::string bytes;
  encode_value(Value::string("hello"), bytes);
  Arena arena;
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    std::string_view in(bytes.data(), cut);
    REQUIRE_THROWS_AS(decode_value(in, arena), CorruptState);
  }
}

namespace {
class NumberedRecords final : public SourceRecords {
 public:
  std::string_view source() const override { return "t"; }
  size_t size() const override { return 10; }
  SourceRecord at(uint32_t i) const override {
    SourceRecord r;
    r.offset = i;
    return r;
  }
  bool claim(uint32_t) const override { return true; }
};
}  // namespace

TEST_CASE("a batch's origin: each row's source record, kept by pop_row and clone, none when a row was not traced") {
  Batch b(1);
  CHECK_FALSE(b.origin_index(0));
  b.set_origin(std::make_shared<NumberedRecords>());
  for (uint32_t record : {3u, 5u, 9u}) {
    b.append_row()[0] = Value::integer(record);
    b.trace_row(record);
  }
  CHECK(b.source_record(1)->offset == 5);
  b.pop_row();
  CHECK(b.num_rows() == 2);
  CHECK(b.origin_index(1) == 5u);
  CHECK_FALSE(b.origin_index(2));
  auto c = b.clone();
  CHECK(c->source_record(0)->offset == 3);

  // A row appended without its record would shift every later one: a wrong
  // record is worse than none, so the batch then names no record at all.
  b.append_row()[0] = Value::integer(7);
  CHECK_FALSE(b.origin_index(0));
  CHECK_FALSE(b.source_record(2));
}
