#include "e2e_group.hpp"

#include <chrono>
#include <set>

namespace ananas::e2e {

using json = nlohmann::json;

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<json> pipeline_status(const WorkerProcess& w, const std::string& pipeline) {
  const auto [code, body] = http_get(w.base_url() + "/pipelines/" + pipeline + "/status");
  if (code != 200) return std::nullopt;
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

bool runs_here(const json& status) {
  const json& p = status["pipeline"];
  return p.value("state", "") == "RUNNING" && p.contains("placement") && p["placement"].value("runs_here", false);
}

bool GroupPlacement::whole_once(size_t pipeline) const {
  const auto& r = runs.at(pipeline);
  return r.size() == 1 && r[0].second.empty();
}

bool GroupPlacement::split_over(size_t pipeline, int partitions) const {
  std::set<std::string> seen;
  size_t total = 0;
  for (const auto& [w, parts] : runs.at(pipeline)) {
    total += parts.size();
    seen.insert(parts.begin(), parts.end());
  }
  return total == static_cast<size_t>(partitions) && seen.size() == total;
}

GroupPlacement placement_of(const std::vector<WorkerProcess*>& workers, const std::vector<std::string>& pipelines) {
  GroupPlacement out;
  out.runs.resize(pipelines.size());
  for (size_t w = 0; w < workers.size(); ++w) {
    if (!workers[w] || !workers[w]->process().running()) continue;
    for (size_t a = 0; a < pipelines.size(); ++a) {
      auto s = pipeline_status(*workers[w], pipelines[a]);
      if (!s || !runs_here(*s)) continue;
      std::vector<std::string> partitions;
      const json& p = (*s)["pipeline"]["placement"];
      if (p.contains("partitions")) partitions = p["partitions"].get<std::vector<std::string>>();
      out.runs[a].push_back({w, partitions});
    }
  }
  return out;
}

std::string describe(const GroupPlacement& p, const std::vector<std::string>& pipelines) {
  std::string out;
  for (size_t a = 0; a < pipelines.size(); ++a) {
    out += pipelines[a] + " on [";
    for (const auto& [w, parts] : p.runs[a]) {
      out += " worker" + std::to_string(w + 1);
      if (!parts.empty()) {
        out += "(";
        for (size_t i = 0; i < parts.size(); ++i) out += (i ? "," : "") + parts[i];
        out += ")";
      }
    }
    out += " ] ";
  }
  return out;
}

WorkerGroup::WorkerGroup(const ScratchDir& dir, std::string bootstrap, std::vector<std::string> files,
                         std::map<std::string, std::string> env)
    : dir_(dir), bootstrap_(std::move(bootstrap)), files_(std::move(files)), env_(std::move(env)) {}

WorkerProcess& WorkerGroup::start() {
  const std::string tag = "worker" + std::to_string(workers.size() + 1);
  auto env = env_;
  env["ANANAS_WORKER_ID"] = tag;
  workers.push_back(std::make_unique<WorkerProcess>(dir_, tag, bootstrap_, files_, env));
  return *workers.back();
}

std::vector<WorkerProcess*> WorkerGroup::live() const {
  std::vector<WorkerProcess*> out;
  for (const auto& w : workers) out.push_back(w.get());
  return out;
}

std::string WorkerGroup::stderr_of_all() const {
  std::string out;
  for (size_t i = 0; i < workers.size(); ++i)
    if (workers[i]) out += "--- worker" + std::to_string(i + 1) + ":\n" + workers[i]->process().err();
  return out;
}

bool checkpointed_after(const WorkerProcess& owner, const std::string& pipeline, int64_t after_ms) {
  auto s = pipeline_status(owner, pipeline);
  if (!s || !s->contains("checkpoints")) return false;
  const json& c = (*s)["checkpoints"];
  return c.value("completed_at_ms", int64_t{0}) - c.value("duration_ms", int64_t{0}) > after_ms;
}

bool wait_settled_and_checkpointed(const WorkerGroup& group, const std::vector<std::string>& names, size_t first,
                                   const std::function<bool(const GroupPlacement&)>& settled, int64_t after_ms,
                                   std::chrono::milliseconds timeout, GroupPlacement& placed) {
  return wait_until_true(
      [&] {
        placed = placement_of(group.live(), names);
        if (!settled(placed)) return false;
        for (size_t i = first; i < names.size(); ++i)
          for (const auto& [w, _] : placed.runs[i])
            if (!checkpointed_after(*group.workers[w], names[i], after_ms)) return false;
        return true;
      },
      timeout);
}

}  // namespace ananas::e2e
