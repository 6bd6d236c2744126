#include "actors/worker.hpp"

#include <algorithm>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "actors/internal/errors.hpp"
#include "actors/internal/supervisor.hpp"
#include "core/key_group.hpp"
#include "core/log.hpp"

namespace ananas::rt {

size_t cpu_limit() {
  size_t cpus = std::max(1u, std::thread::hardware_concurrency());
  // cgroup v2: "max 100000" (no limit) or "<quota> <period>".
  std::ifstream f("/sys/fs/cgroup/cpu.max");
  std::string quota;
  long period = 0;
  if (f >> quota >> period && quota != "max" && period > 0) {
    try {
      const long q = std::stol(quota);
      cpus = std::min(cpus, static_cast<size_t>(std::max(1L, (q + period - 1) / period)));
    } catch (const std::exception&) {
      // An unreadable quota means no usable limit: keep the core count.
    }
  }
  return cpus;
}

namespace {

caf::actor_system_config make_config(const WorkerConfig& c) {
  caf::actor_system_config cfg;
  // No CAF_MAIN, no caf-application.ini from the working directory: an empty
  // INI stream, then everything set in code.
  std::istringstream no_ini;
  cfg.parse(caf::actor_system_config::string_list{}, no_ini);
  cfg.set("scheduler.max-threads", c.threads ? c.threads : cpu_limit());
  cfg.set("scheduler.max-throughput", std::max(1, c.max_throughput));
  // Work sharing by default: with work stealing, a scheduler thread without
  // work polls, then sleeps 50 us at a time, so a pipeline whose actors take
  // turns keeps waking threads for nothing. Measured on the filtering app
  // (bench/e2e_filter.sh, N=300k, perf stat): 45-70k context switches and
  // 11% of the worker's CPU in nanosleep with stealing; 4k context switches
  // and ~20% less CPU per run with sharing, whose idle threads block on a
  // condition variable. Our messages are batches, so one shared queue is not
  // a point of contention.
  const std::string policy = c.scheduler_policy == "stealing" ? "stealing" : "sharing";
  cfg.set("scheduler.policy", caf::atom_from_string(caf::string_view{policy.data(), policy.size()}));
  add_failure_category(cfg);
  return cfg;
}

// One run of a sharded keyed part (PipelineGraph::sharding) on this worker.
struct ShardRun {
  supervisor_actor supervisor;
  std::shared_ptr<StatusBoard> board;
};

struct Entry {
  supervisor_actor supervisor;  // null while another worker of the group runs it
  std::shared_ptr<StatusBoard> board;
  // A sharded keyed part: its runs here, by exchange partition, and how many
  // partitions (shards) the exchange has.
  std::map<int32_t, ShardRun> shards;
  uint32_t shard_count = 0;
  PipelineInfo info;
  Millis drain_timeout;
  // With a placement: the graph to start whenever the pipeline is acquired.
  std::shared_ptr<const PipelineGraph> graph;
};

}  // namespace

struct Worker::Impl {
  explicit Impl(const WorkerConfig& c) : cfg(make_config(c)), system(cfg) {}
  caf::actor_system_config cfg;
  caf::actor_system system;
  mutable std::mutex mu;
  std::map<std::string, Entry> pipelines;
  bool stopped = false;
  std::shared_ptr<Placement> placement;

  std::optional<Entry> find(const std::string& name) const {
    std::lock_guard lock(mu);
    auto it = pipelines.find(name);
    if (it == pipelines.end()) return std::nullopt;
    return it->second;
  }

  // Drains a run and waits for its supervisor to end (killing it if the
  // drain overruns its own deadline).
  void drain(const supervisor_actor& run, Millis drain_timeout) {
    if (!run) return;  // standing by: nothing runs here
    caf::scoped_actor self{system, true};
    self->monitor(run);
    self->send(run, msg::drain_atom::value);
    bool done = false;
    self->receive([&](caf::down_msg&) { done = true; }, caf::after(drain_timeout + std::chrono::seconds(2)) >> [&] {});
    if (!done) {
      self->send_exit(run, caf::exit_reason::kill);
      self->receive([](caf::down_msg&) {}, caf::after(std::chrono::seconds(5)) >> [] {});
    }
  }

  // Stops a run at once, without a final checkpoint (another worker may
  // already be writing): as if this worker had crashed.
  void kill(const supervisor_actor& run) {
    if (!run) return;
    caf::scoped_actor self{system, true};
    self->monitor(run);
    self->send_exit(run, caf::exit_reason::kill);
    self->receive([](caf::down_msg&) {}, caf::after(std::chrono::seconds(5)) >> [] {});
  }

