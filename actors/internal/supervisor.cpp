#include "actors/internal/supervisor.hpp"
#include "core/log.hpp"

#include <iostream>
#include <map>
#include <set>

#include "actors/internal/state_actor.hpp"
#include "actors/internal/wiring.hpp"
#include "actors/restart_strategy.hpp"
#include "dataflow/topology.hpp"
#include "operators/checkpoint_store.hpp"
#include "state/state_compatibility.hpp"
#include "state/state_topics.hpp"

namespace ananas::rt {
namespace {

// Building the pipeline failed, how, and at which node ("(pipeline)" if none).
struct StartError : std::runtime_error {
  StartError(FailureKind k, std::string at, const std::string& what)
      : std::runtime_error(what), kind(k), node(std::move(at)) {}
  FailureKind kind;
  std::string node;
};

struct Child {
  caf::strong_actor_ptr handle;  // a source_actor, operator_actor or sink_actor
  size_t node = 0;
};

struct Checkpoint {
  CheckpointId id{0};
  bool final = false;  // the drain checkpoint: stop after it
  Clock::time_point started{};
  Generation generation{0};                                          // of the actors that took it
  // Source node -> position: the positions its instances reported, joined
  // (each names only the partitions its instance reads).
  std::map<NodeId, std::string> positions;
  size_t position_reports = 0;  // source instances that reported
  std::shared_ptr<ops::CheckpointStore> snapshots = std::make_shared<ops::CheckpointStore>();  // by operator and key group
  std::set<std::pair<NodeId, InstanceId>> flushed;                  // sink instances done
};

struct supervisor_state {
  PipelineGraph graph;
  std::optional<dataflow::Topology> topology;  // order, consumers, input numbering
  std::shared_ptr<Metrics> metrics;
  std::shared_ptr<StatusBoard> board;
  std::unique_ptr<RestartStrategy> strategy;
  std::vector<Child> children;
  std::map<caf::actor_addr, size_t> child_of;  // current generation only
  std::vector<source_actor> sources;
  std::vector<NodeId> source_nodes;
  Generation generation{0};  // bumped on teardown: stale timers and stale children are ignored
  uint64_t next_checkpoint = 1;
  std::optional<Checkpoint> pending;     // barriers out, waiting for every position, snapshot and flush
  std::optional<Checkpoint> persisting;  // complete, being made durable
  Checkpoint completed;  // id 0: none yet, start from the startup modes
  std::optional<state_actor> storage;    // durable checkpoints; none: in memory only
  bool loaded = false;                   // the durable checkpoint was read (or there is none)
  bool finished = false;                 // drained and quitting
  size_t expected_snapshots = 0;
  size_t expected_flushes = 0;
  State state = State::Unassigned;
  bool paused = false;
  bool draining = false;
  size_t commits_outstanding = 0;

