#include "operators/blob_table.hpp"

#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>
#include <string>


namespace ananas::ops {

namespace {

size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

char* write_varint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

// The table wrote the header itself: no bounds to check.
uint64_t read_varint(const char*& p) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    auto b = static_cast<unsigned char>(*p++);
    v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
}

// Where the payload-length varint starts.
size_t prefix_size(const char* blob) {
  const char* p = blob;
  p += read_varint(p);  // the key
  read_varint(p);       // key group
  return static_cast<size_t>(p - blob);
}

char* checked_realloc(char* p, size_t n) {
  void* q = std::realloc(p, n);
  if (!q) throw std::bad_alloc();
  return static_cast<char*>(q);
}

}  // namespace

size_t BlobTable::hash(std::string_view key) { return std::hash<std::string_view>{}(key); }

std::string_view BlobTable::key_of(const char* blob) {
  uint64_t n = read_varint(blob);
  return {blob, n};
}

uint32_t BlobTable::key_group(size_t slot) const {
  const char* p = slots_[slot];
  p += read_varint(p);
  return static_cast<uint32_t>(read_varint(p));
}

std::string_view BlobTable::payload(size_t slot) const {
  const char* p = slots_[slot];
  p += prefix_size(p);
  uint64_t n = read_varint(p);
  return {p, n};
}

size_t BlobTable::find(std::string_view key, size_t h) const {
  if (slots_.empty()) return npos;
  const size_t mask = slots_.size() - 1;
  const uint8_t t = tag(h);
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const uint8_t c = control_[i];
    if (c == kEmpty) return npos;
    if (c == t && key_of(slots_[i]) == key) return i;
  }
}

size_t BlobTable::place(char* blob, size_t h) {
  const size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  while (control_[i] & kFull) i = (i + 1) & mask;
  if (control_[i] == kDeleted) --deleted_;
  slots_[i] = blob;
  control_[i] = tag(h);
  ++size_;
  return i;
}

// At most 7/8 of the slots hold an entry or a tombstone, so a probe for an
// absent key ends soon; growing drops the tombstones.
void BlobTable::grow() {
  size_t capacity = slots_.empty() ? 16 : slots_.size();
  while ((size_ + 1) * 2 > capacity) capacity *= 2;  // after growing at most half full
  std::vector<char*> old_slots(capacity, nullptr);
  std::vector<uint8_t> old_control(capacity, kEmpty);
  old_slots.swap(slots_);
  old_control.swap(control_);
  size_ = 0;
  deleted_ = 0;
  for (size_t i = 0; i < old_slots.size(); ++i)
    if (old_control[i] & kFull) place(old_slots[i], hash(key_of(old_slots[i])));
}

size_t BlobTable::insert(std::string_view key, size_t h, uint32_t key_group, std::string_view payload) {
  if ((size_ + deleted_ + 1) * 8 > slots_.size() * 7) grow();
  const size_t bytes = varint_size(key.size()) + key.size() + varint_size(key_group) + varint_size(payload.size()) +
                       payload.size();
  char* blob = static_cast<char*>(std::malloc(bytes));
  if (!blob) throw std::bad_alloc();
  char* p = write_varint(blob, key.size());
  std::memcpy(p, key.data(), key.size());
  p = write_varint(p + key.size(), key_group);
  p = write_varint(p, payload.size());
  std::memcpy(p, payload.data(), payload.size());
  return place(blob, h);
}

void BlobTable::set_payload(size_t slot, std::string_view payload) {
  char* blob = slots_[slot];
  const size_t prefix = prefix_size(blob);
  // realloc keeps the key and key group, and stays in place while the new
  // size fits the chunk malloc gave (glibc rounds to 16 bytes).
  blob = checked_realloc(blob, prefix + varint_size(payload.size()) + payload.size());
  slots_[slot] = blob;
  char* p = write_varint(blob + prefix, payload.size());
  std::memcpy(p, payload.data(), payload.size());
}

void BlobTable::erase(size_t slot) {
  std::free(slots_[slot]);
  slots_[slot] = nullptr;
  // A slot whose successor is empty ends no probe sequence: it can be empty too.
  const size_t mask = slots_.size() - 1;
  if (control_[(slot + 1) & mask] == kEmpty) {
    control_[slot] = kEmpty;
  } else {
    control_[slot] = kDeleted;
    ++deleted_;
  }
  if (--size_ == 0) clear();  // state that empties gives its memory back
}

void BlobTable::clear() {
  for (size_t i = 0; i < slots_.size(); ++i)
    if (control_[i] & kFull) std::free(slots_[i]);
  slots_.clear();
  slots_.shrink_to_fit();
  control_.clear();
  control_.shrink_to_fit();
  size_ = 0;
  deleted_ = 0;
}

size_t BlobTable::heap_bytes() const {
  size_t n = slots_.size() * (sizeof(char*) + 1);
  for_each([&](size_t i) { n += malloc_usable_size(slots_[i]) + sizeof(size_t); });
  return n;
}

}  // namespace ananas::ops
