// What both backends share: a jail directory with its persisted state, a supervisor process
// that runs the command and records its exit, waiting on it, logs, listing and recovery.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "state.hpp"
#include "supervisor.hpp"
#include "util.hpp"
#include "warden/jail/jail.hpp"

namespace warden::jail::detail {

struct Core {
  DriverOptions options;
  std::string jails_dir() const { return options.data_dir + "/jails"; }
  std::string jail_dir(const std::string& name) const { return jails_dir() + "/" + name; }
};

class BaseJail : public Jail {
 public:
  BaseJail(std::shared_ptr<Core> core, JailState state);

  const std::string& name() const override { return name_; }
  JailInfo info() override;
  JailStatus status() override;
  Result<std::optional<ExitResult>> wait(Nanos timeout) override;
  Result<LogReader> logs(LogStream stream, uint64_t offset) override;
  std::string state_json() override;
  // Runs exec_interactive() and collects the output.
  Result<ExecResult> exec(const ExecOptions& options) override;

  // Finds the supervisor and the command of a running jail from the state (PID and start
  // time); a supervisor that is gone means the jail has ended.
  void attach();
  // The state as persisted.
  JailState snapshot();

 protected:
  // How the command ended, once the supervisor has exited (mu_ held).
  virtual ExitResult finish(const std::optional<ExitRecord>& record) = 0;
  // Updates the cached exit if the supervisor has ended (mu_ held); true if ended.
  bool check_exited_locked();
  Result<void> save_locked();
  // The signal number for `name`, or nullopt when the jail has ended already (nothing to send);
  // an error when the name is unknown or the jail never started (mu_ held).
  Result<std::optional<int>> signal_number_locked(std::string_view name);
  // The supervisor's job for `plan`: the task's name, log rotation and directories.
  Job job_for(Plan& plan, int log_dir, int state_dir) const;
  // The command is running: keeps the supervisor's and the command's pidfds and records it.
  Result<void> mark_running_locked(Supervisor& sup, ChildStarted& child);
  std::string dir() const { return core_->jail_dir(name_); }

  std::shared_ptr<Core> core_;
  const std::string name_;
  std::mutex mu_;
  JailState st_;
  std::shared_ptr<Fd> shim_pidfd_;
  Fd cmd_pidfd_;
  bool destroyed_ = false;
};

// A process the caller started (a command in a jail, or `pot exec`): our child, so its PID stays
// ours until wait() reaps it.
class ChildProcess : public Process {
 public:
  ChildProcess(pid_t pid, Fd in, Fd out, Fd err, bool tty);
  ~ChildProcess() override;
  int in_fd() const override { return in_.get(); }
  int out_fd() const override { return tty_ ? in_.get() : out_.get(); }
  int err_fd() const override { return tty_ ? -1 : err_.get(); }
  void close_in() override;
  Result<void> resize(uint16_t rows, uint16_t cols) override;
  Result<void> signal(std::string_view signal) override;
  Result<std::optional<ExitResult>> wait(Nanos timeout) override;

 private:
  pid_t pid_;
  Fd pidfd_;
  Fd in_, out_, err_;
  bool tty_;
  std::optional<ExitResult> exit_;
};

// Feeds `input`, collects the output until the process ends; kills it after `timeout` (0: no
// limit).
Result<ExecResult> run_captured(Process& p, const std::string& input, Nanos timeout);

// The directories under <data_dir>/jails that hold a state.json.
std::vector<std::string> jail_names(const Core& core);
// The persisted state of the jail `name` of `backend` ("linux", "pot"): not_found when there is
// no such jail, invalid_argument for a bad name or another backend's jail.
Result<JailState> load_jail(const Core& core, std::string_view name, std::string_view backend);

// list() and recover() over open_state(): shared by the backends.
Result<std::vector<JailInfo>> list_jails(Driver& d, const Core& core);
Result<RecoverReport> recover_jails(Driver& d, const Core& core);

std::string new_invocation();

}  // namespace warden::jail::detail
