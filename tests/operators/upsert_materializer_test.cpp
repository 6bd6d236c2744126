#include <catch2/catch.hpp>

#include "operators/upsert_materializer.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {
Schema kv() { return Schema{{{"k", Type::integer()}, {"v", Type::string()}}}; }
}  // namespace

TEST_CASE("materializer: interleaved rows of one key", "[materializer]") {
  UpsertMaterializerOperator m(UpsertMaterializerConfig{kv(), {0}, {}});
  auto out = run(m, {batch(2, {Row({i(1), s("a")}),                       // list [a]      → +I(a)
                               Row({i(1), s("b")}),                       // list [a,b]    → +U(b)
                               Row(RowKind::UpdateBefore, {i(1), s("a")}),  // remove a, not last → nothing
                               Row({i(1), s("c")}),                       // [b,c]         → +U(c)
                               Row(RowKind::Delete, {i(1), s("c")}),      // removed last  → +U(b)
                               Row(RowKind::Delete, {i(1), s("x")}),      // not found     → ignored
                               Row(RowKind::Delete, {i(1), s("b")}),      // empty         → -D(b)
                               Row(RowKind::Delete, {i(2), s("b")})})});  // unknown key   → ignored
  CHECK(out == std::vector<std::string>{"+I(1,a)", "+U(1,b)", "+U(1,c)", "+U(1,b)", "-D(1,b)"});
  CHECK(m.stats().state_entries == 0);
}

TEST_CASE("materializer with an upsert key replaces the matching row in place", "[materializer]") {
  Schema s3{{{"k", Type::integer()}, {"u", Type::integer()}, {"v", Type::string()}}};
  UpsertMaterializerOperator m(UpsertMaterializerConfig{s3, {0}, {1}});
  auto out = run(m, {batch(3, {Row({i(1), i(10), s("a")}),
                               Row({i(1), i(10), s("b")}),                      // same upsert key: replaces
                               Row(RowKind::UpdateBefore, {i(1), i(10), s("zzz")})})});  // matches on u only
  CHECK(out == std::vector<std::string>{"+I(1,10,a)", "+U(1,10,b)", "-D(1,10,zzz)"});
}

TEST_CASE("materializer restore(snapshot()) continues exactly", "[materializer][restore]") {
  auto part1 = batch(2, {Row({i(1), s("a")}), Row({i(1), s("b")}), Row({i(2), s("x")})});
  auto part2 = batch(2, {Row(RowKind::Delete, {i(1), s("b")}), Row(RowKind::Delete, {i(2), s("x")}),
                         Row(RowKind::Delete, {i(1), s("a")})});
  UpsertMaterializerOperator plain(UpsertMaterializerConfig{kv(), {0}, {}});
  run(plain, {part1});
  auto expected = run(plain, {part2});
  CHECK(expected == std::vector<std::string>{"+U(1,a)", "-D(2,x)", "-D(1,a)"});

  UpsertMaterializerOperator before(UpsertMaterializerConfig{kv(), {0}, {}});
  run(before, {part1});
  StateWriter w;
  before.snapshot(w);
  UpsertMaterializerOperator after(UpsertMaterializerConfig{kv(), {0}, {}});
  StateReader r(w.data());
  after.restore(r);
  CHECK(run(after, {part2}) == expected);
}

TEST_CASE("materializer rejects a missing or out-of-range key", "[materializer]") {
  CHECK_THROWS_WITH(UpsertMaterializerOperator(UpsertMaterializerConfig{kv(), {}, {}}), Catch::Contains("primary key"));
  CHECK_THROWS_WITH(UpsertMaterializerOperator(UpsertMaterializerConfig{kv(), {5}, {}}), Catch::Contains("out of range"));
}
