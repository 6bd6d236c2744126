// Which records a checkpoint writes to a changelog: only what changed since
// the last acknowledged checkpoint, tombstones for what is gone, and again
// whatever a failed or unfinished write may have left wrong.
#include <catch2/catch.hpp>

#include "state/changelog_diff.hpp"
#include "state/state_error.hpp"
#include "state_test_support.hpp"

using namespace ananas;
using namespace ananas::state;
using ananas::test::kOperator;
using ananas::test::store_of;

namespace {

// Record key -> value ("<tombstone>" for none) of a set of changes.
std::map<std::string, std::string> written(const std::vector<Change>& changes) {
  std::map<std::string, std::string> out;
  for (const auto& c : changes) {
    const RecordKey k = parse_record_key(c.key);
    const std::string name = k.shared ? "shared " + std::to_string(k.number) : std::string(k.state_key);
    out[name] = c.value ? "value" : "<tombstone>";
  }
  return out;
}

}  // namespace

TEST_CASE("record keys name the shared state of an instance or one keyed entry", "[state]") {
  const RecordKey s = parse_record_key(shared_record_key(3));
  CHECK(s.shared);
  CHECK(s.number == 3);
  const std::string key = keyed_record_key(127, "pizza");
  const RecordKey k = parse_record_key(key);  // views into `key`
  CHECK_FALSE(k.shared);
  CHECK(k.number == 127);
  CHECK(k.state_key == "pizza");
  CHECK_THROWS_AS(parse_record_key("x"), StateError);
  CHECK_THROWS_AS(parse_record_key("Q0000"), StateError);
  CHECK_THROWS_WITH(parse_record_key("S00000"), Catch::Contains("does not write"));
}

TEST_CASE("a checkpoint writes only the entries that changed, and tombstones for those gone", "[state]") {
  ChangelogDiff diff;
  auto first_state = store_of({{"a", "1"}, {"b", "2"}, {"c", "3"}});
  auto first = diff.changes(first_state.operators().at(kOperator));
  CHECK(written(first) == std::map<std::string, std::string>{
                              {"shared 0", "value"}, {"a", "value"}, {"b", "value"}, {"c", "value"}});
  diff.accepted(first);
  CHECK(diff.size() == 4);

  // Nothing changed: nothing to write.
  auto same_state = store_of({{"a", "1"}, {"b", "2"}, {"c", "3"}});
  CHECK(diff.changes(same_state.operators().at(kOperator)).empty());

  // One value changed, one key gone, one new; the shared state too.
  auto next_state = store_of({{"a", "1"}, {"b", "20"}, {"d", "4"}}, "wm2");
  auto next = diff.changes(next_state.operators().at(kOperator));
  CHECK(written(next) == std::map<std::string, std::string>{
                             {"shared 0", "value"}, {"b", "value"}, {"c", "<tombstone>"}, {"d", "value"}});
  diff.accepted(next);
  CHECK(diff.size() == 4);  // shared, a, b, d
  CHECK(diff.changes(next_state.operators().at(kOperator)).empty());
}

TEST_CASE("records whose delivery is uncertain are written again at the next checkpoint", "[state]") {
  ChangelogDiff diff;
  auto s1 = store_of({{"a", "1"}, {"b", "2"}});
  diff.accepted(diff.changes(s1.operators().at(kOperator)));

  auto s2 = store_of({{"a", "10"}});  // a changed, b gone
  auto failed = diff.changes(s2.operators().at(kOperator));
  CHECK(failed.size() == 2);
  diff.uncertain(failed);
  // Same state again: the same two records, although nothing changed since.
  auto retry = diff.changes(s2.operators().at(kOperator));
  CHECK(written(retry) == std::map<std::string, std::string>{{"a", "value"}, {"b", "<tombstone>"}});
  diff.accepted(retry);
  CHECK(diff.changes(s2.operators().at(kOperator)).empty());

  // A new entry never acknowledged is not known either.
  auto s3 = store_of({{"a", "10"}, {"e", "5"}});
  auto lost = diff.changes(s3.operators().at(kOperator));
  CHECK(lost.size() == 1);
  CHECK(diff.changes(s3.operators().at(kOperator)).size() == 1);
}

TEST_CASE("after a restore, keys written by a checkpoint that never completed are overwritten", "[state]") {
  ChangelogDiff diff;
  // The changelog holds a=1 (in the checkpoint), then z from an unfinished checkpoint.
  diff.holds(keyed_record_key(key_group_of("a", kDefaultKeyGroups), "a"), ([] {
               StateWriter w;
               w.bytes("a");
               w.bytes("1");
               return w.take();
             })());
  diff.holds(shared_record_key(0), "wm");
  diff.holds_unknown(keyed_record_key(key_group_of("z", kDefaultKeyGroups), "z"));
  diff.holds_unknown(keyed_record_key(key_group_of("a", kDefaultKeyGroups), "a"));
  auto s = store_of({{"a", "1"}});
  // a is rewritten (a later record may hold something else), z gets a tombstone.
  CHECK(written(diff.changes(s.operators().at(kOperator))) ==
        std::map<std::string, std::string>{{"a", "value"}, {"z", "<tombstone>"}});
}