  // Every run of the pipeline here: its supervisor, or its shards'.
  static std::vector<supervisor_actor> runs(const Entry& e) {
    std::vector<supervisor_actor> out;
    if (e.supervisor) out.push_back(e.supervisor);
    for (const auto& [_, shard] : e.shards) out.push_back(shard.supervisor);
    return out;
  }

  // Stops runs side by side (each flushes and commits on its own).
  void stop_runs(const std::vector<supervisor_actor>& all, bool lost, Millis drain_timeout) {
    std::vector<std::thread> stops;
    for (const auto& run : all)
      stops.emplace_back([this, run, lost, drain_timeout] { lost ? kill(run) : drain(run, drain_timeout); });
    for (auto& t : stops) t.join();
  }

  void drain(const Entry& e) { stop_runs(runs(e), false, e.drain_timeout); }
  void kill(const Entry& e) { stop_runs(runs(e), true, e.drain_timeout); }

  PipelineStatus status_of(const Entry& e) const {
    if (e.shards.empty()) return e.board->snapshot();
    std::vector<PipelineStatus> shards;
    for (const auto& [_, shard] : e.shards) shards.push_back(shard.board->snapshot());
    return merge_shard_statuses(e.board->snapshot(), shards);
  }

  // A sharded keyed part's shards here are `owned` from now on: the runs of
  // shards given up stop (drained, so that their final checkpoints are what
  // the next owners restore; killed when `lost`), those of shards taken
  // start, and the others go on undisturbed.
  void reshard(const std::string& name, const std::set<connectors::PartitionId>& owned, bool lost,
               const std::shared_ptr<Metrics>& metrics) {
    std::set<int32_t> keep;
    for (const auto& p : owned) keep.insert(p.partition);
    std::vector<supervisor_actor> gone;
    Millis drain_timeout{};
    {
      std::lock_guard lock(mu);
      auto it = pipelines.find(name);
      if (it == pipelines.end()) return;
      drain_timeout = it->second.drain_timeout;
      auto& shards = it->second.shards;
      for (auto s = shards.begin(); s != shards.end();) {
        if (keep.count(s->first)) {
          ++s;
          continue;
        }
        gone.push_back(s->second.supervisor);
        s = shards.erase(s);
      }
    }
    stop_runs(gone, lost, drain_timeout);
    // The shard count, once (a broker call, outside the lock).
    std::shared_ptr<const PipelineGraph::Sharding> sharding;
    bool counted = false;
    {
      std::lock_guard lock(mu);
      auto it = pipelines.find(name);
      if (it == pipelines.end() || !it->second.graph) return;
      sharding = it->second.graph->sharding;
      counted = it->second.shard_count > 0;
    }
    int count = 0;
    if (!counted && !keep.empty()) {
      try {
        count = sharding->partitions();
      } catch (const std::exception& e) {
        // The group just answered, so the broker is there; should the lookup
        // still fail, the owned partitions bound the count from below (a
        // changelog topic of another count then fails the shard's
        // checkpoints loudly, never mixes states).
        count = *keep.rbegin() + 1;
        log::warn(name, std::string("cannot read the partition count of '") + sharding->topic + "' (" + e.what() +
                            "); taking " + std::to_string(count));
      }
    }
    std::lock_guard lock(mu);
    auto it = pipelines.find(name);
    if (stopped || it == pipelines.end() || !it->second.graph) return;
    Entry& now = it->second;
    if (now.shard_count == 0 && count > 0) now.shard_count = static_cast<uint32_t>(count);
    std::vector<std::string> partitions, key_groups;
    for (int32_t p : keep) {
      partitions.push_back(sharding->topic + "/" + std::to_string(p));
      if (sharding->key_group_ranges && static_cast<uint32_t>(p) < now.shard_count &&
          now.shard_count <= kDefaultKeyGroups) {
        const KeyGroupRange range = key_group_range(static_cast<uint32_t>(p), now.shard_count, kDefaultKeyGroups);
        key_groups.push_back(std::to_string(range.first) + "-" + std::to_string(range.last));
      }
      if (now.shards.count(p)) continue;
      PipelineGraph g = *now.graph;
      g.owned_partitions = std::make_shared<const std::set<connectors::PartitionId>>(
          std::set<connectors::PartitionId>{{now.graph->sharding->topic, p}});
      if (g.storage) g.storage->shard = state::StateShard{static_cast<uint32_t>(p), now.shard_count};
      ShardRun run;
      run.board = std::make_shared<StatusBoard>(g);
      run.supervisor = spawn_supervisor(system, std::move(g), metrics, run.board);
      now.shards.emplace(p, std::move(run));
    }
    if (keep.empty()) now.board->set_state(State::Unassigned);
    now.board->set_placement(placement->group(), !keep.empty(), std::move(partitions), std::move(key_groups));
    // A drained shard marks the pipeline UNASSIGNED in the metrics; the
    // shards that run on say otherwise.
    if (!gone.empty() && !now.shards.empty())
      metrics->set_pipeline_state(name, state_name(status_of(now).state));
  }

