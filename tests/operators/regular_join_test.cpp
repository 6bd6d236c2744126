// The regular join operator: Flink's StreamingJoinOperator changelog for
// inner and outer joins (padded rows retracted by the first match and
// restored by the last retraction), its StreamingSemiAntiJoinOperator
// changelog for SEMI and ANTI joins, NULL keys (null-safe ones matching),
// the residual condition, snapshot/restore, and a property test: over random
// inserts and deletes on both sides, the emitted changelog, applied to a
// multiset, always ends as the batch join of what both sides hold.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

#include "operators/regular_join.hpp"
#include "tests/operators/operator_test_helpers.hpp"

using namespace ananas;
using namespace ananas::ops;
using namespace optest;

namespace {

// orders(order_id, cid) JOIN customers(id, name) ON cid = id
RegularJoinConfig config(JoinType type) {
  RegularJoinConfig c;
  c.left.columns = {{"order_id", Type::integer()}, {"cid", Type::integer()}};
  c.right.columns = {{"id", Type::integer()}, {"name", Type::string()}};
  c.type = type;
  c.left_keys = {1};
  c.right_keys = {0};
  return c;
}

std::vector<std::string> feed(RegularJoinOperator& op, size_t side, const std::vector<Row>& rows) {
  std::vector<BatchPtr> out;
  op.process_input(side, batch(2, rows), out);
  return rows_of(out);
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("join: an inner join emits each pair once, when its second row arrives, with the input's kind", "[join]") {
  RegularJoinOperator op(config(JoinType::Inner));
  CHECK(feed(op, 0, {{{i(1), i(7)}}, {{i(2), i(8)}}}).empty());
  CHECK(feed(op, 1, {{{i(7), s("ann")}}}) == V{"+I(1,7,7,ann)"});
  CHECK(feed(op, 0, {{{i(3), i(7)}}}) == V{"+I(3,7,7,ann)"});
  // A -U/+U of the customer retracts and re-emits its pairs with those kinds.
  CHECK(feed(op, 1, {{RowKind::UpdateBefore, {i(7), s("ann")}}, {RowKind::UpdateAfter, {i(7), s("anna")}}}) ==
        V{"-U(1,7,7,ann)", "-U(3,7,7,ann)", "+U(1,7,7,anna)", "+U(3,7,7,anna)"});
  CHECK(feed(op, 0, {{RowKind::Delete, {i(1), i(7)}}}) == V{"-D(1,7,7,anna)"});
  CHECK(op.output_schema().size() == 4);
}

TEST_CASE("join: a left join pads, retracts the padded row on the first match and restores it after the last", "[join]") {
  RegularJoinOperator op(config(JoinType::Left));
  CHECK(feed(op, 0, {{{i(1), i(7)}}}) == V{"+I(1,7,NULL,NULL)"});
  CHECK(feed(op, 1, {{{i(7), s("ann")}}}) == V{"-D(1,7,NULL,NULL)", "+I(1,7,7,ann)"});
  CHECK(feed(op, 1, {{{i(7), s("bob")}}}) == V{"+I(1,7,7,bob)"});  // a second match: the padded row is gone already
  CHECK(feed(op, 1, {{RowKind::Delete, {i(7), s("ann")}}}) == V{"-D(1,7,7,ann)"});
  CHECK(feed(op, 1, {{RowKind::Delete, {i(7), s("bob")}}}) == V{"-D(1,7,7,bob)", "+I(1,7,NULL,NULL)"});
  CHECK(feed(op, 0, {{RowKind::Delete, {i(1), i(7)}}}) == V{"-D(1,7,NULL,NULL)"});
  CHECK(op.stats().state_entries == 0);  // nothing is left of key 7
}

TEST_CASE("join: right and full joins pad the other side the same way", "[join]") {
  RegularJoinOperator right(config(JoinType::Right));
  CHECK(feed(right, 0, {{{i(1), i(7)}}}).empty());
  CHECK(feed(right, 1, {{{i(8), s("cy")}}}) == V{"+I(NULL,NULL,8,cy)"});
  CHECK(feed(right, 0, {{{i(2), i(8)}}}) == V{"-D(NULL,NULL,8,cy)", "+I(2,8,8,cy)"});
  RegularJoinOperator full(config(JoinType::Full));
  CHECK(feed(full, 0, {{{i(1), i(7)}}}) == V{"+I(1,7,NULL,NULL)"});
  CHECK(feed(full, 1, {{{i(7), s("ann")}}}) == V{"-D(1,7,NULL,NULL)", "+I(1,7,7,ann)"});
  CHECK(feed(full, 0, {{RowKind::Delete, {i(1), i(7)}}}) == V{"-D(1,7,7,ann)", "+I(NULL,NULL,7,ann)"});
}

TEST_CASE("join: a NULL key never matches, an outer side keeps its row padded", "[join]") {
  RegularJoinOperator op(config(JoinType::Left));
  CHECK(feed(op, 1, {{{null(), s("nobody")}}}).empty());
  CHECK(feed(op, 0, {{{i(1), null()}}}) == V{"+I(1,NULL,NULL,NULL)"});
  CHECK(feed(op, 0, {{RowKind::Delete, {i(1), null()}}}) == V{"-D(1,NULL,NULL,NULL)"});
}

TEST_CASE("join: a SEMI join emits a left row with its first match, and retracts it with its last", "[join]") {
  RegularJoinOperator op(config(JoinType::Semi));
  CHECK(op.output_schema().size() == 2);  // the left columns alone
  CHECK(feed(op, 0, {{{i(1), i(7)}}, {{i(1), i(7)}}}).empty());
  // The first match emits each stored copy, in the right row's kind; a second match nothing.
  CHECK(feed(op, 1, {{{i(7), s("ann")}}}) == V{"+I(1,7)", "+I(1,7)"});
  CHECK(feed(op, 1, {{RowKind::UpdateAfter, {i(7), s("bob")}}}).empty());
  CHECK(feed(op, 0, {{{i(2), i(7)}}}) == V{"+I(2,7)"});  // a left row with matches: at once, in its kind
  CHECK(feed(op, 1, {{RowKind::Delete, {i(7), s("ann")}}}).empty());
  CHECK(feed(op, 1, {{RowKind::UpdateBefore, {i(7), s("bob")}}}) == V{"-U(1,7)", "-U(1,7)", "-U(2,7)"});
  CHECK(feed(op, 0, {{RowKind::Delete, {i(2), i(7)}}}).empty());  // no match: it was never out
}

TEST_CASE("join: an ANTI join emits a left row without a match, and retracts it with its first match", "[join]") {
  RegularJoinOperator op(config(JoinType::Anti));
  CHECK(feed(op, 0, {{{i(1), i(7)}}}) == V{"+I(1,7)"});
  CHECK(feed(op, 1, {{{i(7), s("ann")}}}) == V{"-D(1,7)"});
  CHECK(feed(op, 1, {{{i(7), s("bob")}}}).empty());
  CHECK(feed(op, 0, {{{i(2), i(7)}}}).empty());
  CHECK(feed(op, 1, {{RowKind::Delete, {i(7), s("ann")}}}).empty());
  CHECK(feed(op, 1, {{RowKind::Delete, {i(7), s("bob")}}}) == V{"+I(1,7)", "+I(2,7)"});
  CHECK(feed(op, 0, {{RowKind::Delete, {i(1), i(7)}}}) == V{"-D(1,7)"});
  CHECK(op.stats().state_entries == 1);
}

TEST_CASE("join: null-safe keys match NULL with NULL (IS NOT DISTINCT FROM)", "[join]") {
  RegularJoinConfig c = config(JoinType::Semi);
  c.null_safe_keys = true;
  RegularJoinOperator op(c);
  CHECK(feed(op, 0, {{{i(1), null()}}, {{i(2), i(7)}}}).empty());
  CHECK(feed(op, 1, {{{null(), s("nobody")}}}) == V{"+I(1,NULL)"});
  RegularJoinOperator plain(config(JoinType::Semi));
  feed(plain, 0, {{{i(1), null()}}});
  CHECK(feed(plain, 1, {{{null(), s("nobody")}}}).empty());
}

TEST_CASE("join: the residual condition decides which rows of a key pair up", "[join]") {
  RegularJoinConfig c = config(JoinType::Left);
  // ON cid = id AND order_id < 10
  c.condition = fn(Type::boolean(), [](const Value* row, expr::EvalContext&) { return Value::boolean(row[0].as_int() < 10); });
  RegularJoinOperator op(c);
  CHECK(feed(op, 1, {{{i(7), s("ann")}}}).empty());
  CHECK(feed(op, 0, {{{i(1), i(7)}}, {{i(11), i(7)}}}) == V{"+I(1,7,7,ann)", "+I(11,7,NULL,NULL)"});
}

TEST_CASE("join: a restored join pairs new rows with the rows of its snapshot", "[join][state]") {
  RegularJoinOperator op(config(JoinType::Left));
  feed(op, 0, {{{i(1), i(7)}}, {{i(2), i(7)}}});
  feed(op, 1, {{{i(7), s("ann")}}});
  StateWriter w;
  op.snapshot(w);
  RegularJoinOperator restored(config(JoinType::Left));
  StateReader r(w.data());
  restored.restore(r);
  CHECK(restored.stats().state_entries == 3);
  CHECK(feed(restored, 1, {{RowKind::Delete, {i(7), s("ann")}}}) ==
        V{"-D(1,7,7,ann)", "-D(2,7,7,ann)", "+I(1,7,NULL,NULL)", "+I(2,7,NULL,NULL)"});
}

TEST_CASE("join: random inserts and deletes always leave the batch join of what both sides hold", "[join][property]") {
  for (JoinType type : {JoinType::Inner, JoinType::Left, JoinType::Right, JoinType::Full, JoinType::Semi, JoinType::Anti}) {
    for (uint32_t seed = 1; seed <= 30; ++seed) {
      INFO("type " << join_type_name(type) << ", seed " << seed);
      std::mt19937 rng(seed);
      auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
      RegularJoinConfig c = config(type);
      c.condition = fn(Type::boolean(), [](const Value* row, expr::EvalContext&) {
        return Value::boolean((row[0].as_int() + row[3].as_string().size()) % 3 != 0);
      });
      auto op = std::make_unique<RegularJoinOperator>(c);
      std::multiset<std::pair<int64_t, int64_t>> lefts;       // (order_id, cid)
      std::multiset<std::pair<int64_t, std::string>> rights; // (id, name)
      std::multiset<std::string> view;                        // the changelog applied
      const char* names[] = {"a", "bb", "ccc"};
      for (int step = 0; step < 200; ++step) {
        std::vector<BatchPtr> out;
        const bool on_left = pick(2) == 0;
        const bool remove = pick(3) == 0;
        if (on_left) {
          std::pair<int64_t, int64_t> r{pick(5), pick(4)};
          if (remove && !lefts.empty()) r = *std::next(lefts.begin(), pick(static_cast<int>(lefts.size())));
          const RowKind kind = remove && lefts.count(r) ? RowKind::Delete : RowKind::Insert;
          if (kind == RowKind::Delete) lefts.erase(lefts.find(r));
          else lefts.insert(r);
          op->process_input(0, batch(2, {{kind, {i(r.first), i(r.second)}}}), out);
        } else {
          std::pair<int64_t, std::string> r{pick(4), names[pick(3)]};
          if (remove && !rights.empty()) r = *std::next(rights.begin(), pick(static_cast<int>(rights.size())));
          const RowKind kind = remove && rights.count(r) ? RowKind::Delete : RowKind::Insert;
          if (kind == RowKind::Delete) rights.erase(rights.find(r));
          else rights.insert(r);
          op->process_input(1, batch(2, {{kind, {i(r.first), s(r.second)}}}), out);
        }
        for (const auto& b : out)
          for (size_t n = 0; n < b->num_rows(); ++n) {
            std::string text = show_row(*b, n).substr(2);
            if (is_accumulate(b->kind(n))) {
              view.insert(text);
            } else {
              auto it = view.find(text);
              REQUIRE(it != view.end());  // a retraction of a row that was emitted
              view.erase(it);
            }
          }
        if (step == 100) {  // a snapshot and restore halfway changes nothing
          StateWriter w;
          op->snapshot(w);
          op = std::make_unique<RegularJoinOperator>(c);
          StateReader r(w.data());
          op->restore(r);
        }
      }
      std::multiset<std::string> expected;
      auto matches = [](const std::pair<int64_t, int64_t>& l, const std::pair<int64_t, std::string>& r) {
        return l.second == r.first && (l.first + static_cast<int64_t>(r.second.size())) % 3 != 0;
      };
      const bool semi_or_anti = type == JoinType::Semi || type == JoinType::Anti;
      for (const auto& l : lefts) {
        bool any = false;
        for (const auto& r : rights) any = any || matches(l, r);
        if (semi_or_anti) {
          if (any == (type == JoinType::Semi)) expected.insert("(" + std::to_string(l.first) + "," + std::to_string(l.second) + ")");
          continue;
        }
        any = false;
        for (const auto& r : rights)
          if (matches(l, r)) {
            any = true;
            expected.insert("(" + std::to_string(l.first) + "," + std::to_string(l.second) + "," + std::to_string(r.first) + "," +
                            r.second + ")");
          }
        if (!any && (type == JoinType::Left || type == JoinType::Full))
          expected.insert("(" + std::to_string(l.first) + "," + std::to_string(l.second) + ",NULL,NULL)");
      }
      if (type == JoinType::Right || type == JoinType::Full)
        for (const auto& r : rights) {
          bool any = false;
          for (const auto& l : lefts) any = any || matches(l, r);
          if (!any) expected.insert("(NULL,NULL," + std::to_string(r.first) + "," + r.second + ")");
        }
      CHECK(view == expected);
    }
  }
}
