#include "actors/drivers/folder_watch.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

namespace ananas::rt::drivers {

namespace {

using Clock = std::chrono::steady_clock;

constexpr uint32_t kEvents = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ATTRIB |
                             IN_DELETE_SELF | IN_MOVE_SELF;

}  // namespace

FolderWatch::FolderWatch(const std::vector<std::string>& folders, FolderWatchTiming timing,
                         std::function<void()> on_change, std::function<void(const std::string&)> on_problem)
    : timing_(timing), on_change_(std::move(on_change)) {
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  stop_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (inotify_fd_ < 0 || stop_fd_ < 0) {
    if (on_problem) on_problem(std::string("cannot watch the pipeline folders (inotify): ") + std::strerror(errno));
    return;
  }
  for (const auto& f : folders)
    if (::inotify_add_watch(inotify_fd_, f.c_str(), kEvents) < 0 && on_problem)
      on_problem("cannot watch '" + f + "' for changes: " + std::strerror(errno) + " (POST /reload still reloads)");
  thread_ = std::thread([this] { run(); });
}

FolderWatch::~FolderWatch() {
  if (thread_.joinable()) {
    const uint64_t one = 1;
    (void)!::write(stop_fd_, &one, sizeof one);
    thread_.join();
  }
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
  if (stop_fd_ >= 0) ::close(stop_fd_);
}

void FolderWatch::run() {
  std::optional<Clock::time_point> first, last;  // of the burst not yet reported
  alignas(inotify_event) char buf[16 * 1024];
  while (true) {
    int timeout_ms = -1;
    if (first) {
      const auto due = std::min(*last + timing_.quiet, *first + timing_.at_most);
      timeout_ms = static_cast<int>(
          std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now()).count()));
    }
    pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, timeout_ms);
    if (ready < 0 && errno != EINTR) return;
    if (fds[1].revents & POLLIN) return;
    if (ready > 0 && (fds[0].revents & POLLIN)) {
      while (::read(inotify_fd_, buf, sizeof buf) > 0) {
      }
      last = Clock::now();
      if (!first) first = last;
      continue;
    }
    if (first && Clock::now() >= std::min(*last + timing_.quiet, *first + timing_.at_most)) {
      first.reset();
      last.reset();
      on_change_();
    }
  }
}

}  // namespace ananas::rt::drivers
