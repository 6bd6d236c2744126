// `ananas top`: a live view of one running worker, in the spirit of `vector
// top` and `htop`: per pipeline its state, input and anomaly rates, bad
// records, watermark lag, consumer lag and restarts, redrawn every interval.
// It reads the worker's /metrics (the same port as the REST API) twice per
// interval's worth of time and shows the differences; cli/top/ holds the
// parsing and the screen, this file the loop and the terminal.
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <iostream>
#include <optional>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/rest_client.hpp"
#include "cli/top/top_view.hpp"

namespace ananas::cli {

namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_top_stop_signal(int) { g_stop = 1; }

// The terminal in non-canonical mode without echo while top runs, so that a
// single `q` is read at once; restored however top ends.
class KeyboardMode {
 public:
  KeyboardMode() {
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios raw = saved_;
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    active_ = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
  }
  ~KeyboardMode() {
    if (active_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  KeyboardMode(const KeyboardMode&) = delete;
  KeyboardMode& operator=(const KeyboardMode&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

// Waits up to `timeout` for a key; true when it was `q` (or stdin closed on a
// terminal). Without a terminal on stdin it just waits.
bool wait_for_quit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const bool tty = isatty(STDIN_FILENO);
  while (!g_stop) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{STDIN_FILENO, POLLIN, 0};
    const int n = ::poll(tty ? &p : nullptr, tty ? 1 : 0, static_cast<int>(std::min<int64_t>(left.count(), 200)));
    if (n > 0 && (p.revents & POLLIN)) {
      char c = 0;
      if (::read(STDIN_FILENO, &c, 1) == 1 && (c == 'q' || c == 'Q')) return true;
    }
  }
  return true;
}

std::optional<std::vector<MetricSample>> scrape(const RestClient& client, std::string& error) {
  try {
    auto samples = parse_prometheus_text(client.get("/metrics").body);
    error.clear();
    return samples;
  } catch (const RestError& e) {
    error = e.what();
    return std::nullopt;
  }
}

int run_top(int argc, char** argv) {
  Args args("ananas top [--url URL] [--interval SECONDS] [--once]",
            "A live view of a running worker (`ananas run`): per pipeline its state, records read per second\n"
            "(IN/S), records written by its sinks per second (ANOMALIES/S), bad records per second, the largest\n"
            "watermark lag of its operators, its consumer lag and its actor restarts; redrawn every interval\n"
            "from the worker's /metrics. Keys: q quits (Ctrl-C too).\n"
            "\n"
            "The worker: --url, else the environment variable ANANAS_URL, else http://127.0.0.1:8083. A worker\n"
            "with http.auth.token and http.auth.metrics (the default) needs $ANANAS_HTTP_AUTH_TOKEN.\n"
            "--once prints one table after one interval, without redrawing (for scripts and logs).\n"
            "Exit codes: 0 done, 1 the worker cannot be reached (with --once), 2 usage error.");
  args.option("url", "URL", "the worker's address (default: $ANANAS_URL, else http://127.0.0.1:8083)", "u")
      .option("interval", "SECONDS", "time between two redraws (0.2 to 3600)", "n", "2")
      .flag("once", "print one table after one interval and exit");
  if (!args.parse(argc, argv, std::cout)) return kExitOk;
  if (!args.rest().empty()) throw UsageError("top takes no argument (see --help)");
  const double interval = args.get_double("interval", 0.2, 3600);
  const auto interval_ms = std::chrono::milliseconds(static_cast<int64_t>(interval * 1000));
  const RestClient client = worker_client(args.get_optional("url"));
  const bool once = args.has("once");
  const bool redraw = !once && isatty(STDOUT_FILENO);

  std::signal(SIGINT, on_top_stop_signal);
  std::signal(SIGTERM, on_top_stop_signal);
  KeyboardMode keyboard;
  if (redraw)  // alternate screen, cursor hidden; rates need a second scrape
    std::cout << "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J" << render_top({}, client.url(), interval) << "(measuring)\n"
              << std::flush;

  std::string error;
  auto before = scrape(client, error);
  auto taken = std::chrono::steady_clock::now();
  if (!before && once) {
    std::cerr << "ananas top: " << error << "\n";
    return kExitInvalid;
  }
  bool quit = false;
  while (!quit) {
    quit = wait_for_quit(interval_ms);
    if (quit) break;
    auto after = scrape(client, error);
    const auto now = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(now - taken).count();
    std::string screen;
    if (!after) {
      if (once) {
        std::cerr << "ananas top: " << error << "\n";
        return kExitInvalid;
      }
      screen = "ananas top - " + client.url() + "\n\n" + error + "\n(retrying every interval)\n";
    } else {
      screen = render_top(top_rows(before ? *before : std::vector<MetricSample>{}, *after, seconds), client.url(),
                          interval);
      before = std::move(after);
      taken = now;
    }
    if (redraw) std::cout << "\x1b[H\x1b[2J";
    std::cout << screen << std::flush;
    if (once) break;
    if (!redraw) std::cout << "\n";
  }
  if (redraw) std::cout << "\x1b[?25h\x1b[?1049l" << std::flush;
  return kExitOk;
}

}  // namespace

ANANAS_COMMAND(top, "top", "a live view of a running worker: rates, lags and state per pipeline", run_top);

}  // namespace ananas::cli
