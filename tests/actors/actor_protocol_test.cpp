// The typed actor protocol seen from outside an operator actor: a test actor
// plays its upstream, its downstream and its supervisor at once, and checks
// what comes back (credit, routed batches, snapshots with typed ids, and a
// FailureKind exit reason).
#include <catch2/catch.hpp>

#include "actors/internal/wiring.hpp"
#include "test_doubles.hpp"

using namespace ananas;
using namespace ananas::rt;
using namespace ananas::rt::testing;
using namespace std::chrono_literals;

namespace {

caf::actor_system_config test_config() {
  caf::actor_system_config cfg;
  std::istringstream no_ini;
  cfg.parse(caf::actor_system_config::string_list{}, no_ini);
  cfg.set("scheduler.max-threads", 2);
  add_failure_category(cfg);
  return cfg;
}

}  // namespace

TEST_CASE("an operator actor returns credit, routes its outputs, snapshots with its ids and fails by kind",
          "[protocol]") {
  auto cfg = test_config();
  caf::actor_system sys{cfg};
  {
    caf::scoped_actor self{sys, true};
    PipelineGraph g;
    g.name = "p";
    g.nodes = {operator_node("sum", {}, [] { return std::make_unique<RunningSum>(); })};
    auto ctx = std::make_shared<NodeContext>(NodeContext{"p", "sum", "", NodeId{7}, RuntimeOptions{},
                                                         std::make_shared<Metrics>(), std::make_shared<StatusBoard>(g)});
    Wiring w;
    w.instance = InstanceId{2};
    w.inputs = 1;
    w.channels = {caf::actor_cast<consumer_actor>(self)};
    w.channel_input = {InputId{4}};
    w.groups = {OutputGroup{{0}, {}}};
    w.supervisor = caf::actor_cast<supervisor_actor>(self);
    auto op = spawn_operator(self.ptr(), ctx, std::move(w), std::make_unique<RunningSum>([](int64_t, int64_t v) {
                               if (v < 0) throw std::runtime_error("negative value");
                             }));

    // One batch in: its output goes to our channel 0 as our input 4, and one
    // credit comes back on the channel it was sent over.
    self->send(op, msg::batch_atom::value, InputId{0}, ChannelId{9}, make_batch({{1, 10}, {1, 5}}));
    BatchPtr out;
    std::optional<ChannelId> credited;
    for (int i = 0; i < 2; ++i)
      self->receive(
          [&](msg::batch_atom, InputId input, ChannelId channel, const BatchPtr& b) {
            CHECK(input == InputId{4});
            CHECK(channel == ChannelId{0});
            out = b;
          },
          [&](msg::credit_atom, ChannelId channel, int32_t n) {
            CHECK(n == 1);
            credited = channel;
          },
          caf::after(5s) >> [] { FAIL("no message from the operator"); });
    REQUIRE(out);
    CHECK(out->at(1, 1).as_int() == 15);
    REQUIRE(credited);
    CHECK(*credited == ChannelId{9});

    // A barrier: the snapshot reaches the supervisor with the node, instance
    // and checkpoint ids, and the barrier goes on downstream.
    self->send(op, msg::barrier_atom::value, InputId{0}, CheckpointId{3});
    std::string state;
    bool forwarded = false;
    for (int i = 0; i < 2; ++i)
      self->receive(
          [&](msg::snapshot_atom, NodeId node, InstanceId inst, CheckpointId id, const std::string& s) {
            CHECK(node == NodeId{7});
            CHECK(inst == InstanceId{2});
            CHECK(id == CheckpointId{3});
            state = s;
          },
          [&](msg::barrier_atom, InputId input, CheckpointId id) {
            CHECK(input == InputId{4});
            CHECK(id == CheckpointId{3});
            forwarded = true;
          },
          caf::after(5s) >> [] { FAIL("no snapshot or barrier"); });
    CHECK(forwarded);
    RunningSum restored;
    StateReader r(state);
    restored.restore(r);
    std::vector<BatchPtr> again;
    restored.process(make_batch({{1, 1}}), again);
    CHECK(again.at(0)->at(0, 1).as_int() == 16);  // 10 + 5 + 1: the snapshot held the sum

    // An exception ends the actor with an operator_failed error carrying the message.
    self->send(op, msg::batch_atom::value, InputId{0}, ChannelId{9}, make_batch({{1, -1}}));
    caf::error reason;
    self->receive([&](caf::down_msg& dm) { reason = dm.reason; },
                  caf::after(5s) >> [] { FAIL("the operator did not exit"); });
    const Failure f = read_failure(reason, sys);
    CHECK(f.kind == FailureKind::OperatorFailed);
    CHECK(f.message == "negative value");
    CHECK(sys.render(reason) == "operator_failed: negative value");
  }
}

TEST_CASE("an exit reason that is not ours reads as actor_exited with CAF's rendering", "[protocol]") {
  auto cfg = test_config();
  caf::actor_system sys{cfg};
  const Failure killed = read_failure(caf::exit_reason::kill, sys);
  CHECK(killed.kind == FailureKind::ActorExited);
  CHECK_FALSE(killed.message.empty());
  CHECK(read_failure(caf::error{}, sys).kind == FailureKind::ActorExited);
  const Failure restore = read_failure(make_error(FailureKind::RestoreFailed, "bad layout"), sys);
  CHECK(restore.kind == FailureKind::RestoreFailed);
  CHECK(restore.message == "bad layout");
}
