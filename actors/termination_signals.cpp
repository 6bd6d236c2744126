#include "actors/termination_signals.hpp"

#include <cerrno>
#include <csignal>
#include <ctime>

#include <pthread.h>

namespace ananas::rt {
namespace {
sigset_t termination_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}
}  // namespace

void block_termination_signals() {
  const sigset_t set = termination_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::optional<int> wait_for_termination_signal(std::optional<std::chrono::milliseconds> timeout) {
  const sigset_t set = termination_set();
  if (!timeout) {
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    return sig;
  }
  const auto ms = timeout->count();
  timespec ts{static_cast<time_t>(ms / 1000), static_cast<long>((ms % 1000) * 1000000)};
  for (;;) {
    const int sig = sigtimedwait(&set, nullptr, &ts);
    if (sig > 0) return sig;
    if (errno == EAGAIN) return std::nullopt;
    // EINTR: another signal interrupted the wait; wait again (the full timeout
    // again is acceptable for a shutdown wait).
  }
}

}  // namespace ananas::rt
