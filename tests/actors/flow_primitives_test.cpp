#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "dataflow/input_aligner.hpp"
#include "actors/outbox.hpp"
#include "actors/partitioner.hpp"
#include "actors/pipeline_graph.hpp"
#include "test_doubles.hpp"

using namespace ananas;
using namespace ananas::rt;
using namespace ananas::rt::testing;
using ananas::dataflow::InputAligner;

TEST_CASE("partition_batch sends equal keys to the same instance, retaining the input", "[flow]") {
  std::vector<std::pair<int64_t, int64_t>> rows;
  for (int64_t i = 0; i < 300; ++i) rows.emplace_back(i % 17, i);
  auto in = make_batch(rows);
  const auto copies = Batch::deep_copies();
  auto parts = partition_batch(in, {0}, 4);
  REQUIRE(parts.size() == 4);
  std::map<int64_t, size_t> owner;
  size_t total = 0, used = 0;
  for (size_t p = 0; p < parts.size(); ++p) {
    if (!parts[p]) continue;
    ++used;
    CHECK(parts[p]->retained().size() == 1);
    CHECK(parts[p]->retained()[0] == in);
    for (size_t r = 0; r < parts[p]->num_rows(); ++r) {
      auto [it, fresh] = owner.emplace(parts[p]->at(r, 0).as_int(), p);
      CHECK(it->second == p);
      ++total;
    }
  }
  CHECK(total == 300);
  CHECK(used > 1);
  CHECK(Batch::deep_copies() == copies);
  // One instance: the very same batch.
  auto single = partition_batch(in, {0}, 1);
  REQUIRE(single.size() == 1);
  CHECK(single[0] == in);
}

TEST_CASE("outbox sends batches only with credit and keeps watermarks behind them", "[flow]") {
  Outbox box(1, 2);
  for (int i = 0; i < 3; ++i) box.push(0, OutEvent{OutEvent::Type::Batch, make_batch({{i, i}}), 0});
  box.push(0, OutEvent{OutEvent::Type::Watermark, nullptr, 99});
  std::vector<OutEvent::Type> sent;
  auto send = [&](size_t, OutEvent&& e) { sent.push_back(e.type); };
  box.flush(send);
  CHECK(sent.size() == 2);
  CHECK(box.queued_batches() == 1);
  box.grant(0, 1);
  box.flush(send);
  REQUIRE(sent.size() == 4);
  CHECK(sent[2] == OutEvent::Type::Batch);
  CHECK(sent[3] == OutEvent::Type::Watermark);
  CHECK(box.queued_batches() == 0);
}

TEST_CASE("input aligner: watermark is the minimum, barriers hold back the inputs that delivered them",
          "[flow]") {
  std::vector<std::string> log;
  InputAligner<int> a(2, {[&](int& b) { log.push_back("b" + std::to_string(b)); },
                          [&](int64_t wm) { log.push_back("w" + std::to_string(wm)); },
                          [&](uint64_t id) { log.push_back("c" + std::to_string(id)); }});
  a.on_watermark(0, 10);  // input 1 has none yet: no output
  CHECK(log.empty());
  a.on_watermark(1, 5);
  a.on_watermark(1, 20);
  a.on_watermark(0, 30);
  CHECK(log == std::vector<std::string>{"w5", "w10", "w20"});
  log.clear();
  a.on_barrier(0, 1);
  a.on_batch(0, 7);  // after the barrier on input 0: held
  a.on_batch(1, 8);  // before the barrier on input 1: processed
  CHECK(log == std::vector<std::string>{"b8"});
  a.on_barrier(1, 1);
  CHECK(log == std::vector<std::string>{"b8", "c1", "b7"});
  CHECK(a.held() == 0);
}

TEST_CASE("validate_graph rejects broken wiring and orders nodes topologically", "[flow]") {
  auto src = std::make_shared<SourceData>();
  auto sink = std::make_shared<SinkData>();
  PipelineGraph g;
  g.name = "p";
  g.nodes = {sink_node("out", {"op"}, sink), operator_node("op", {"in"}, [] { return std::make_unique<PassThrough>(); }),
             source_node("in", src)};
  auto order = validate_graph(g);
  CHECK(order == std::vector<size_t>{2, 1, 0});

  auto bad = g;
  bad.nodes[1].inputs = {"missing"};
  CHECK_THROWS_WITH(validate_graph(bad), Catch::Contains("unknown input 'missing'"));
  auto cyclic = g;
  cyclic.nodes[1].inputs = {"in", "op"};
  CHECK_THROWS_WITH(validate_graph(cyclic), Catch::Contains("cycle"));
  auto dup = g;
  dup.nodes[0].name = "op";
  CHECK_THROWS_WITH(validate_graph(dup), Catch::Contains("duplicate node name"));
}