  ~supervisor_state() {
    for (auto& c : children) caf::anon_send_exit(caf::actor_cast<caf::actor>(c.handle), caf::exit_reason::kill);
    if (storage) caf::anon_send_exit(*storage, caf::exit_reason::user_shutdown);
  }
  static inline const char* name = "ananas.supervisor";
};

using supervisor_self = supervisor_actor::stateful_pointer<supervisor_state>;

void set_state(supervisor_self self, State s) {
  self->state.state = s;
  self->state.board->set_state(s);
  self->state.metrics->set_pipeline_state(self->state.graph.name, state_name(s));
}

void teardown(supervisor_self self) {
  auto& st = self->state;
  st.generation = Generation{st.generation.value() + 1};
  for (auto& c : st.children) self->send_exit(caf::actor_cast<caf::actor>(c.handle), caf::exit_reason::kill);
  st.children.clear();
  st.child_of.clear();
  st.sources.clear();
  st.pending.reset();
}

// Spawns sinks first (reverse topological order) so each upstream actor is
// given its downstream handles; the consumers of a node and the input
// numbers its instances arrive at come from the topology.
void spawn_all(supervisor_self self) {
  auto& st = self->state;
  const auto& nodes = st.graph.nodes;
  const auto& topo = *st.topology;
  std::vector<std::vector<consumer_actor>> handles(nodes.size());
  st.sources.clear();
  st.source_nodes.clear();
  st.expected_snapshots = 0;
  st.expected_flushes = 0;

  for (auto it = topo.order().rbegin(); it != topo.order().rend(); ++it) {
    const size_t n = *it;
    const auto& spec = nodes[n];
    auto ctx = std::make_shared<NodeContext>(
        NodeContext{st.graph.name, spec.name, spec.topic, NodeId{static_cast<uint32_t>(n)}, st.graph.runtime, st.metrics, st.board});
    std::shared_ptr<SourceShared> source_shared;  // one per source node and run, for its instances
    for (int inst = 0; inst < spec.parallelism; ++inst) {
      Wiring w;
      w.instance = InstanceId{static_cast<uint32_t>(inst)};
      w.inputs = topo.input_count(n);
      w.input_slots = topo.input_slots(n);
      w.supervisor = caf::actor_cast<supervisor_actor>(self);
      for (const auto& edge : topo.consumers(n)) {
        OutputGroup g;
        g.key_columns = nodes[edge.consumer].key_columns;
        for (const auto& consumer : handles[edge.consumer]) {
          g.channels.push_back(static_cast<uint32_t>(w.channels.size()));
          w.channels.push_back(consumer);
          w.channel_input.push_back(InputId{static_cast<uint32_t>(topo.input_index(edge, static_cast<size_t>(inst)))});
        }
        w.groups.push_back(std::move(g));
      }
      caf::strong_actor_ptr a;
      switch (spec.kind) {
        case NodeKind::Source: {
          auto it_pos = st.completed.positions.find(ctx->node_id);
          std::optional<std::string> pos;
          if (it_pos != st.completed.positions.end()) pos = it_pos->second;
          auto driver = spec.make_source();
          if (!driver) throw StartError(FailureKind::StartFailed, "(pipeline)", "source factory returned nothing");
          driver->set_instance(inst, spec.parallelism, source_shared);
          if (st.graph.owned_partitions) driver->set_owned_partitions(st.graph.owned_partitions);
          auto src = spawn_source(self, ctx, std::move(w), std::move(driver), std::move(pos), st.paused);
          a = caf::actor_cast<caf::strong_actor_ptr>(src);
          st.sources.push_back(std::move(src));
          st.source_nodes.push_back(ctx->node_id);
          break;
        }
        case NodeKind::Operator: {
          auto op = spec.make_operator();
          if (!op) throw StartError(FailureKind::StartFailed, "(pipeline)", "operator factory returned nothing");
          if (!spec.key_columns.empty()) op->set_partition_key(spec.key_columns);
          try {
            st.completed.snapshots->restore(spec.name, *op, static_cast<uint32_t>(inst),
                                           static_cast<uint32_t>(spec.parallelism));
          } catch (const std::exception& e) {
            throw StartError(FailureKind::RestoreFailed, spec.name, std::string("cannot restore: ") + e.what());
          }
          auto oa = spawn_operator(self, ctx, std::move(w), std::move(op));
          a = caf::actor_cast<caf::strong_actor_ptr>(oa);
          handles[n].push_back(std::move(oa));
          ++st.expected_snapshots;
          break;
        }
        case NodeKind::Sink: {
          auto driver = spec.make_sink();
          if (!driver) throw StartError(FailureKind::StartFailed, "(pipeline)", "sink factory returned nothing");
          if (st.graph.owned_partitions) driver->set_owned_partitions(st.graph.owned_partitions);
          auto sa = spawn_sink(self, ctx, std::move(w), std::move(driver));
          a = caf::actor_cast<caf::strong_actor_ptr>(sa);
          handles[n].push_back(std::move(sa));
          ++st.expected_flushes;
          break;
        }
      }
      st.child_of[a->address()] = st.children.size();
      st.children.push_back({std::move(a), n});
    }
  }
}

void schedule_tick(supervisor_self self) {
  auto& st = self->state;
  if (st.graph.runtime.checkpoint_interval.count() > 0)
    self->delayed_send(self, st.graph.runtime.checkpoint_interval, msg::tick_atom::value, st.generation);
}

void fail(supervisor_self self, const std::string& node, FailureKind kind, const std::string& trace);
void finish_drain(supervisor_self self);

void start(supervisor_self self) {
  try {
    spawn_all(self);
  } catch (const StartError& e) {
    // A factory or a restore failed: the same budget as a running failure.
    fail(self, e.node, e.kind, std::string("cannot start: ") + e.what());
    return;
  } catch (const std::exception& e) {
    fail(self, "(pipeline)", FailureKind::StartFailed, std::string("cannot start: ") + e.what());
    return;
  }
  set_state(self, self->state.paused ? State::Paused : State::Running);
  schedule_tick(self);
}

// Resumes from the checkpoint read back from durable storage (or starts
// fresh when there is none). A checkpoint the pipeline as defined now cannot
// use fails it for good: restarting cannot help, only `ananas reset`.
void adopt(supervisor_self self, RestoredPtr restored) {
  auto& st = self->state;
  st.loaded = true;
  if (!restored) {
    log::info(st.graph.name, "no checkpoint stored, starting from the sources' startup modes");
    start(self);
    return;
  }
  const state::CheckpointRecord& r = restored->record;
  std::optional<std::string> why;
  try {
    why = state::incompatibility(r, state_layouts(st.graph));
  } catch (const std::exception& e) {
    fail(self, "(pipeline)", FailureKind::StartFailed, std::string("cannot start: ") + e.what());
    return;
  }
  if (why) {
    st.board->record_failure("(pipeline)", FailureKind::StateIncompatible, *why);
    st.metrics->failures(st.graph.name, "(pipeline)", failure_kind_name(FailureKind::StateIncompatible)).Increment();
    log::error(st.graph.name, *why);
    set_state(self, State::Failed);
    return;
  }
  Checkpoint c;
  c.id = CheckpointId{r.id};
  for (size_t i = 0; i < st.graph.nodes.size(); ++i) {
    const auto& n = st.graph.nodes[i];
    if (n.kind != NodeKind::Source) continue;
    if (auto pos = r.positions.find(n.name); pos != r.positions.end())
      c.positions[NodeId{static_cast<uint32_t>(i)}] = pos->second;
  }
  c.snapshots = std::make_shared<ops::CheckpointStore>(std::move(restored->state));
  st.completed = std::move(c);
  st.next_checkpoint = r.id + 1;
  st.board->set_restored_from(r.id);
  log::info(st.graph.name, log::cat("resuming from checkpoint ", r.id, " (", r.operators.size(),
                                    " stateful operator(s), ", r.state_bytes,
                                    " bytes of state); sources continue from its offsets"));
  start(self);
}

bool exactly_once(const supervisor_state& st) { return st.graph.storage && st.graph.storage->transaction; }

// Starts the pipeline; the first time, after reading its durable checkpoint;
// exactly-once, in a fresh transaction (what the last attempt wrote is aborted).
void load_or_start(supervisor_self self) {
  auto& st = self->state;
  const Generation gen = st.generation;
  if (st.storage && st.loaded && exactly_once(st)) {
    self->request(*st.storage, caf::infinite, msg::begin_atom::value)
        .then(
            [self, gen](caf::ok_atom) {
              if (gen == self->state.generation && !self->state.draining) start(self);
            },
            [self, gen](caf::error& e) {
              if (gen != self->state.generation) return;
              if (self->state.draining) return finish_drain(self);
              const Failure f = read_failure(e, self->system());
              fail(self, "(pipeline)", f.kind, "cannot begin a transaction: " + f.message);
            });
    return;
  }
  if (!st.storage || st.loaded) {
    start(self);
    return;
  }
  self->request(*st.storage, caf::infinite, msg::load_atom::value)
      .then(
          [self, gen](RestoredPtr& restored) {
            if (gen == self->state.generation && !self->state.draining) adopt(self, std::move(restored));
          },
          [self, gen](caf::error& e) {
            if (gen != self->state.generation) return;
            if (self->state.draining) return finish_drain(self);
            const Failure f = read_failure(e, self->system());
            fail(self, "(pipeline)", f.kind == FailureKind::Fenced ? f.kind : FailureKind::RestoreFailed,
                 "cannot read the last checkpoint: " + f.message);
          });
}

void fail(supervisor_self self, const std::string& node, FailureKind kind, const std::string& trace) {
  auto& st = self->state;
  teardown(self);
  st.board->record_failure(node, kind, trace);
  st.metrics->failures(st.graph.name, node, failure_kind_name(kind)).Increment();
  log::error(st.graph.name, log::cat(node, " failed (", failure_kind_name(kind), "): ", trace));
  if (st.draining) {
    self->quit();
    return;
  }
  if (kind == FailureKind::Fenced) {
    // Restarting would fence the instance that took over, which would fence this one again.
    set_state(self, State::Failed);
    return;
  }
  auto delay = st.strategy->on_failure(Clock::now());
  if (!delay) {
    set_state(self, State::Failed);
    return;
  }
  st.metrics->actor_restarts(st.graph.name, node).Increment();
  st.board->record_restart();
  set_state(self, State::Restarting);
  self->delayed_send(self, *delay, msg::restart_atom::value, st.generation);
}

void trigger_checkpoint(supervisor_self self, bool final) {
  auto& st = self->state;
  Checkpoint c;
  c.id = CheckpointId{st.next_checkpoint++};
  c.final = final;
  c.started = Clock::now();
  c.generation = st.generation;
  st.pending = std::move(c);
  for (auto& s : st.sources) {
    if (final)
      self->send(s, msg::drain_atom::value, st.pending->id);
    else
      self->send(s, msg::ckpt_atom::value, st.pending->id);
  }
}

void finish_drain(supervisor_self self) {
  if (self->state.finished) return;
  self->state.finished = true;
  teardown(self);
  self->state.board->set_state(State::Unassigned);
  self->state.metrics->set_pipeline_state(self->state.graph.name, state_name(State::Unassigned));
  self->quit();
}

void maybe_complete(supervisor_self self);

// The checkpoint is durable (or, without storage, complete): it is what a
// restart resumes from; the sources may now commit its offsets to their groups.
void completed(supervisor_self self, Checkpoint c, const state::PersistStats& stats) {
  auto& st = self->state;
  const auto duration = std::chrono::duration_cast<Millis>(Clock::now() - c.started);
  const bool final = c.final;
  const bool current = c.generation == st.generation;
  if (c.id.value() > st.completed.id.value()) st.completed = std::move(c);
  st.board->record_checkpoint(st.completed.id.value(), duration.count(), stats.written_bytes, stats.state_bytes);
  st.metrics->checkpoint_completed(st.graph.name, std::chrono::duration<double>(duration).count(), stats.written_bytes,
                                   stats.state_bytes);
  if (!current) {
    // Taken by actors that have been torn down since: nothing to commit through.
    if (final) finish_drain(self);
    return;
  }
  // Exactly-once sinks release what they held since the barrier, into the next transaction.
  for (const auto& child : st.children)
    if (st.graph.nodes[child.node].kind == NodeKind::Sink)
      self->send(caf::actor_cast<sink_actor>(child.handle), msg::committed_atom::value, st.completed.id);
  st.commits_outstanding = st.sources.size();
  if (final && st.sources.empty()) return finish_drain(self);
  for (size_t i = 0; i < st.sources.size(); ++i) {
    auto pos = st.completed.positions.find(st.source_nodes[i]);
    const Generation gen = st.generation;
    auto done = [self, gen, final] {
      if (final && gen == self->state.generation && --self->state.commits_outstanding == 0) finish_drain(self);
    };
    if (pos == st.completed.positions.end()) {
      done();
      continue;
    }
    self->request(st.sources[i], st.graph.runtime.drain_timeout, msg::commit_atom::value, pos->second, final)
        .then([done](caf::ok_atom) { done(); },
              // A failed commit is retried by the next checkpoint; on drain we stop anyway.
              [done](caf::error&) { done(); });
  }
}

void checkpoint_failed(supervisor_self self, const Checkpoint& c, const std::string& message) {
  auto& st = self->state;
  st.board->record_checkpoint_failure(message);
  st.metrics->checkpoint_failed(st.graph.name);
  st.metrics->failures(st.graph.name, "(pipeline)", failure_kind_name(FailureKind::CheckpointFailed)).Increment();
  log::warn(st.graph.name, log::cat("checkpoint ", c.id.value(), " failed: ", message,
                                    c.final ? " (stopping anyway: the offsets were not committed)" : " (the next one retries)"));
  if (c.final) return finish_drain(self);
  // Exactly-once: the checkpoint's output was in the transaction that failed;
  // only a restart from the last durable checkpoint writes it again.
  if (exactly_once(st) && c.generation == st.generation)
    fail(self, "(pipeline)", FailureKind::CheckpointFailed, "checkpoint " + std::to_string(c.id.value()) +
                                                                " was not committed: " + message);
}

// A durable write ended: a final checkpoint may have been waiting for it, or
// a stop whose actors are gone already.
void after_persist(supervisor_self self) {
  auto& st = self->state;
  if (st.draining && st.children.empty() && !st.pending) finish_drain(self);
  else maybe_complete(self);
}

// Every position, snapshot and flush of the pending checkpoint is in: make it durable.
void maybe_complete(supervisor_self self) {
  auto& st = self->state;
  if (!st.pending || st.persisting) return;
  auto& c = *st.pending;
  if (c.position_reports < st.sources.size() || c.snapshots->size() < st.expected_snapshots ||
      c.flushed.size() < st.expected_flushes)
    return;
  st.persisting = std::move(*st.pending);
  st.pending.reset();
  if (!st.storage) {
    Checkpoint done = std::move(*st.persisting);
    st.persisting.reset();
    completed(self, std::move(done), state::PersistStats{});
    return;
  }
  auto data = std::make_shared<DurableCheckpoint>();
  data->id = st.persisting->id.value();
  for (const auto& [node, pos] : st.persisting->positions) data->positions[st.graph.nodes.at(node.value()).name] = pos;
  data->state = st.persisting->snapshots;
  self->request(*st.storage, caf::infinite, msg::persist_atom::value, DurableCheckpointPtr(std::move(data)))
      .then(
          [self](state::PersistStats& stats) {
            Checkpoint done = std::move(*self->state.persisting);
            self->state.persisting.reset();
            completed(self, std::move(done), stats);
            after_persist(self);
          },
          [self](caf::error& e) {
            Checkpoint failed = std::move(*self->state.persisting);
            self->state.persisting.reset();
            const Failure f = read_failure(e, self->system());
            if (f.kind == FailureKind::Fenced && failed.generation == self->state.generation)
              return fail(self, "(pipeline)", FailureKind::Fenced, f.message);
            checkpoint_failed(self, failed, f.message);
            after_persist(self);
          });
}

supervisor_actor::behavior_type supervisor_behavior(supervisor_self self, PipelineGraph graph, std::shared_ptr<Metrics> metrics,
                                  std::shared_ptr<StatusBoard> board) {
  auto& st = self->state;
  st.topology.emplace(graph_topology(graph));
  st.strategy = std::make_unique<RestartStrategy>(graph.restart);
  st.graph = std::move(graph);
  st.metrics = std::move(metrics);
  st.board = std::move(board);
  // Known label sets start at 0, so dashboards see the series before the first event.
  for (const auto& n : st.graph.nodes) st.metrics->actor_restarts(st.graph.name, n.name);
  if (st.graph.storage) {
    st.board->set_checkpoint_storage("kafka", state::checkpoints_topic(st.graph.name));
    st.storage = spawn_state_actor(self->system(), *st.graph.storage);
  }
  // A bug in the supervisor itself must not go unnoticed: report FAILED.
  self->set_exception_handler([self](std::exception_ptr& ep) -> caf::error {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    self->state.board->record_failure("(supervisor)", FailureKind::SupervisorFailed, what);
    self->state.metrics->failures(self->state.graph.name, "(supervisor)",
                                  failure_kind_name(FailureKind::SupervisorFailed)).Increment();
    self->state.board->set_state(State::Failed);
    self->state.metrics->set_pipeline_state(self->state.graph.name, state_name(State::Failed));
    return make_error(FailureKind::SupervisorFailed, what);
  });
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    auto it = st.child_of.find(dm.source);
    if (it == st.child_of.end()) return;  // an actor of an earlier generation
    const auto node = st.graph.nodes[st.children[it->second].node].name;
    const Failure f = read_failure(dm.reason, self->system());
    fail(self, node, f.kind, f.message);
  });
  load_or_start(self);
  return {
      [self](msg::tick_atom, Generation gen) {
        auto& st = self->state;
        if (gen != st.generation || st.draining) return;
        if (!st.pending && !st.persisting && (st.state == State::Running || st.state == State::Paused))
          trigger_checkpoint(self, false);
        schedule_tick(self);
      },
      [self](msg::position_atom, NodeId node, CheckpointId id, std::string& pos) {
        auto& st = self->state;
        if (!st.pending || st.pending->id != id) return;
        st.pending->positions[node] += pos;
        ++st.pending->position_reports;
        maybe_complete(self);
      },
      [self](msg::snapshot_atom, NodeId node, InstanceId inst, CheckpointId id, std::string& snap) {
        auto& st = self->state;
        if (!st.pending || st.pending->id != id) return;
        const auto& spec = st.graph.nodes.at(node.value());
        st.pending->snapshots->add(spec.name, inst.value(), static_cast<uint32_t>(spec.parallelism), snap);
        maybe_complete(self);
      },
      [self](msg::flushed_atom, NodeId node, InstanceId inst, CheckpointId id) {
        auto& st = self->state;
        if (!st.pending || st.pending->id != id) return;
        st.pending->flushed.insert({node, inst});
        maybe_complete(self);
      },
      [self](msg::restart_atom, Generation gen) {
        if (gen == self->state.generation && !self->state.draining) load_or_start(self);
      },
      [self](msg::reset_atom) {
        auto& st = self->state;
        if (st.draining) return;
        teardown(self);
        st.strategy = std::make_unique<RestartStrategy>(st.graph.restart);
        load_or_start(self);
      },
      [self](msg::pause_atom) {
        auto& st = self->state;
        st.paused = true;
        for (auto& s : st.sources) self->send(s, msg::pause_atom::value);
        if (st.state == State::Running) set_state(self, State::Paused);
      },
      [self](msg::resume_atom) {
        auto& st = self->state;
        st.paused = false;
        for (auto& s : st.sources) self->send(s, msg::resume_atom::value);
        if (st.state == State::Paused) set_state(self, State::Running);
      },
      [self](msg::drain_atom) {
        auto& st = self->state;
        if (st.draining) return;
        st.draining = true;
        if (st.children.empty()) {
          // FAILED, RESTARTING or still loading: nothing to flush; wait for a durable write in flight.
          if (!st.persisting) finish_drain(self);
          return;
        }
        trigger_checkpoint(self, true);  // replaces a pending periodic one: its barriers come first
        self->delayed_send(self, st.graph.runtime.drain_timeout, msg::deadline_atom::value);
      },
      [self](msg::deadline_atom) {
        auto& st = self->state;
        st.board->record_failure("(pipeline)", FailureKind::CheckpointTimeout,
                                 "the final checkpoint did not complete in time");
        st.metrics->failures(st.graph.name, "(pipeline)", failure_kind_name(FailureKind::CheckpointTimeout)).Increment();
        log::warn(st.graph.name, "stop timed out, offsets of the unfinished checkpoint were not committed");
        finish_drain(self);
      },
  };
}

}  // namespace

supervisor_actor spawn_supervisor(caf::actor_system& sys, PipelineGraph graph, std::shared_ptr<Metrics> metrics,
                            std::shared_ptr<StatusBoard> board) {
  return sys.spawn(supervisor_behavior, std::move(graph), std::move(metrics), std::move(board));
}

}  // namespace ananas::rt
