#include <catch2/catch.hpp>

#include "dataflow/topology.hpp"

using namespace ananas::dataflow;
using Kind = TopologyError::Kind;

namespace {

NodeDecl source(std::string name) { return {std::move(name), NodeKind::Source, {}, 1}; }
NodeDecl op(std::string name, std::vector<std::string> inputs, int parallelism = 1) {
  return {std::move(name), NodeKind::Operator, std::move(inputs), parallelism};
}
NodeDecl sink(std::string name, std::vector<std::string> inputs) {
  return {std::move(name), NodeKind::Sink, std::move(inputs), 1};
}

// The error a topology raises, or fails the test when it builds.
TopologyError error_of(std::vector<NodeDecl> nodes, TopologyRules rules = {}) {
  try {
    Topology t(std::move(nodes), rules);
  } catch (const TopologyError& e) {
    return e;
  }
  FAIL("the topology was accepted");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("topological order puts every node after its inputs, lower index first among ready nodes", "[topology]") {
  // Declared out of order: sink first, diamond in the middle.
  Topology t({sink("out", {"join"}), op("join", {"left", "right"}), op("right", {"in"}), op("left", {"in"}),
              source("in")});
  CHECK(t.order() == std::vector<size_t>{4, 2, 3, 1, 0});
  CHECK(t.upstream(1) == std::vector<size_t>{3, 2});
  REQUIRE(t.consumers(4).size() == 2);
  CHECK(t.consumers(4)[0].consumer == 2);
  CHECK(t.consumers(4)[1].consumer == 3);
  REQUIRE(t.consumers(3).size() == 1);
  CHECK(t.consumers(3)[0].consumer == 1);
  CHECK(t.consumers(3)[0].slot == 0);
  CHECK(t.consumers(2)[0].slot == 1);
  CHECK(t.consumers(0).empty());
  CHECK(t.find("join") == 1u);
  CHECK_FALSE(t.find("nope"));
}

TEST_CASE("inputs are numbered across the instances of the upstream nodes", "[topology]") {
  Topology t({source("in"), op("a", {"in"}, 3), op("b", {"in"}, 2), op("c", {"b", "a"}), sink("out", {"c"})});
  CHECK(t.input_count(1) == 1);
  CHECK(t.input_count(3) == 5);  // b#0 b#1 a#0 a#1 a#2
  CHECK(t.input_index(3, 0, 0) == 0);
  CHECK(t.input_index(3, 0, 1) == 1);
  CHECK(t.input_index(3, 1, 0) == 2);
  CHECK(t.input_index(3, 1, 2) == 4);
  const Edge from_a = t.consumers(1)[0];
  CHECK(t.input_index(from_a, 1) == 3);
  CHECK(t.input_count(4) == 1);
}

TEST_CASE("a node that reads the same input twice gets one input per edge", "[topology]") {
  Topology t({source("in"), op("self_join", {"in", "in"}), sink("out", {"self_join"})});
  REQUIRE(t.consumers(0).size() == 2);
  CHECK(t.input_index(t.consumers(0)[0], 0) == 0);
  CHECK(t.input_index(t.consumers(0)[1], 0) == 1);
  CHECK(t.input_count(1) == 2);
}

TEST_CASE("every wiring mistake is reported with the node at fault", "[topology]") {
  SECTION("empty name") {
    auto e = error_of({source(""), sink("out", {"x"})});
    CHECK(e.kind == Kind::EmptyName);
    CHECK(e.node == 0);
  }
  SECTION("duplicate name") {
    auto e = error_of({source("in"), op("a", {"in"}), sink("a", {"in"})});
    CHECK(e.kind == Kind::DuplicateName);
    CHECK(e.node == 2);
    CHECK(e.other == 1);
    CHECK_THAT(e.what(), Catch::Contains("duplicate node name 'a'"));
  }
  SECTION("parallelism") {
    CHECK(error_of({source("in"), op("a", {"in"}, 0), sink("out", {"a"})}).kind == Kind::BadParallelism);
    auto e = error_of({NodeDecl{"in", NodeKind::Source, {}, 2}, sink("out", {"in"})});
    CHECK(e.kind == Kind::BadParallelism);
    CHECK_NOTHROW(Topology({NodeDecl{"in", NodeKind::Source, {}, 2}, sink("out", {"in"})},
                           TopologyRules{.single_instance_sources = false}));
  }
  SECTION("a source with inputs") {
    auto e = error_of({source("a"), NodeDecl{"b", NodeKind::Source, {"a"}, 1}, sink("out", {"b"})});
    CHECK(e.kind == Kind::SourceWithInput);
    CHECK(e.node == 1);
  }
  SECTION("an operator without inputs") {
    auto e = error_of({source("in"), op("a", {}), sink("out", {"in"})});
    CHECK(e.kind == Kind::NoInputs);
    CHECK(e.node == 1);
  }
  SECTION("reading itself") {
    auto e = error_of({source("in"), op("a", {"in", "a"}), sink("out", {"a"})});
    CHECK(e.kind == Kind::SelfInput);
    CHECK(e.node == 1);
    CHECK_THAT(e.what(), Catch::Contains("cycle"));
  }
  SECTION("unknown input") {
    auto e = error_of({source("in"), op("a", {"in"}), sink("out", {"missing"})});
    CHECK(e.kind == Kind::UnknownInput);
    CHECK(e.node == 2);
    CHECK(e.input == "missing");
    CHECK_THAT(e.what(), Catch::Contains("unknown input 'missing'"));
  }
  SECTION("reading from a sink") {
    auto e = error_of({source("in"), sink("out", {"in"}), op("a", {"out"}), sink("out2", {"a"})});
    CHECK(e.kind == Kind::ReadsSink);
    CHECK(e.node == 2);
    CHECK(e.input == "out");
  }
  SECTION("no source, no sink") {
    CHECK(error_of({op("a", {"b"}), op("b", {"a"}), sink("out", {"a"})}).kind == Kind::NoSource);
    CHECK(error_of({source("in"), op("a", {"in"})}).kind == Kind::NoSink);
    CHECK_NOTHROW(Topology({source("in"), op("a", {"in"})}, TopologyRules{.require_sink = false}));
  }
  SECTION("a cycle names its first node in index order and the path along inputs") {
    // d only sits behind the cycle b -> c -> b; it is not reported.
    auto e = error_of({source("in"), op("d", {"b"}), op("b", {"in", "c"}), op("c", {"b"}), sink("out", {"d"})});
    CHECK(e.kind == Kind::Cycle);
    CHECK(e.node == 2);
    CHECK(e.cycle == std::vector<std::string>{"b", "c", "b"});
    CHECK_THAT(e.what(), Catch::Contains("cycle"));
  }
  SECTION("the first mistake in node order wins") {
    auto e = error_of({source("in"), op("a", {"a"}), op("b", {"missing"}), sink("out", {"b"})});
    CHECK(e.kind == Kind::SelfInput);
    CHECK(e.node == 1);
  }
}