  void acquired(const std::string& name, const std::shared_ptr<Metrics>& metrics) {
    std::lock_guard lock(mu);
    auto it = pipelines.find(name);
    if (stopped || it == pipelines.end() || it->second.supervisor || !it->second.graph) return;
    Entry& e = it->second;
    e.board->set_placement(placement->group(), true);
    e.supervisor = spawn_supervisor(system, *e.graph, metrics, e.board);
  }

  // A split pipeline's share here changed: the run over the old share stops
  // (drained, so its offsets are committed for the next owner), then one
  // over the new share starts, if any.
  void reassigned(const std::string& name, const std::set<connectors::PartitionId>& owned, bool lost,
                  const std::shared_ptr<Metrics>& metrics) {
    bool sharded = false;
    {
      std::lock_guard lock(mu);
      auto it = pipelines.find(name);
      if (it == pipelines.end()) return;
      sharded = it->second.graph && it->second.graph->sharding;
    }
    if (sharded) return reshard(name, owned, lost, metrics);
    Entry e;
    {
      std::lock_guard lock(mu);
      auto it = pipelines.find(name);
      if (it == pipelines.end()) return;
      e = it->second;
      it->second.supervisor = nullptr;
    }
    if (lost) kill(e);
    else drain(e);
    std::vector<std::string> names;
    for (const auto& p : owned) names.push_back(p.topic + "/" + std::to_string(p.partition));
    std::lock_guard lock(mu);
    auto it = pipelines.find(name);
    if (stopped || it == pipelines.end() || !it->second.graph) return;
    Entry& now = it->second;
    if (owned.empty()) {
      now.board->set_state(State::Unassigned);
      now.board->set_placement(placement->group(), false);
      return;
    }
    PipelineGraph g = *now.graph;
    g.owned_partitions = std::make_shared<const std::set<connectors::PartitionId>>(owned);
    now.board->set_placement(placement->group(), true, std::move(names));
    now.supervisor = spawn_supervisor(system, std::move(g), metrics, now.board);
  }

  void released(const std::string& name, bool lost) {
    Entry e;
    {
      std::lock_guard lock(mu);
      auto it = pipelines.find(name);
      if (it == pipelines.end() || !it->second.supervisor) return;
      e = it->second;
      it->second.supervisor = nullptr;
    }
    if (lost) kill(e);
    else drain(e);
    e.board->set_state(State::Unassigned);
    e.board->set_placement(placement->group(), false);
  }
};

Worker::Worker(WorkerConfig config, std::shared_ptr<Metrics> metrics)
    : config_(std::move(config)),
      metrics_(metrics ? std::move(metrics) : std::make_shared<Metrics>()),
      impl_(std::make_unique<Impl>(config_)) {}

Worker::~Worker() { stop(); }

void Worker::set_placement(std::shared_ptr<Placement> placement) {
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->pipelines.empty()) throw std::logic_error("set_placement after pipelines were added");
    impl_->placement = placement;
  }
  Placement::Events events;
  events.acquired = [this](const std::string& name) { impl_->acquired(name, metrics_); };
  events.released = [this](const std::string& name, bool lost) { impl_->released(name, lost); };
  events.reassigned = [this](const std::string& name, const std::set<connectors::PartitionId>& owned, bool lost) {
    impl_->reassigned(name, owned, lost, metrics_);
  };
  placement->start(std::move(events));
}

