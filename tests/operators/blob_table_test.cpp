#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "operators/blob_table.hpp"

using ananas::ops::BlobTable;

namespace {

std::string key_of(int i) { return "key-" + std::to_string(i); }

// The table against a std::map holding the same entries.
void check_same(const BlobTable& t, const std::map<std::string, std::pair<uint32_t, std::string>>& model) {
  REQUIRE(t.size() == model.size());
  for (const auto& [k, v] : model) {
    const size_t slot = t.find(k, BlobTable::hash(k));
    REQUIRE(slot != BlobTable::npos);
    CHECK(t.key(slot) == k);
    CHECK(t.key_group(slot) == v.first);
    CHECK(t.payload(slot) == v.second);
  }
  size_t visited = 0;
  t.for_each([&](size_t slot) {
    ++visited;
    CHECK(model.count(std::string(t.key(slot))) == 1);
  });
  CHECK(visited == model.size());
}

}  // namespace

TEST_CASE("blob table: insert, find, payload changes, erase, growth", "[blob_table]") {
  BlobTable t;
  std::map<std::string, std::pair<uint32_t, std::string>> model;
  CHECK(t.find("absent", BlobTable::hash("absent")) == BlobTable::npos);
  for (int i = 0; i < 5000; ++i) {
    const std::string k = key_of(i);
    // Payloads from empty to longer than a one-byte varint length.
    std::string payload(static_cast<size_t>(i % 300), static_cast<char>('a' + i % 26));
    t.insert(k, BlobTable::hash(k), static_cast<uint32_t>(i % 40000), payload);
    model[k] = {static_cast<uint32_t>(i % 40000), payload};
  }
  check_same(t, model);
  for (int i = 0; i < 5000; i += 3) {
    const std::string k = key_of(i);
    std::string payload = "changed " + std::string(static_cast<size_t>(i % 500), 'z');
    t.set_payload(t.find(k, BlobTable::hash(k)), payload);
    model[k].second = payload;
  }
  for (int i = 0; i < 5000; i += 2) {
    const std::string k = key_of(i);
    t.erase(t.find(k, BlobTable::hash(k)));
    model.erase(k);
    CHECK(t.find(k, BlobTable::hash(k)) == BlobTable::npos);
  }
  check_same(t, model);
  t.clear();
  CHECK(t.size() == 0);
  CHECK(t.find(key_of(1), BlobTable::hash(key_of(1))) == BlobTable::npos);
}

TEST_CASE("blob table: keys coming and going reuse the slots", "[blob_table]") {
  BlobTable t;
  std::map<std::string, std::pair<uint32_t, std::string>> model;
  // 50 live keys at a time, 20,000 inserted and erased in all: tombstones must
  // be dropped, and a key must be found past them.
  for (int i = 0; i < 20000; ++i) {
    const std::string k = key_of(i);
    t.insert(k, BlobTable::hash(k), 7, k);
    model[k] = {7, k};
    if (i >= 50) {
      const std::string old = key_of(i - 50);
      t.erase(t.find(old, BlobTable::hash(old)));
      model.erase(old);
    }
  }
  check_same(t, model);
  CHECK(t.heap_bytes() < 50 * 64 + 256 * 9);  // the slot arrays did not grow with the churn
}

TEST_CASE("blob table: erasing the last entry frees everything", "[blob_table]") {
  BlobTable t;
  for (int round = 0; round < 3; ++round) {
    t.insert("a", BlobTable::hash("a"), 1, "x");
    t.insert("b", BlobTable::hash("b"), 2, "y");
    CHECK(t.heap_bytes() > 0);
    t.erase(t.find("a", BlobTable::hash("a")));
    t.erase(t.find("b", BlobTable::hash("b")));
    CHECK(t.size() == 0);
    CHECK(t.heap_bytes() == 0);
    CHECK(t.find("a", BlobTable::hash("a")) == BlobTable::npos);
  }
}
