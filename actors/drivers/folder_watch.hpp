#pragma once
// Watches folders with inotify and calls `on_change` once a burst of changes
// is over: `quiet` after the last event, or `at_most` after the first one
// while events keep coming. Any change in a folder counts (files written,
// created, deleted, renamed, their attributes), because the caller rereads
// everything anyway: this includes a Kubernetes ConfigMap update, where the
// kubelet writes a new hidden folder and renames the `..data` symlink onto
// it (the keys are symlinks through `..data`, so no key file itself changes).
// A folder that cannot be watched is reported through `on_problem` once.
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace ananas::rt::drivers {

struct FolderWatchTiming {
  std::chrono::milliseconds quiet{300};
  std::chrono::milliseconds at_most{2000};
};

class FolderWatch {
 public:
  FolderWatch(const std::vector<std::string>& folders, FolderWatchTiming timing, std::function<void()> on_change,
              std::function<void(const std::string&)> on_problem);
  ~FolderWatch();  // stops the thread (an on_change in progress finishes first)
  FolderWatch(const FolderWatch&) = delete;
  FolderWatch& operator=(const FolderWatch&) = delete;

 private:
  void run();

  int inotify_fd_ = -1;
  int stop_fd_ = -1;  // eventfd: written once to stop the thread
  FolderWatchTiming timing_;
  std::function<void()> on_change_;
  std::thread thread_;
};

}  // namespace ananas::rt::drivers
