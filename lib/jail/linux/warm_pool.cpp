#include "warm_pool.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>

#include "warden/core/log.hpp"

namespace warden::jail::detail {
namespace {

std::atomic<int> g_pools{0};

}  // namespace

WarmPool::WarmPool(CgroupLayout layout, std::string parent, size_t size, unsigned long namespaces)
    : layout_(std::move(layout)),
      parent_(std::move(parent)),
      size_(size),
      namespaces_(namespaces),
      prefix_(".warm-" + std::to_string(::getpid()) + "-" + std::to_string(g_pools++) + "-"),
      last_activity_(std::chrono::steady_clock::now()) {
  thread_ = std::thread([this] { run(); });
}

WarmPool::~WarmPool() {
  stop();
}

void WarmPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_ && !thread_.joinable()) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::deque<WarmSlot> slots;
  {
    std::lock_guard<std::mutex> lock(mu_);
    slots.swap(ready_);
  }
  for (auto& s : slots) release(s);
}

void WarmPool::release(WarmSlot& slot) {
  // Closing the control socket ends a supervisor that waits for its job.
  slot.supervisor.ctl.reset();
  if (slot.supervisor.pidfd && !wait_readable(slot.supervisor.pidfd.get(), 2 * kSecond)) {
    pidfd_send_signal(slot.supervisor.pidfd.get(), SIGKILL);
    wait_readable(slot.supervisor.pidfd.get(), 5 * kSecond);
  }
  (void)slot.cgroups.remove();
}

void WarmPool::touch() {
  std::lock_guard<std::mutex> lock(mu_);
  last_activity_ = std::chrono::steady_clock::now();
}

std::optional<WarmSlot> WarmPool::take() {
  std::optional<WarmSlot> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_activity_ = std::chrono::steady_clock::now();
    if (ready_.empty()) return out;
    out = std::move(ready_.front());
    ready_.pop_front();
  }
  cv_.notify_all();
  // A supervisor that died while waiting (killed from outside) is no use.
  if (!out->supervisor.pidfd || wait_readable(out->supervisor.pidfd.get(), 0)) {
    release(*out);
    out.reset();
  }
  return out;
}

Result<WarmSlot> WarmPool::fill_one() {
  WarmSlot slot;
  auto cg = Cgroups::create(layout_, parent_, prefix_ + std::to_string(counter_++));
  if (!cg) return std::move(cg).error();
  slot.cgroups = std::move(*cg);
  auto attach = slot.cgroups.open_procs();
  if (!attach) {
    (void)slot.cgroups.remove();
    return std::move(attach).error();
  }
  SupervisorSpec spec;
  spec.namespaces = namespaces_;
  for (const auto& fd : *attach) spec.attach.push_back(fd.get());
  auto sup = spawn_supervisor(spec);
  if (!sup) {
    (void)slot.cgroups.remove();
    return std::move(sup).error();
  }
  slot.supervisor = std::move(*sup);
  // The grace period is waited for here, in the pool's thread.
  if (auto r = wait_attached(slot.supervisor, 30 * kSecond); !r) {
    release(slot);
    return std::move(r).error();
  }
  return slot;
}

void WarmPool::run() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || ready_.size() < size_; });
      // Wait for 50 ms without jail activity (see the header).
      while (!stop_) {
        auto quiet = last_activity_ + std::chrono::milliseconds(50);
        if (std::chrono::steady_clock::now() >= quiet) break;
        cv_.wait_until(lock, quiet);
      }
      if (stop_) return;
    }
    auto slot = fill_one();
    std::unique_lock<std::mutex> lock(mu_);
    if (!slot) {
      log(LogLevel::warn, "jail", "warm supervisor: " + slot.error().message());
      // Try again later rather than spin.
      cv_.wait_for(lock, std::chrono::seconds(5), [&] { return stop_; });
      if (stop_) return;
      continue;
    }
    if (stop_) {
      lock.unlock();
      release(*slot);
      return;
    }
    ready_.push_back(std::move(*slot));
  }
}

void remove_stale_warm(const CgroupLayout& layout, const std::string& parent) {
  for (const auto& name : cgroup_children(layout, parent)) {
    if (name.rfind(".warm-", 0) != 0) continue;
    pid_t owner = pid_t(std::atoi(name.c_str() + 6));
    if (owner > 0 && (::kill(owner, 0) == 0 || errno == EPERM)) continue;
    (void)Cgroups::attach(layout, Cgroups::paths(layout, parent, name)).remove();
  }
}

}  // namespace warden::jail::detail
