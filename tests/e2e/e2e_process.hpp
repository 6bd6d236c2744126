#pragma once
// Processes for the end-to-end tests: every child writes stdout/stderr to
// files in the test's scratch folder (readable at any time, kept for the
// failure message), every wait is bounded, and every child is killed by PID
// when its handle goes away.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ananas::e2e {

using namespace std::chrono_literals;
using Millis = std::chrono::milliseconds;

// A fresh folder under /tmp, removed at the end unless ANANAS_E2E_KEEP is set.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name);
  ~ScratchDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

class Process {
 public:
  // Starts argv[0] (PATH lookup) with stdin from /dev/null (or `stdin_file`),
  // stdout to `out_file`, stderr to `err_file`, `env` added to the environment.
  Process(const std::vector<std::string>& argv, std::string out_file, std::string err_file,
          const std::map<std::string, std::string>& env = {}, const std::string& stdin_file = "/dev/null");
  ~Process();  // SIGKILL + reap if still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  // Waits for exit up to `timeout`: the exit code, -(signal) when killed by a
  // signal, nullopt when still running.
  std::optional<int> wait(Millis timeout);
  // Sends `sig`, then waits as wait() does.
  std::optional<int> signal_and_wait(int sig, Millis timeout);
  void kill_now();  // SIGKILL and reap

  std::string out() const;
  std::string err() const;
  // The first stdout line starting with `prefix` (without the prefix), waiting up to `timeout`.
  std::optional<std::string> wait_for_line(const std::string& prefix, Millis timeout);

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_;
  std::string out_file_, err_file_;
};

struct Result {
  int exit_code = -1;  // -(signal) when killed; -1000 on timeout
  std::string out, err;
};

// Runs a command to completion within `timeout` (killed by PID afterwards).
Result run(const std::vector<std::string>& argv, Millis timeout, const std::string& stdin_text = "",
           const std::map<std::string, std::string>& env = {});

bool program_exists(const std::string& name);
// Polls `done` every `every` until it returns true, at most `timeout`;
// returns whether it did.
template <class Done>
bool wait_until_true(Done done, Millis timeout, Millis every = Millis(100)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(every);
  }
  return true;
}

std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);
std::vector<std::string> lines_of(const std::string& text);

}  // namespace ananas::e2e
