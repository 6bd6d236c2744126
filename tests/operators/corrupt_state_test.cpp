#include <catch2/catch.hpp>

#include "operators/group_aggregate.hpp"
#include "operators/upsert_materializer.hpp"
#include "operators/window_aggregate.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

Schema kv() { return Schema{{{"k", Type::string()}, {"v", Type::integer()}}}; }

std::vector<AggregateCall> all_aggregates(const Schema& in) {
  std::vector<AggregateCall> calls;
  for (auto kind : {AggregateKind::CountStar, AggregateKind::Sum, AggregateKind::Max, AggregateKind::ListAgg}) {
    AggregateCall c;
    c.kind = kind;
    c.name = "a" + std::to_string(calls.size());
    if (kind == AggregateKind::Sum || kind == AggregateKind::Max) c.args = {col(in, "v")};
    if (kind == AggregateKind::ListAgg) c.args = {col(in, "k")};
    calls.push_back(c);
  }
  return calls;
}

// Every strict prefix of a snapshot must be rejected with CorruptState, never crash or half-succeed silently.
// Returns how many prefixes were tried.
template <class MakeOperator>
size_t check_truncations(MakeOperator make, const std::string& snapshot) {
  for (size_t n = 0; n < snapshot.size(); ++n) {
    auto op = make();
    StateReader r(std::string_view(snapshot).substr(0, n));
    CHECK_THROWS_AS(op->restore(r), CorruptState);
  }
  return snapshot.size();
}

}  // namespace

TEST_CASE("restoring a truncated snapshot throws CorruptState", "[restore]") {
  auto input = batch(2, {Row({s("a"), i(1)}), Row({s("b"), i(2000)}), Row({s("a"), i(3)})});
  std::vector<BatchPtr> out;

  auto make_group = [] {
    GroupAggregateConfig c{kv(), {{"k", col(kv(), "k")}}, all_aggregates(kv()), true, {}};
    return std::make_unique<GroupAggregateOperator>(c);
  };
  auto group = make_group();
  group->process(input, out);
  StateWriter gw;
  group->snapshot(gw);
  CHECK(check_truncations(make_group, gw.data()) > 0);

  auto make_window = [] {
    Schema in{{{"k", Type::string()}, {"v", Type::timestamp(3)}}};
    WindowAggregateConfig c;
    c.input = in;
    c.time_column = 1;
    c.window = {WindowKind::Tumble, 1000, 0, 0};
    c.keys = {{"k", col(in, "k")}};
    c.aggregates = all_aggregates(kv());
    return std::make_unique<WindowAggregateOperator>(c);
  };
  auto window = make_window();
  window->process(input, out);
  StateWriter ww;
  window->snapshot(ww);
  CHECK(check_truncations(make_window, ww.data()) > 0);

  auto make_sink = [] { return std::make_unique<UpsertMaterializerOperator>(UpsertMaterializerConfig{kv(), {0}, {}}); };
  auto sink = make_sink();
  sink->process(input, out);
  StateWriter sw;
  sink->snapshot(sw);
  CHECK(check_truncations(make_sink, sw.data()) > 0);
}

TEST_CASE("restoring a snapshot of another layout names the operator and what differs", "[restore]") {
  auto input = batch(2, {Row({s("a"), i(1)}), Row({s("b"), i(2000)})});
  std::vector<BatchPtr> out;
  GroupAggregateConfig c{kv(), {{"k", col(kv(), "k")}}, all_aggregates(kv()), true, {}};
  GroupAggregateOperator group(c);
  group.process(input, out);
  StateWriter w;
  group.snapshot(w);

  // Same configuration: restores.
  GroupAggregateOperator same(c);
  StateReader ok(w.data());
  same.restore(ok);
  CHECK(same.stats().state_entries == 2);

  // One aggregate fewer: the accumulators would be misread; the fingerprint says so.
  GroupAggregateConfig fewer = c;
  fewer.aggregates.pop_back();
  GroupAggregateOperator other(fewer);
  StateReader r1(w.data());
  CHECK_THROWS_WITH(other.restore(r1), Catch::Contains("cannot restore group_aggregate") &&
                                           Catch::Contains("layout fingerprint") &&
                                           Catch::Contains("configuration or input schema changed"));

  // Another operator kind.
  UpsertMaterializerOperator sink(UpsertMaterializerConfig{kv(), {0}, {}});
  StateReader r2(w.data());
  CHECK_THROWS_WITH(sink.restore(r2), Catch::Contains("cannot restore upsert_materializer") &&
                                          Catch::Contains("snapshot is of a group_aggregate operator"));

  // Another state version (an older build wrote it): the header field is rewritten in place.
  OperatorSnapshot snap = group.snapshot_state();
  snap.layout.version += 1;
  const std::string bytes3 = encode_snapshot(snap);
  StateReader r3(bytes3);
  GroupAggregateOperator newer(c);
  CHECK_THROWS_WITH(newer.restore(r3), Catch::Contains("snapshot state version 2, this build reads version 1"));

  // Another key-group count (the maximum parallelism changed).
  snap = group.snapshot_state();
  snap.layout.key_groups = 256;
  const std::string bytes4 = encode_snapshot(snap);
  StateReader r4(bytes4);
  CHECK_THROWS_WITH(newer.restore(r4), Catch::Contains("256 key groups"));

  // Not a snapshot at all, and the pre-versioning format (a bare entry count).
  std::string old_format(16, '\0');  // u64 2 groups, then the first key's u64 length
  old_format[0] = 2;
  old_format[8] = 3;
  StateReader r5(old_format);
  CHECK_THROWS_WITH(newer.restore(r5), Catch::Contains("not an operator snapshot"));

  // Bytes a key group does not account for.
  snap = group.snapshot_state();
  snap.keyed.begin()->second += "x";
  const std::string bytes6 = encode_snapshot(snap);
  StateReader r6(bytes6);
  CHECK_THROWS_AS(newer.restore(r6), CorruptState);
}

TEST_CASE("a snapshot carries its operator's kind, version, fingerprint and key groups", "[restore]") {
  auto input = batch(2, {Row({s("a"), i(1)}), Row({s("b"), i(2)}), Row({s("c"), i(3)})});
  std::vector<BatchPtr> out;
  GroupAggregateOperator group(GroupAggregateConfig{kv(), {{"k", col(kv(), "k")}}, all_aggregates(kv()), true, {}});
  group.process(input, out);
  const OperatorSnapshot snap = group.snapshot_state();
  CHECK(snap.layout.kind == "group_aggregate");
  CHECK(snap.layout.version == 1);
  CHECK(snap.layout.key_groups == kDefaultKeyGroups);
  CHECK(snap.layout.fingerprint == group.state_layout().fingerprint);
  // Each key's entry sits in its key's group: murmur2 of the encoded key.
  size_t entries = 0;
  for (const char* k : {"a", "b", "c"}) {
    std::string key;
    encode_value(Value::string(k), key);
    CHECK(snap.keyed.count(key_group_of(key, kDefaultKeyGroups)) == 1);
  }
  for (const auto& [g, bytes] : snap.keyed) entries += !bytes.empty();
  CHECK(entries == snap.keyed.size());
  const OperatorSnapshot back = decode_snapshot(encode_snapshot(snap));
  CHECK(back.keyed == snap.keyed);
  CHECK(back.shared == snap.shared);
}
