// Host ports in use on one node: a bitmap of 65536 bits, made only when a node uses ports.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace warden::sched::detail {

class PortSet {
 public:
  bool used(int port) const {
    return bits_ && port >= 0 && port < 65536 && ((*bits_)[size_t(port) >> 6] >> (port & 63)) & 1;
  }
  void set(int port) {
    if (port < 0 || port >= 65536) return;
    if (!bits_) bits_ = std::make_unique<std::vector<uint64_t>>(1024, 0);
    (*bits_)[size_t(port) >> 6] |= uint64_t(1) << (port & 63);
  }
  void clear(int port) {
    if (bits_ && port >= 0 && port < 65536)
      (*bits_)[size_t(port) >> 6] &= ~(uint64_t(1) << (port & 63));
  }
  // Free ports in [lo, hi].
  int free_in(int lo, int hi) const;
  // The first free port at or after `from` in [lo, hi], wrapping around; -1 when none.
  int next_free(int lo, int hi, int from) const;

 private:
  std::unique_ptr<std::vector<uint64_t>> bits_;
};

}  // namespace warden::sched::detail
