#pragma once
// Test helpers that start real processes (ananas, kcat) with bounded time and
// clean them up by PID.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace ananas::test {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal or timed out
  bool timed_out = false;
  std::string out, err;
};

// Runs argv[0] (looked up in PATH) with `input` on stdin; kills it with
// SIGKILL after `timeout`.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          std::chrono::milliseconds timeout);

bool program_exists(const std::string& name);

// A process kept running in the background, stdout readable line by line.
class BackgroundProcess {
 public:
  explicit BackgroundProcess(const std::vector<std::string>& argv);
  ~BackgroundProcess();  // SIGTERM, then SIGKILL after 5 s
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // The next stdout line, or "" with ok = false after `timeout`.
  std::string read_line(std::chrono::milliseconds timeout, bool& ok);
  // Sends `sig` and waits up to `timeout`; returns the exit code, -1 on signal death or timeout.
  int stop(int sig, std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  bool reaped_ = false;
};

// `ananas broker` as a process; bootstrap() is parsed from its first line.
class BrokerProcess {
 public:
  explicit BrokerProcess(const std::vector<std::string>& extra_args = {});
  const std::string& bootstrap() const { return bootstrap_; }
  int stop() { return process_.stop(15, std::chrono::seconds(10)); }
  BackgroundProcess& process() { return process_; }

 private:
  BackgroundProcess process_;
  std::string bootstrap_;
};

}  // namespace ananas::test
