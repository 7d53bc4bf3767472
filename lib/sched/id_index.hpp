// Allocation IDs → positions: an open-addressing table of positions that compares against the
// allocations' own IDs, so a million allocations cost 8 bytes each here and one cache miss per
// insert or lookup (std::unordered_map costs a node allocation and two misses).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace warden::sched::detail {

template <class IdOf>  // IdOf(int position) → std::string_view
class IdIndex {
 public:
  explicit IdIndex(IdOf id_of) : id_of_(std::move(id_of)) {}

  int find(std::string_view id) const {
    if (slots_.empty()) return -1;
    size_t mask = slots_.size() - 1;
    uint32_t h = hash(id);
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.pos < 0) return -1;
      if (s.hash == h && id_of_(s.pos) == id) return s.pos;
    }
  }
  // Adds an ID that is not in the table yet.
  void insert(std::string_view id, int pos) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    place(hash(id), pos);
    ++size_;
  }
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint32_t hash = 0;
    int pos = -1;
  };
  static uint32_t hash(std::string_view id) { return uint32_t(std::hash<std::string_view>{}(id)); }
  // Tables stay below 2^32 slots, so the stored 32-bit hash is enough to place an entry again.
  void place(uint32_t h, int pos) {
    size_t mask = slots_.size() - 1;
    size_t i = h & mask;
    while (slots_[i].pos >= 0) i = (i + 1) & mask;
    slots_[i] = {h, pos};
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    for (const Slot& s : old)
      if (s.pos >= 0) place(s.hash, s.pos);
  }

  IdOf id_of_;
  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace warden::sched::detail
