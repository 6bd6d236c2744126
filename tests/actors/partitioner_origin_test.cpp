// The key partitioner splits a batch between an operator's instances; each
// part keeps its rows' source records (Batch::origin), so a row that fails in
// any instance can still be dead-lettered with the bytes it was read from.
#include <catch2/catch.hpp>

#include "actors/partitioner.hpp"
#include "test_doubles.hpp"

using namespace ananas;
using namespace ananas::rt;

namespace {
// Record i has offset 1000 + i.
class Records final : public SourceRecords {
 public:
  std::string_view source() const override { return "orders"; }
  size_t size() const override { return 300; }
  SourceRecord at(uint32_t i) const override {
    SourceRecord r;
    r.offset = 1000 + i;
    return r;
  }
  bool claim(uint32_t) const override { return true; }
};
}  // namespace

TEST_CASE("partition_batch keeps each row's source record in whichever part it goes to", "[flow][origin]") {
  auto in = std::make_shared<Batch>(2);
  in->set_origin(std::make_shared<Records>());
  for (int64_t k = 0; k < 200; ++k) {
    Value* row = in->append_row();
    row[0] = Value::integer(k % 13);
    row[1] = Value::integer(k);
    in->trace_row(static_cast<uint32_t>(k + 50));  // row k was decoded from record k + 50
  }
  auto parts = partition_batch(in, {0}, 3);
  size_t rows = 0, used = 0;
  for (const auto& part : parts) {
    if (!part) continue;
    ++used;
    CHECK(part->origin() == in->origin());
    for (size_t r = 0; r < part->num_rows(); ++r, ++rows) {
      auto record = part->source_record(r);
      REQUIRE(record);
      CHECK(record->offset == 1000 + 50 + part->at(r, 1).as_int());
    }
  }
  CHECK(rows == 200);
  CHECK(used > 1);

  // A batch without an origin splits into parts without one.
  auto plain = ananas::rt::testing::make_batch({{1, 1}, {2, 2}, {3, 3}});
  for (const auto& part : partition_batch(plain, {0}, 3))
    if (part) CHECK_FALSE(part->origin());
}