void Worker::add(PipelineGraph graph) {
  validate_graph(graph);
  // Before the lock: a broker round trip (creates the exchange topic, so
  // that the group shares out all of its partitions from the start). A
  // source topic's count is read when the first shard starts.
  int shard_count = 0;
  if (graph.sharding && graph.sharding->key_group_ranges && impl_->placement) {
    try {
      shard_count = graph.sharding->partitions();
    } catch (const std::exception& e) {
      log::warn(graph.name, std::string("exchange topic '") + graph.sharding->topic + "' not ready (" + e.what() +
                                "); its partition count is read when the first shard starts");
    }
  }
  Entry e;
  e.info.name = graph.name;
  e.info.definition = graph.definition;
  for (const auto& n : graph.nodes) e.info.nodes.push_back({n.name, n.kind, n.parallelism, n.inputs, n.topic});
  e.drain_timeout = graph.runtime.drain_timeout;
  e.board = std::make_shared<StatusBoard>(graph);
  std::lock_guard lock(impl_->mu);
  if (impl_->stopped) throw std::runtime_error("the worker is stopping");
  if (impl_->pipelines.count(graph.name)) throw PipelineExists("pipeline '" + graph.name + "' already exists");
  const std::string name = graph.name;
  metrics_->show_pipeline(name);  // a pipeline deleted before under this name
  if (!impl_->placement) {
    e.supervisor = spawn_supervisor(impl_->system, std::move(graph), metrics_, e.board);
    impl_->pipelines.emplace(name, std::move(e));
    return;
  }
  const std::vector<std::string> split = graph.splittable_topics;
  // A split pipeline keeps no checkpoint record: several workers would
  // overwrite each other's. Its sources' committed offsets are its durable
  // position, and it has no state besides. A sharded keyed part keeps one
  // per shard instead.
  if (!split.empty() && !graph.sharding) graph.storage.reset();
  if (graph.sharding) e.shard_count = static_cast<uint32_t>(shard_count);
  e.graph = std::make_shared<const PipelineGraph>(std::move(graph));
  e.board->set_placement(impl_->placement->group(), false);
  impl_->pipelines.emplace(name, std::move(e));
  // Under the lock is safe: add only changes the subscription; the
  // placement's callbacks take the lock on their own thread.
  impl_->placement->add(name, split);
}

bool Worker::remove(const std::string& name) {
  std::optional<Entry> e;
  {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->pipelines.find(name);
    if (it == impl_->pipelines.end()) return false;
    e = std::move(it->second);
    impl_->pipelines.erase(it);
  }
  impl_->drain(*e);
  // Drained first: the lease is given up only after the final checkpoint.
  if (impl_->placement) impl_->placement->remove(name);
  metrics_->hide_pipeline(name);
  return true;
}

namespace {
template <class Atom>
bool send_control(const std::optional<Entry>& e, Atom atom) {
  if (!e) return false;
  // Standing by: the worker that runs it is the one to ask.
  if (e->supervisor) caf::anon_send(e->supervisor, atom);
  for (const auto& [_, shard] : e->shards) caf::anon_send(shard.supervisor, atom);
  return true;
}
}  // namespace

bool Worker::pause(const std::string& name) { return send_control(impl_->find(name), msg::pause_atom::value); }
bool Worker::resume(const std::string& name) { return send_control(impl_->find(name), msg::resume_atom::value); }
bool Worker::restart(const std::string& name) { return send_control(impl_->find(name), msg::reset_atom::value); }

bool Worker::set_definition_status(const std::string& name, const std::string& file, const std::string& problem) {
  auto e = impl_->find(name);
  if (!e) return false;
  e->board->set_definition(file, problem);
  return true;
}

std::vector<std::string> Worker::names() const {
  std::lock_guard lock(impl_->mu);
  std::vector<std::string> out;
  for (const auto& [n, _] : impl_->pipelines) out.push_back(n);
  return out;
}

std::optional<PipelineStatus> Worker::status(const std::string& name) const {
  auto e = impl_->find(name);
  if (!e) return std::nullopt;
  return impl_->status_of(*e);
}

std::optional<PipelineInfo> Worker::info(const std::string& name) const {
  auto e = impl_->find(name);
  if (!e) return std::nullopt;
  return e->info;
}

bool Worker::ready() const {
  std::lock_guard lock(impl_->mu);
  for (const auto& [_, e] : impl_->pipelines) {
    const auto s = impl_->status_of(e);
    if (s.state == State::Paused) continue;
    if (s.placement && !s.placement->runs_here) continue;  // another worker of the group runs it
    if (s.state != State::Running || !s.sources_connected) return false;
  }
  return true;
}

bool Worker::stop_within(Millis bound) {
  auto stopped = std::make_shared<std::promise<void>>();
  std::future<void> done = stopped->get_future();
  std::thread([this, stopped] {
    stop();
    stopped->set_value();
  }).detach();
  return done.wait_for(bound) == std::future_status::ready;
}

void Worker::stop() {
  std::map<std::string, Entry> all;
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopped) return;
    impl_->stopped = true;
    all.swap(impl_->pipelines);
  }
  // Drain in parallel: each pipeline (each shard) flushes and commits on its own.
  std::vector<std::thread> drains;
  for (auto& entry : all) drains.emplace_back([this, e = &entry.second] { impl_->drain(*e); });
  for (auto& t : drains) t.join();
  // Only now: the next owners resume from the final checkpoints just made.
  if (impl_->placement) impl_->placement->leave();
  all.clear();
  impl_->system.await_all_actors_done();
}

}  // namespace ananas::rt
