#include "actors/drivers/pipeline_file_reload.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>

#include "actors/drivers/worker_pipelines.hpp"
#include "core/diagnostic.hpp"
#include "core/log.hpp"
#include "pipelines/input_files.hpp"
#include "state/state_compatibility.hpp"

namespace ananas::rt::drivers {

namespace fs = std::filesystem;

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

PipelineFileReload::PipelineFileReload(Worker& worker, std::vector<std::string> paths, std::shared_ptr<Metrics> metrics,
                                       WorkerSettings settings)
    : worker_(worker), paths_(std::move(paths)), metrics_(std::move(metrics)), settings_(std::move(settings)) {}

void PipelineFileReload::adopt_running() {
  std::lock_guard lock(mu_);
  Scan s = scan(false);  // `ananas run` printed the warnings already
  for (auto& [name, w] : s.wanted) {
    const auto running = worker_.info(name);
    if (!running || running->definition != w.graph.definition) continue;
    owned_[name] = Owned{w.file, w.graph.definition, state_layouts(w.graph, true)};
    worker_.set_definition_status(name, w.file, "");
  }
}

std::vector<std::string> PipelineFileReload::folders() const {
  std::set<std::string> out;
  for (const auto& p : paths_) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) out.insert(p);
    else out.insert(fs::absolute(p, ec).parent_path().string());
  }
  return {out.begin(), out.end()};
}

// The files named, as they are now: a folder's pipeline files (new ones
// included), a named file while it exists.
std::vector<std::string> PipelineFileReload::files() const {
  std::vector<std::string> out;
  for (const auto& p : paths_) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      try {
        for (auto& f : pipeline::folder_pipeline_files(p)) out.push_back(std::move(f));
      } catch (const fs::filesystem_error&) {
        // the folder went away between the check and the listing: nothing in it
      }
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    }
  }
  return out;
}

PipelineFileReload::Scan PipelineFileReload::scan(bool warn) {
  Scan s;
  std::map<std::string, std::string> texts;
  for (const auto& file : files()) {
    std::vector<PipelineGraph> graphs;
    try {
      pipeline::InputFile input = pipeline::read_input(file);
      texts[file] = input.text;
      const bool changed = warn && (texts_.count(file) == 0 || texts_[file] != input.text);
      auto loaded = load_worker_pipelines({std::move(input)}, metrics_);
      if (changed)
        for (const auto& w : loaded->warnings) log::warn("", w.to_string());
      graphs = to_pipeline_graphs(loaded, settings_);
    } catch (const std::exception& e) {  // InputError: file:line:column: message
      s.broken[file] = e.what();
      s.problems.push_back({file, "", e.what()});
      continue;
    }
    for (auto& g : graphs) {
      if (auto first = s.wanted.find(g.name); first != s.wanted.end()) {
        s.problems.push_back({file, g.name,
                              file + ": pipeline '" + g.name + "' is defined in " + first->second.file +
                                  " already; this definition is not applied (pipeline names are unique)"});
        continue;
      }
      const std::string name = g.name;
      s.wanted.emplace(name, Wanted{file, std::move(g)});
    }
  }
  texts_ = std::move(texts);
  return s;
}

void PipelineFileReload::start(const std::string& name, Wanted& w) {
  Owned owned{w.file, w.graph.definition, state_layouts(w.graph, true)};
  worker_.add(std::move(w.graph));
  owned_[name] = std::move(owned);
  worker_.set_definition_status(name, w.file, "");
}

ReloadReport PipelineFileReload::reload() {
  std::lock_guard lock(mu_);
  ReloadReport report;
  report.at_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  Scan s = scan(true);
  report.errors = s.problems;

  for (auto& [name, w] : s.wanted) {
    const auto running = worker_.info(name);
    auto mine = owned_.find(name);
    const bool ours = mine != owned_.end() && running && running->definition == mine->second.definition;
    try {
      if (!running) {
        start(name, w);
        report.started.push_back(name);
        log::info(name, "reload: started from " + w.file);
      } else if (!ours) {
        if (mine != owned_.end()) owned_.erase(mine);  // replaced over REST since
        report.errors.push_back({w.file, name,
                                 w.file + ": a pipeline named '" + name +
                                     "' was created over the REST API; the file's is not started (DELETE "
                                     "/pipelines/" + name + " to run the file's)"});
      } else if (mine->second.definition == w.graph.definition) {
        mine->second.file = w.file;
        worker_.set_definition_status(name, w.file, "");
        report.unchanged.push_back(name);
      } else if (const std::string why = state::layout_changes(mine->second.layouts, state_layouts(w.graph));
                 !why.empty()) {
        const std::string message =
            w.file + ": pipeline '" + name + "' changed in a way its state cannot follow, so the running version stays:" +
            why + "\nTo start it over with the new definition: remove the file (the pipeline stops), run `ananas reset " +
            name + "`, then put the file back.";
        worker_.set_definition_status(name, w.file, message);
        report.errors.push_back({w.file, name, message});
      } else {
        worker_.remove(name);  // drained: its final checkpoint is where the new version resumes
        start(name, w);
        report.restarted.push_back(name);
        log::info(name, "reload: restarted with the definition now in " + w.file + " (from its last checkpoint)");
      }
    } catch (const std::exception& e) {  // PipelineExists (a POST won the race), an invalid graph
      report.errors.push_back({w.file, name, w.file + ": pipeline '" + name + "' not started: " + e.what()});
    }
  }

  for (auto it = owned_.begin(); it != owned_.end();) {
    const std::string& name = it->first;
    if (s.wanted.count(name)) {
      ++it;
      continue;
    }
    if (auto broken = s.broken.find(it->second.file); broken != s.broken.end()) {
      // Its file is there but unreadable now: the running version stays.
      worker_.set_definition_status(name, it->second.file, broken->second);
      ++it;
      continue;
    }
    const auto running = worker_.info(name);
    if (running && running->definition == it->second.definition) {
      worker_.remove(name);  // drains, as DELETE does
      report.stopped.push_back(name);
      log::info(name, "reload: stopped (no longer in " + it->second.file + ")");
    }
    it = owned_.erase(it);
  }

  // Said once: a problem the last reload reported already is not logged again.
  bool new_errors = false;
  for (const auto& p : report.errors) {
    const bool known = last_ && std::any_of(last_->errors.begin(), last_->errors.end(), [&](const ReloadReport::Problem& q) {
                         return q.file == p.file && q.message == p.message;
                       });
    if (known) continue;
    new_errors = true;
    log::error(p.pipeline, "reload: " + p.message);
  }
  if (!report.started.empty() || !report.stopped.empty() || !report.restarted.empty() || new_errors)
    log::info("", "reload: started [" + join(report.started) + "], stopped [" + join(report.stopped) + "], restarted [" +
                      join(report.restarted) + "], " + std::to_string(report.unchanged.size()) + " unchanged, " +
                      std::to_string(report.errors.size()) + " error(s)");
  last_ = report;
  return report;
}

std::optional<ReloadReport> PipelineFileReload::last() const {
  std::lock_guard lock(mu_);
  return last_;
}

}  // namespace ananas::rt::drivers
