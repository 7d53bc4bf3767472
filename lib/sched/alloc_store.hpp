// The cluster's allocations: a growing array that never moves its elements (positions are the
// allocations' handles), in chunks of 2 MiB. (A std::vector moved a million allocations on
// every growth; a std::deque of 400-byte elements makes one heap block per allocation.)
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

#include "warden/sched/allocation.hpp"

namespace warden::sched::detail {

class AllocStore {
 public:
  static constexpr size_t kChunkBytes = size_t(2) << 20;
  static constexpr size_t kPerChunk = kChunkBytes / sizeof(Allocation);

  AllocStore() = default;
  AllocStore(const AllocStore&) = delete;
  AllocStore& operator=(const AllocStore&) = delete;
  ~AllocStore() {
    for (size_t i = 0; i < size_; ++i) (*this)[i].~Allocation();
    for (void* c : chunks_) std::free(c);
  }

  size_t size() const { return size_; }
  Allocation& operator[](size_t i) { return chunk(i / kPerChunk)[i % kPerChunk]; }
  const Allocation& operator[](size_t i) const { return chunk(i / kPerChunk)[i % kPerChunk]; }
  Allocation& back() { return (*this)[size_ - 1]; }

  void push_back(Allocation a) {
    if (size_ == chunks_.size() * kPerChunk) add_chunk();
    new (&(*this)[size_]) Allocation(std::move(a));
    ++size_;
  }

 private:
  Allocation* chunk(size_t c) const { return static_cast<Allocation*>(chunks_[c]); }
  void add_chunk() {
    void* p = std::malloc(kPerChunk * sizeof(Allocation));
    if (!p) throw std::bad_alloc();
    chunks_.push_back(p);
  }

  std::vector<void*> chunks_;
  size_t size_ = 0;
};

}  // namespace warden::sched::detail
