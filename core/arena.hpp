#pragma once
// A chunked bump allocator. Batches own one: every string, array and row a
// batch's values point to lives in its arena (or in the arena of a batch it
// retains), so decoding a record allocates a few large blocks instead of one
// heap object per value. Nothing is freed individually; the arena dies with
// its batch.
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace ananas {

class Arena {
 public:
  explicit Arena(size_t first_block_bytes = 4096) : next_block_(first_block_bytes) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  void* allocate(size_t bytes, size_t align = alignof(std::max_align_t)) {
    size_t pad = (align - reinterpret_cast<uintptr_t>(cursor_) % align) % align;
    if (cursor_ == nullptr || pad + bytes > left_) {
      grow(bytes + align);
      pad = (align - reinterpret_cast<uintptr_t>(cursor_) % align) % align;
    }
    char* p = cursor_ + pad;
    cursor_ = p + bytes;
    left_ -= pad + bytes;
    return p;
  }

  template <class T>
  T* allocate_array(size_t n) {
    return static_cast<T*>(allocate(sizeof(T) * (n == 0 ? 1 : n), alignof(T)));
  }

  // Copies bytes into the arena; the view stays valid as long as the arena.
  std::string_view copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = static_cast<char*>(allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  size_t bytes_reserved() const { return reserved_; }

 private:
  void grow(size_t at_least) {
    size_t size = next_block_ > at_least ? next_block_ : at_least;
    blocks_.emplace_back(new char[size]);
    cursor_ = blocks_.back().get();
    left_ = size;
    reserved_ += size;
    if (next_block_ < (1u << 20)) next_block_ *= 2;  // amortise big batches, cap at 1 MiB
  }

  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cursor_ = nullptr;
  size_t left_ = 0;
  size_t next_block_;
  size_t reserved_ = 0;
};

}  // namespace ananas
