#include "e2e_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace ananas::e2e {

namespace fs = std::filesystem;

ScratchDir::ScratchDir(const std::string& name) {
  static std::atomic<int> counter{0};
  path_ = "/tmp/ananas-e2e-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" + name;
  fs::remove_all(path_);
  fs::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  if (!getenv("ANANAS_E2E_KEEP")) {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
}

Process::Process(const std::vector<std::string>& argv, std::string out_file, std::string err_file,
                 const std::map<std::string, std::string>& env, const std::string& stdin_file)
    : out_file_(std::move(out_file)), err_file_(std::move(err_file)) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // A test that aborts (a crash, std::terminate) runs no destructor: its
  // brokers and workers must not outlive it, holding CPU and ports. The
  // kernel kills them when the thread that forked them exits, so only for
  // the main thread (the test's own), whose exit is the process's.
  const pid_t parent = getpid();
  const bool from_main_thread = static_cast<pid_t>(syscall(SYS_gettid)) == parent;
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid_ == 0) {
    if (from_main_thread) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(125);  // the test died before prctl
    }
    // The test process may block signals (it does not, but be certain the
    // child can be stopped with SIGTERM/SIGINT as in production).
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int in = open(stdin_file.c_str(), O_RDONLY);
    int out = open(out_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    execvp(args[0], args.data());
    _exit(127);
  }
}

Process::~Process() {
  if (!exit_) kill_now();
}

static std::optional<int> decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return std::nullopt;
}

bool Process::running() {
  if (exit_) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_ = decode_status(status);
    return false;
  }
  return true;
}

std::optional<int> Process::wait(Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(20ms);
  }
  return exit_;
}

std::optional<int> Process::signal_and_wait(int sig, Millis timeout) {
  if (running()) ::kill(pid_, sig);
  return wait(timeout);
}

void Process::kill_now() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  if (waitpid(pid_, &status, 0) == pid_) exit_ = decode_status(status);
}

std::string Process::out() const { return read_text(out_file_); }
std::string Process::err() const { return read_text(err_file_); }

std::optional<std::string> Process::wait_for_line(const std::string& prefix, Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (const auto& line : lines_of(out()))
      if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
    if (std::chrono::steady_clock::now() >= deadline || !running()) {
      for (const auto& line : lines_of(out()))  // a last look: the line may have come with the exit
        if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
      return std::nullopt;
    }
    std::this_thread::sleep_for(50ms);
  }
}

Result run(const std::vector<std::string>& argv, Millis timeout, const std::string& stdin_text,
           const std::map<std::string, std::string>& env) {
  ScratchDir dir("run");
  write_text(dir.file("in"), stdin_text);
  Process p(argv, dir.file("out"), dir.file("err"), env, dir.file("in"));
  Result r;
  auto code = p.wait(timeout);
  if (!code) {
    p.kill_now();
    r.exit_code = -1000;
  } else {
    r.exit_code = *code;
  }
  r.out = p.out();
  r.err = p.err();
  return r;
}

bool program_exists(const std::string& name) {
  const char* path = getenv("PATH");
  if (!path) return false;
  std::stringstream dirs(path);
  for (std::string d; std::getline(dirs, d, ':');)
    if (!d.empty() && access((d + "/" + name).c_str(), X_OK) == 0) return true;
  return false;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) break;  // an unfinished line is not a line yet
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

}  // namespace ananas::e2e
