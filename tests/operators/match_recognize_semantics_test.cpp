// MATCH_RECOGNIZE engine semantics through the operator: every quantifier in
// greedy and reluctant form, optional variables, emission order (Flink: NFA.processMatchesAccordingToSkipStrategy),
// skip errors, navigation offsets and aggregates, WITHIN, state release,
// snapshot/restore and configuration errors.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "core/key_group.hpp"
#include "operators/checkpoint_store.hpp"
#include "operators/match_recognize/match_recognize_operator.hpp"
#include "operators/match_recognize/navigation.hpp"

using namespace ananas;
using namespace ananas::ops;
using namespace ananas::ops::mr;
using expr::CompiledExprPtr;
using expr::EvalContext;

namespace {

class Lambda final : public expr::CompiledExpr {
 public:
  using Fn = std::function<Value(const Value*, EvalContext&)>;
  Lambda(Type t, Fn f) : CompiledExpr(std::move(t)), f_(std::move(f)) {}
  Value eval(const Value* row, EvalContext& ctx) const override { return f_(row, ctx); }

 private:
  Fn f_;
};

// (k STRING, t TIMESTAMP(3) *ROWTIME*, n BIGINT)
constexpr size_t kKey = 0, kTime = 1, kN = 2;
Schema schema() {
  return Schema{{{"k", Type::string()}, {"t", Type::timestamp(3).with_time_attr(TimeAttr::Rowtime)}, {"n", Type::bigint()}}};
}
CompiledExprPtr n_col() { return make_column(kN, Type::bigint()); }

// A DEFINE that tests the candidate's n alone.
CompiledExprPtr when(std::function<bool(int64_t)> pred) {
  return std::make_shared<Lambda>(Type::boolean(), [pred](const Value* row, EvalContext&) {
    return row[kN].is_null() ? Value::null() : Value::boolean(pred(row[kN].as_int()));
  });
}
// A DEFINE over the navigation value `nav` and the candidate's n.
CompiledExprPtr when_nav(CompiledExprPtr nav, std::function<bool(int64_t, int64_t)> pred) {
  return std::make_shared<Lambda>(Type::boolean(), [nav, pred](const Value* row, EvalContext& ctx) {
    Value v = nav->eval(row, ctx);
    if (v.is_null() || row[kN].is_null()) return Value::null();
    return Value::boolean(pred(v.as_int(), row[kN].as_int()));
  });
}
CompiledExprPtr listagg_n() {
  auto cast = std::make_shared<Lambda>(Type::string(), [](const Value* row, EvalContext& ctx) {
    return row[kN].is_null() ? Value::null() : Value::string(ctx.arena->copy(std::to_string(row[kN].as_int())));
  });
  return make_aggregate(MatchAggregate::ListAgg, kUniversal, cast);
}

MatchRecognizeConfig config(const std::string& pattern, SkipKind skip = SkipKind::PastLastRow, std::string var = "") {
  MatchRecognizeConfig c;
  c.input = schema();
  c.partition_by = {kKey};
  c.order_by = {{kTime, false, {"q.sql", 4, 12}}};
  c.pattern_text = pattern;
  c.pattern_loc = {"q.sql", 8, 13};
  c.skip = {skip, std::move(var)};
  c.measures.push_back({"rows", listagg_n(), {}});
  return c;
}

struct Emitted {
  std::string rows;
  int64_t at;  // watermark (= row index) that emitted it
  bool operator==(const Emitted&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Emitted& e) { return os << "{" << e.rows << " @" << e.at << "}"; }

BatchPtr batch_of(const std::string& key, int64_t t, int64_t n) {
  auto b = std::make_shared<Batch>(3);
  Value* cells = b->append_row();
  cells[kKey] = Value::string(b->arena().copy(key));
  cells[kTime] = Value::integer(t);
  cells[kN] = Value::integer(n);
  return b;
}

std::vector<Emitted> drain(const std::vector<BatchPtr>& batches, int64_t at, size_t column = 1) {
  std::vector<Emitted> out;
  for (const auto& b : batches)
    for (size_t r = 0; r < b->num_rows(); ++r) {
      const Value& v = b->at(r, column);
      out.push_back({v.is_null() ? "NULL" : std::string(v.as_string()), at});
    }
  return out;
}

// Row i has time i+1 (ms) and is fired by watermark i+1.
std::vector<Emitted> run(Operator& op, const std::vector<int64_t>& ns, int64_t t0 = 0, const std::string& key = "k") {
  std::vector<Emitted> out;
  for (size_t i = 0; i < ns.size(); ++i) {
    std::vector<BatchPtr> batches;
    int64_t t = t0 + static_cast<int64_t>(i) + 1;
    op.process(batch_of(key, t, ns[i]), batches);
    op.on_watermark(t, batches);
    for (auto& e : drain(batches, t)) out.push_back(e);
  }
  return out;
}

std::vector<std::string> rows_of(const std::vector<Emitted>& es) {
  std::vector<std::string> r;
  for (const auto& e : es) r.push_back(e.rows);
  return r;
}

// A accepts 1, B and C accept anything >= 2 (so B and C compete for every row).
std::vector<std::string> competing(const std::string& pattern) {
  MatchRecognizeConfig c = config(pattern);
  c.defines = {{"A", when([](int64_t n) { return n == 1; }), {}}, {"B", when([](int64_t n) { return n >= 2; }), {}}};
  if (pattern.find('C') != std::string::npos) c.defines.push_back({"C", when([](int64_t n) { return n >= 2; }), {}});
  MatchRecognizeOperator op(c);
  return rows_of(run(op, {1, 2, 2, 2, 0}));
}

using S = std::vector<std::string>;

}  // namespace

TEST_CASE("match_recognize: greedy loops never hand the next variable a row they accept", "[match_recognize]") {
  CHECK(competing("A B+ C") == S{});
  CHECK(competing("A B* C") == S{});
  CHECK(competing("A B{2,} C") == S{});
  CHECK(competing("A B{1,2} C") == S{});  // even after taking its maximum (Flink: NFACompiler)
}

TEST_CASE("match_recognize: reluctant loops complete as early as possible", "[match_recognize]") {
  CHECK(competing("A B+? C") == S{"1,2,2"});
  CHECK(competing("A B*? C") == S{"1,2"});
  CHECK(competing("A B{2,}? C") == S{"1,2,2,2"});
  CHECK(competing("A B{1,3}? C") == S{"1,2,2"});
  CHECK(competing("A B{,2}? C") == S{"1,2"});
  CHECK(competing("A B+?") == S{"1,2"});
}

TEST_CASE("match_recognize: exact counts and optional variables", "[match_recognize]") {
  CHECK(competing("A B{2} C") == S{"1,2,2,2"});
  CHECK(competing("A B{3} C") == S{});
  CHECK(competing("A B C") == S{"1,2,2"});
  // `B?` is not greedy: when C also accepts the row, the match completes without B (Flink: MatchRecognizeITCase.testAggregates)
  CHECK(competing("A B? C") == S{"1,2"});
  CHECK(competing("A B{2}") == S{"1,2,2"});
}

TEST_CASE("match_recognize: quantifiers with distinct conditions", "[match_recognize]") {
  auto run_pattern = [](const std::string& pattern) {
    MatchRecognizeConfig c = config(pattern);
    for (const auto& [var, value] : std::vector<std::pair<std::string, int64_t>>{{"A", 1}, {"B", 2}, {"C", 3}})
      if (pattern.find(var) != std::string::npos)
        c.defines.push_back({var, when([value = value](int64_t n) { return n == value; }), {}});
    MatchRecognizeOperator op(c);
    return rows_of(run(op, {1, 2, 2, 2, 3, 1, 3}));
  };
  // three B rows, then none
  for (const char* p : {"A B* C", "A B*? C", "A B{,3} C", "A B{,3}? C"}) {
    INFO(p);
    CHECK(run_pattern(p) == S{"1,2,2,2,3", "1,3"});
  }
  for (const char* p : {"A B+ C", "A B+? C", "A B{3} C", "A B{2,} C", "A B{2,}? C", "A B{1,3} C", "A B{1,3}? C"}) {
    INFO(p);
    CHECK(run_pattern(p) == S{"1,2,2,2,3"});
  }
  for (const char* p : {"A B? C", "A B{,2} C", "A B{,2}? C"}) {
    INFO(p);
    CHECK(run_pattern(p) == S{"1,3"});
  }
  for (const char* p : {"A B{2} C", "A B{1,2}? C", "A B{4,} C"}) {
    INFO(p);
    CHECK(run_pattern(p).empty());
  }
  // an optional first variable: matches may start at A or directly at B
  CHECK(run_pattern("A? B") == S{"1,2", "2", "2"});
}

TEST_CASE("match_recognize: Flink docs greedy vs reluctant, PATTERN (A B* C)", "[match_recognize]") {
  // docs: XYZ prices 10 11 12 13 14 16; A > 10, B < 15, C > 12; MEASURES C.price AS lastPrice
  auto last_price = [](const std::string& pattern) {
    MatchRecognizeConfig c = config(pattern);
    c.defines = {{"A", when([](int64_t n) { return n > 10; }), {}},
                 {"B", when([](int64_t n) { return n < 15; }), {}},
                 {"C", when([](int64_t n) { return n > 12; }), {}}};
    c.measures = {{"lastPrice", make_last(2, 0, n_col()), {}}};
    MatchRecognizeOperator op(c);
    std::vector<int64_t> out;
    const std::vector<int64_t> prices{10, 11, 12, 13, 14, 16};
    for (size_t i = 0; i < prices.size(); ++i) {
      std::vector<BatchPtr> batches;
      op.process(batch_of("XYZ", static_cast<int64_t>(i) + 1, prices[i]), batches);
      op.on_watermark(static_cast<int64_t>(i) + 1, batches);
      for (const auto& b : batches)
        for (size_t r = 0; r < b->num_rows(); ++r) out.push_back(b->at(r, 1).as_int());
    }
    return out;
  };
  CHECK(last_price("A B* C") == std::vector<int64_t>{16});
  // reluctant: the first match ends at 13 (the docs' row); a second one (14, 16) follows
  CHECK(last_price("A B*? C") == std::vector<int64_t>{13, 16});
}

TEST_CASE("match_recognize: a completed match waits for an older partial match", "[match_recognize]") {
  // PATTERN (A B*? C), B AS B.n < 25, C AS C.n = A.n + 1: rows 10 20 21 11. The match (20,21)
  // completes at row 3 but the PM that started at row 1 is still alive.
  auto make = [](SkipKind skip) {
    MatchRecognizeConfig c = config("A B*? C", skip);
    c.defines = {{"B", when([](int64_t n) { return n < 25; }), {}},
                 {"C", when_nav(make_last(0, 0, n_col()), [](int64_t a, int64_t n) { return n == a + 1; }), {}}};
    return MatchRecognizeOperator(c);
  };
  {
    auto op = make(SkipKind::ToNextRow);
    CHECK(run(op, {10, 20, 21, 11}) == std::vector<Emitted>{{"10,20,21,11", 4}, {"20,21", 4}});
  }
  {
    auto op = make(SkipKind::PastLastRow);  // the queued match is pruned by the older one
    CHECK(run(op, {10, 20, 21, 11}) == std::vector<Emitted>{{"10,20,21,11", 4}});
  }
  {
    auto op = make(SkipKind::PastLastRow);  // the older PM dies at row 4: the queued match goes out then
    CHECK(run(op, {10, 20, 21, 30}) == std::vector<Emitted>{{"20,21", 4}});
  }
}

TEST_CASE("match_recognize: impossible skips fail like Flink", "[match_recognize]") {
  MatchRecognizeConfig c = config("A B? C", SkipKind::ToLast, "B");
  c.defines = {{"A", when([](int64_t n) { return n == 1; }), {}},
               {"B", when([](int64_t n) { return n == 2; }), {}},
               {"C", when([](int64_t n) { return n == 3; }), {}}};
  {
    MatchRecognizeOperator op(c);
    CHECK(run(op, {1, 2, 3}) == std::vector<Emitted>{{"1,2,3", 3}});
  }
  {
    MatchRecognizeOperator op(c);
    CHECK_THROWS_WITH(run(op, {1, 3}), "Could not skip to B. No such element in the found match [A, C]");
  }
  c.skip = {SkipKind::ToFirst, "A"};
  MatchRecognizeOperator op(c);
  CHECK_THROWS_WITH(run(op, {1, 3}), "Could not skip to first element of a match.");
}

TEST_CASE("match_recognize: navigation offsets and aggregates in MEASURES", "[match_recognize]") {
  // variant A's shape with simple conditions: S, U+ rising, D{2} falling
  MatchRecognizeConfig c = config("S U+ D{2}");
  c.defines = {{"U", when_nav(make_last(kUniversal, 1, n_col()), [](int64_t prev, int64_t n) { return n > prev; }), {}},
               {"D", when_nav(make_last(kUniversal, 1, n_col()), [](int64_t prev, int64_t n) { return n < prev; }), {}}};
  c.measures = {{"first_u1", make_first(1, 1, n_col()), {}},
                {"last_all2", make_last(kUniversal, 2, n_col()), {}},
                {"first_d2", make_first(2, 2, n_col()), {}},
                {"count_u", make_aggregate(MatchAggregate::Count, 1, n_col()), {}},
                {"count_star", make_aggregate(MatchAggregate::Count, kUniversal, nullptr), {}},
                {"sum_d", make_aggregate(MatchAggregate::Sum, 2, n_col()), {}},
                {"avg_all", make_aggregate(MatchAggregate::Avg, kUniversal, n_col()), {}},
                {"min_all", make_aggregate(MatchAggregate::Min, kUniversal, n_col()), {}},
                {"max_u", make_aggregate(MatchAggregate::Max, 1, n_col()), {}},
                {"n", n_col(), {}}};
  MatchRecognizeOperator op(c);
  std::vector<std::string> got;
  const std::vector<int64_t> ns{5, 7, 9, 6, 4};
  for (size_t i = 0; i < ns.size(); ++i) {
    std::vector<BatchPtr> batches;
    op.process(batch_of("k", static_cast<int64_t>(i) + 1, ns[i]), batches);
    op.on_watermark(static_cast<int64_t>(i) + 1, batches);
    for (const auto& b : batches)
      for (size_t col = 1; col < b->num_columns(); ++col)
        got.push_back(b->at(0, col).is_null() ? "NULL" : std::to_string(b->at(0, col).as_int()));
  }
  CHECK(got == S{"9", "9", "NULL", "2", "5", "10", "6", "4", "9", "4"});
  CHECK(op.output_schema().columns[4].type == Type::bigint().with_nullable(false));
}

TEST_CASE("match_recognize: WITHIN discards partial matches that get too old", "[match_recognize]") {
  auto make = [](int64_t within) {
    MatchRecognizeConfig c = config("A B C");
    c.within_millis = within;
    return MatchRecognizeOperator(c);
  };
  {
    auto op = make(2);  // rows 1 ms apart: A..C spans 2 ms, not < 2
    CHECK(run(op, {1, 2, 3, 4}).empty());
  }
  {
    auto op = make(3);
    CHECK(rows_of(run(op, {1, 2, 3, 4})) == S{"1,2,3"});
  }
  {
    // the advanced watermark alone times out a partial match and frees the partition
    auto op = make(3);
    run(op, {1});
    CHECK(op.stats().state_entries == 2);  // one row, one partial match
    std::vector<BatchPtr> out;
    op.on_watermark(100, out);
    CHECK(op.stats().state_entries == 0);
  }
}

TEST_CASE("match_recognize: state stays bounded on long inputs and is freed", "[match_recognize]") {
  MatchRecognizeConfig c = config("S U D");
  c.defines = {{"U", when_nav(make_last(0, 0, n_col()), [](int64_t s, int64_t n) { return n > s; }), {}},
               {"D", when_nav(make_last(1, 0, n_col()), [](int64_t u, int64_t n) { return n < u; }), {}}};
  c.within_millis = 10;
  MatchRecognizeOperator op(c);
  uint64_t peak = 0;
  size_t matches = 0;
  for (int64_t i = 0; i < 20000; ++i) {
    std::vector<BatchPtr> out;
    for (const char* key : {"a", "b", "c"}) op.process(batch_of(key, i + 1, (i * 7 + key[0]) % 13), out);
    op.on_watermark(i + 1, out);
    for (const auto& b : out) matches += b->num_rows();
    peak = std::max(peak, op.stats().state_entries);
  }
  CHECK(matches > 1000);
  CHECK(peak < 40);
  std::vector<BatchPtr> out;
  op.on_watermark(kMaxWatermark, out);
  CHECK(op.stats().state_entries == 0);
  CHECK(op.stats().state_bytes == 0);
}

TEST_CASE("match_recognize: snapshot and restore resume exactly", "[match_recognize]") {
  MatchRecognizeConfig c = config("A B+? C", SkipKind::ToNextRow);
  c.defines = {{"A", when([](int64_t n) { return n % 2 == 1; }), {}}, {"C", when([](int64_t n) { return n % 5 == 0; }), {}}};
  std::vector<int64_t> ns;
  for (int64_t i = 0; i < 60; ++i) ns.push_back((i * 11) % 17);

  MatchRecognizeOperator whole(c);
  auto expected = run(whole, ns);
  REQUIRE(expected.size() > 5);

  MatchRecognizeOperator first(c);
  std::vector<int64_t> head(ns.begin(), ns.begin() + 31), tail(ns.begin() + 31, ns.end());
  auto got = run(first, head);
  // a row that is buffered but not yet fired must survive the snapshot too
  std::vector<BatchPtr> out;
  first.process(batch_of("k", 32, tail.front()), out);
  StateWriter w;
  first.snapshot(w);
  MatchRecognizeOperator second(c);
  StateReader r(w.data());
  second.restore(r);
  CHECK(r.at_end());
  CHECK(second.stats().state_entries == first.stats().state_entries);
  second.on_watermark(32, out);
  for (auto& e : drain(out, 32)) got.push_back(e);
  std::vector<int64_t> rest(tail.begin() + 1, tail.end());
  for (auto& e : run(second, rest, 32)) got.push_back(e);
  CHECK(got == expected);

  StateReader truncated(std::string_view(w.data()).substr(0, w.data().size() / 2));
  MatchRecognizeOperator third(c);
  CHECK_THROWS_AS(third.restore(truncated), CorruptState);
}

TEST_CASE("match_recognize: partitions taken at parallelism 2 restore at 3 by key group", "[match_recognize][rescale]") {
  MatchRecognizeConfig c = config("A B+? C", SkipKind::ToNextRow);
  c.defines = {{"A", when([](int64_t n) { return n % 2 == 1; }), {}}, {"C", when([](int64_t n) { return n % 5 == 0; }), {}}};
  using Ops = std::vector<std::unique_ptr<MatchRecognizeOperator>>;
  using PerKey = std::map<std::string, std::vector<std::string>>;
  auto make = [&](size_t n) {
    Ops ops;
    for (size_t i = 0; i < n; ++i) ops.push_back(std::make_unique<MatchRecognizeOperator>(c));
    return ops;
  };
  // Row t (key k<t % 7>) is routed as the worker routes it; the watermark t reaches every instance,
  // except for the last row of a phase when `fire_last` is false (it stays buffered).
  auto feed = [](Ops& ops, int64_t from, int64_t to, bool fire_last, PerKey& out) {
    for (int64_t t = from; t < to; ++t) {
      BatchPtr b = batch_of("k" + std::to_string(t % 7), t + 1, (t * 11) % 17);
      const auto p = static_cast<uint32_t>(ops.size());
      std::vector<BatchPtr> batches;
      ops[instance_of_key_group(key_group_of_row(b->row(0), {kKey}, kDefaultKeyGroups), p, kDefaultKeyGroups)]->process(
          b, batches);
      if (fire_last || t + 1 < to)
        for (auto& op : ops) op->on_watermark(t + 1, batches);
      for (const auto& ob : batches)
        for (size_t r = 0; r < ob->num_rows(); ++r)
          out[std::string(ob->at(r, 0).as_string())].push_back(std::string(ob->at(r, 1).as_string()));
    }
  };
  PerKey expected, got;
  Ops whole = make(1);
  feed(whole, 0, 150, true, expected);
  REQUIRE(expected.size() == 7);

  Ops before = make(2);
  feed(before, 0, 80, false, got);
  CheckpointStore store;
  for (uint32_t i = 0; i < 2; ++i) {
    StateWriter w;
    before[i]->snapshot(w);
    store.add("match", i, 2, w.data());
  }
  Ops after = make(3);
  uint64_t entries = 0;
  for (uint32_t i = 0; i < 3; ++i) {
    REQUIRE(store.restore("match", *after[i], i, 3));
    entries += after[i]->stats().state_entries;
  }
  CHECK(entries == before[0]->stats().state_entries + before[1]->stats().state_entries);
  feed(after, 80, 150, true, got);  // row 79, still buffered, fires with row 80's watermark
  CHECK(got == expected);
  // The counters went to exactly one new instance each.
  uint64_t rows_in = 0;
  for (const auto& op : after) rows_in += op->stats().rows_in;
  CHECK(rows_in == whole[0]->stats().rows_in);
}

TEST_CASE("match_recognize: configuration errors point at the query", "[match_recognize]") {
  auto error_of = [](const std::function<void(MatchRecognizeConfig&)>& edit) -> std::string {
    MatchRecognizeConfig c = config("A B");
    edit(c);
    try {
      MatchRecognizeOperator op(c);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  CHECK(error_of([](auto& c) { c.order_by.clear(); c.order_by_loc = {"q.sql", 4, 3}; }) ==
        "q.sql:4:3: You must specify either rowtime or proctime for order by.");
  CHECK(error_of([](auto& c) { c.order_by = {{kN, false, {"q.sql", 4, 12}}}; }) ==
        "q.sql:4:12: You must specify either rowtime or proctime for order by as the first one.");
  CHECK(error_of([](auto& c) { c.order_by.front().descending = true; }) ==
        "q.sql:4:12: Primary sort order of a streaming table must be ascending on time.");
  CHECK(error_of([](auto& c) { c.defines = {{"BB", when([](int64_t) { return true; }), {"q.sql", 10, 5}}}; }) ==
        "q.sql:10:5: DEFINE refers to 'BB', which is not a variable of the PATTERN. Did you mean 'B'?");
  CHECK(error_of([](auto& c) { c.skip = {SkipKind::ToLast, "NOPE"}; c.skip_loc = {"q.sql", 7, 3}; }) ==
        "q.sql:7:3: AFTER MATCH SKIP TO refers to 'NOPE', which is not a variable of the PATTERN.");
  CHECK(error_of([](auto& c) { c.pattern_text = "A B*"; }) ==
        "q.sql:8:15: Greedy quantifiers are not allowed as the last element of a Pattern yet. Finish your pattern with "
        "either a simple variable or reluctant quantifier.");
  CHECK(error_of([](auto&) {}) == "no error");
}
