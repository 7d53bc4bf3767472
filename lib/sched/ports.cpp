#include "ports.hpp"

namespace warden::sched::detail {

int PortSet::free_in(int lo, int hi) const {
  if (hi < lo) return 0;
  if (!bits_) return hi - lo + 1;
  int n = 0;
  for (int p = lo; p <= hi; ++p) n += used(p) ? 0 : 1;
  return n;
}

int PortSet::next_free(int lo, int hi, int from) const {
  if (hi < lo) return -1;
  if (from < lo || from > hi) from = lo;
  for (int p = from; p <= hi; ++p)
    if (!used(p)) return p;
  for (int p = lo; p < from; ++p)
    if (!used(p)) return p;
  return -1;
}

}  // namespace warden::sched::detail
