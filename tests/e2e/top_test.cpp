// `ananas top` in a real terminal: tmux runs it against a worker that reads a
// generator's orders, the screen is read back with capture-pane, and `q`
// ends it with exit status 0. A private tmux server (-L) per test, killed by
// its PID at the end.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <sstream>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

class TmuxServer {
 public:
  explicit TmuxServer(std::string socket) : socket_(std::move(socket)) {}
  ~TmuxServer() {
    run({"tmux", "-L", socket_, "kill-server"}, 10s);
    if (pid_ > 0) ::kill(pid_, SIGKILL);
  }
  TmuxServer(const TmuxServer&) = delete;
  TmuxServer& operator=(const TmuxServer&) = delete;

  Result tmux(std::vector<std::string> args) {
    args.insert(args.begin(), {"tmux", "-L", socket_, "-f", "/dev/null"});
    return run(args, 10s);
  }
  void remember_pid() {
    const Result r = tmux({"display-message", "-p", "#{pid}"});
    if (r.exit_code == 0) pid_ = std::stoi(r.out);
  }
  std::string screen() { return tmux({"capture-pane", "-p", "-t", "top"}).out; }

 private:
  std::string socket_;
  pid_t pid_ = -1;
};

// The IN/S column of `pipeline`'s row, if the screen shows one.
std::optional<double> input_rate(const std::string& screen, const std::string& pipeline) {
  for (const std::string& line : lines_of(screen)) {
    std::istringstream fields(line);
    std::string name, state, in;
    if (fields >> name >> state >> in && name == pipeline && state == "RUNNING") {
      try {
        return std::stod(in);
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("ananas top shows a running pipeline's input rate in a terminal and quits on q", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  REQUIRE(program_exists("tmux"));  // scripts/install-deps.sh installs it
  ScratchDir dir("top");
  BrokerProcess broker(dir, 2, {"pizzas"});
  WorkerProcess worker(dir, "worker", broker.bootstrap(), {example("01-basic-filtering.yaml")});
  auto generator = start_generate(dir, "generate", broker.bootstrap(), 200, 1000000, 0);

  TmuxServer tmux("ananas-top-" + std::to_string(::getpid()));
  // The shell writes top's exit status to a file: tmux's own pane_dead_status
  // was not reliable here (empty in some runs).
  const std::string status_file = dir.file("top-exit-status");
  const Result started =
      tmux.tmux({"new-session", "-d", "-s", "top", "-x", "132", "-y", "20",
                 ananas_binary() + " top --interval 1 --url " + worker.base_url() + "; echo $? > " + status_file});
  REQUIRE(started.exit_code == 0);
  tmux.remember_pid();

  std::string screen;
  const bool shown = wait_until_true(
      [&] {
        screen = tmux.screen();
        auto rate = input_rate(screen, "01-basic-filtering");
        return rate && *rate > 0;
      },
      60s, 500ms);
  INFO(screen);
  CHECK(shown);
  CHECK(screen.find("ananas top - " + worker.base_url() + " - every 1.0 s") != std::string::npos);
  CHECK(screen.find("PIPELINE            STATE    IN/S  ANOMALIES/S") != std::string::npos);

  CHECK(tmux.tmux({"send-keys", "-t", "top", "q"}).exit_code == 0);
  CHECK(wait_until_true([&] { return read_text(status_file) == "0\n"; }, 10s));
}
