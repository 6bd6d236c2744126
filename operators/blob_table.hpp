#pragma once
// Keyed operator state with millions of small entries (a GROUP BY's groups, an
// upsert materializer's sink keys), held compactly: each entry is one malloc'd
// blob
//   [varint key length][key bytes][varint key group][varint payload length][payload]
// and the table is open addressing over pointers to the blobs, with one control
// byte per slot (empty, deleted, or 7 bits of the key's hash, so a probe
// rarely dereferences a blob that cannot match). That is 9 bytes per slot and
// one allocation per entry, against a std::unordered_map<std::string, ...>'s
// node, key string, bucket and the value's own vectors.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ananas::ops {

class BlobTable {
 public:
  static constexpr size_t npos = static_cast<size_t>(-1);

  BlobTable() = default;
  ~BlobTable() { clear(); }
  BlobTable(const BlobTable&) = delete;
  BlobTable& operator=(const BlobTable&) = delete;

  static size_t hash(std::string_view key);

  size_t size() const { return size_; }
  // The slot holding `key`, or npos. `h` is hash(key).
  size_t find(std::string_view key, size_t h) const;
  // Adds an entry for a key that is not in the table; returns its slot.
  // Slots of other entries stay valid until the next insert.
  size_t insert(std::string_view key, size_t h, uint32_t key_group, std::string_view payload);
  void set_payload(size_t slot, std::string_view payload);
  // Erasing the last entry frees the slot arrays too.
  void erase(size_t slot);
  void clear();

  std::string_view key(size_t slot) const { return key_of(slots_[slot]); }
  uint32_t key_group(size_t slot) const;
  std::string_view payload(size_t slot) const;

  // Calls f(slot) for every entry.
  template <class F>
  void for_each(F&& f) const {
    for (size_t i = 0; i < slots_.size(); ++i)
      if (control_[i] & kFull) f(i);
  }
  // Heap bytes: the blobs as allocated and the slot arrays.
  size_t heap_bytes() const;

 private:
  static constexpr uint8_t kEmpty = 0, kDeleted = 1, kFull = 0x80;
  static uint8_t tag(size_t h) { return static_cast<uint8_t>(kFull | (h >> 57)); }
  static std::string_view key_of(const char* blob);
  void grow();
  size_t place(char* blob, size_t h);  // into a table with room and no equal key; returns the slot

  std::vector<char*> slots_;
  std::vector<uint8_t> control_;
  size_t size_ = 0;
  size_t deleted_ = 0;
};

}  // namespace ananas::ops
