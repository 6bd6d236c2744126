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
template <class MakeOperator>
void check_truncations(MakeOperator make, const std::string& snapshot) {
  for (size_t n = 0; n < snapshot.size(); ++n) {
    auto op = make();
    StateReader r(std::string_view(snapshot).substr(0, n));
    CHECK_THROWS_AS(op->restore(r), CorruptState);
  }
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
  check_truncations(make_group, gw.data());

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
  check_truncations(make_window, ww.data());

  auto make_sink = [] { return std::make_unique<UpsertMaterializerOperator>(UpsertMaterializerConfig{kv(), {0}, {}}); };
  auto sink = make_sink();
  sink->process(input, out);
  StateWriter sw;
  sink->snapshot(sw);
  check_truncations(make_sink, sw.data());
}
