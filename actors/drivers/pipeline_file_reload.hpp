#pragma once
// Hot reload of the pipelines `ananas run` was given as files and folders:
// each reload reads them again, file by file, and makes the worker match:
//   - a pipeline in a file and not running starts;
//   - one whose file (or its definition in it) is gone stops, draining as
//     DELETE /pipelines/{name} does (final checkpoint);
//   - one whose definition changed restarts from its state (drained, then
//     the new version resumes from that checkpoint) when its stateful
//     operators keep their state layouts (the check a restore makes,
//     state/state_compatibility.hpp); when they do not, the running version
//     stays and the report says why and how to start over;
//   - a file that cannot be read or loaded is reported at its location, and
//     the pipelines it defined keep running as they are (their status says
//     so under `definition`).
// Pipelines this did not start (POST /pipelines) are never touched; a file
// defining one of their names is reported instead.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "actors/drivers/worker_settings.hpp"
#include "actors/metrics.hpp"
#include "actors/reload_report.hpp"
#include "actors/worker.hpp"
#include "operators/operator_snapshot.hpp"

namespace ananas::rt::drivers {

class PipelineFileReload : public Reloader {
 public:
  // `paths`: the command line's files and folders.
  PipelineFileReload(Worker& worker, std::vector<std::string> paths, std::shared_ptr<Metrics> metrics,
                     WorkerSettings settings);
  // Takes over the worker's pipelines that the files define as they run now
  // (the ones started from them).
  void adopt_running();

  ReloadReport reload() override;
  std::optional<ReloadReport> last() const override;

  // What to watch for changes: each folder named, and the folder of each file named.
  std::vector<std::string> folders() const;

 private:
  struct Owned {
    std::string file;
    std::string definition;
    std::map<std::string, ops::StateLayout> layouts;  // of its operators that keep state
  };
  struct Wanted {
    std::string file;
    PipelineGraph graph;
  };
  struct Scan {
    std::map<std::string, Wanted> wanted;  // by pipeline name
    std::map<std::string, std::string> broken;  // file -> its error
    std::vector<ReloadReport::Problem> problems;
  };
  // Reads every file; `warn`: log the warnings of files whose text changed.
  Scan scan(bool warn);
  std::vector<std::string> files() const;
  void start(const std::string& name, Wanted& w);

  Worker& worker_;
  std::vector<std::string> paths_;
  std::shared_ptr<Metrics> metrics_;
  WorkerSettings settings_;
  mutable std::mutex mu_;  // one reload at a time
  std::map<std::string, Owned> owned_;
  std::map<std::string, std::string> texts_;  // file -> its text when last read: warnings only when it changed
  std::optional<ReloadReport> last_;
};

}  // namespace ananas::rt::drivers
