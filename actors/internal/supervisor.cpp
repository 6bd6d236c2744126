#include "actors/internal/supervisor.hpp"

#include <iostream>
#include <map>
#include <set>

#include "actors/internal/wiring.hpp"
#include "actors/restart_strategy.hpp"
#include "operators/checkpoint_store.hpp"

namespace ananas::rt {
namespace {

struct Child {
  caf::actor handle;
  size_t node = 0;
};

struct Checkpoint {
  uint64_t id = 0;
  bool final = false;  // the drain checkpoint: stop after it
  std::map<size_t, std::string> positions;                          // source node -> position
  ops::CheckpointStore snapshots;                                    // by operator node name and key group
  std::set<std::pair<size_t, uint32_t>> flushed;                    // sink instances done
};

struct supervisor_state {
  PipelineGraph graph;
  std::vector<size_t> topo;
  std::shared_ptr<Metrics> metrics;
  std::shared_ptr<StatusBoard> board;
  std::unique_ptr<RestartStrategy> strategy;
  std::vector<Child> children;
  std::map<caf::actor_addr, size_t> child_of;  // current generation only
  std::vector<caf::actor> sources;
  std::vector<size_t> source_nodes;
  uint64_t generation = 0;  // bumped on teardown: stale timers and stale children are ignored
  uint64_t next_checkpoint = 1;
  std::optional<Checkpoint> pending;
  Checkpoint completed;  // id 0: none yet, start from committed offsets
  size_t expected_snapshots = 0;
  size_t expected_flushes = 0;
  State state = State::Unassigned;
  bool paused = false;
  bool draining = false;
  size_t commits_outstanding = 0;

  ~supervisor_state() {
    for (auto& c : children) caf::anon_send_exit(c.handle, caf::exit_reason::kill);
  }
  static inline const char* name = "ananas.supervisor";
};

using supervisor_actor = caf::stateful_actor<supervisor_state>;

void set_state(supervisor_actor* self, State s) {
  self->state.state = s;
  self->state.board->set_state(s);
}

void teardown(supervisor_actor* self) {
  auto& st = self->state;
  ++st.generation;
  for (auto& c : st.children) self->send_exit(c.handle, caf::exit_reason::kill);
  st.children.clear();
  st.child_of.clear();
  st.sources.clear();
  st.pending.reset();
}

// Spawns sinks first so each upstream actor is given its downstream handles.
void spawn_all(supervisor_actor* self) {
  auto& st = self->state;
  const auto& nodes = st.graph.nodes;
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < nodes.size(); ++i) index[nodes[i].name] = i;
  std::vector<std::vector<size_t>> consumers(nodes.size());
  for (size_t c = 0; c < nodes.size(); ++c)
    for (const auto& in : nodes[c].inputs) consumers[index[in]].push_back(c);
  // Input index of (upstream node, instance 0) at consumer c.
  auto input_offset = [&](size_t c, size_t upstream) {
    size_t off = 0;
    for (const auto& in : nodes[c].inputs) {
      if (index[in] == upstream) return off;
      off += static_cast<size_t>(nodes[index[in]].parallelism);
    }
    return off;
  };
  std::vector<std::vector<caf::actor>> handles(nodes.size());
  st.sources.clear();
  st.source_nodes.clear();
  st.expected_snapshots = 0;
  st.expected_flushes = 0;

  for (auto it = st.topo.rbegin(); it != st.topo.rend(); ++it) {
    const size_t n = *it;
    const auto& spec = nodes[n];
    auto ctx = std::make_shared<NodeContext>(
        NodeContext{st.graph.name, spec.name, spec.topic, static_cast<uint32_t>(n), st.graph.runtime, st.metrics, st.board});
    size_t inputs = 0;
    for (const auto& in : spec.inputs) inputs += static_cast<size_t>(nodes[index[in]].parallelism);
    for (int inst = 0; inst < spec.parallelism; ++inst) {
      Wiring w;
      w.instance = static_cast<uint32_t>(inst);
      w.inputs = inputs;
      w.supervisor = caf::actor_cast<caf::actor>(self);
      for (size_t c : consumers[n]) {
        OutputGroup g;
        g.key_columns = nodes[c].key_columns;
        for (size_t k = 0; k < handles[c].size(); ++k) {
          g.channels.push_back(static_cast<uint32_t>(w.channels.size()));
          w.channels.push_back(handles[c][k]);
          w.channel_input.push_back(static_cast<uint32_t>(input_offset(c, n) + static_cast<size_t>(inst)));
        }
        w.groups.push_back(std::move(g));
      }
      caf::actor a;
      switch (spec.kind) {
        case NodeKind::Source: {
          auto it_pos = st.completed.positions.find(n);
          std::optional<std::string> pos;
          if (it_pos != st.completed.positions.end()) pos = it_pos->second;
          a = spawn_source(self, ctx, std::move(w), spec.make_source(), std::move(pos), st.paused);
          st.sources.push_back(a);
          st.source_nodes.push_back(n);
          break;
        }
        case NodeKind::Operator: {
          auto op = spec.make_operator();
          if (!op) throw std::runtime_error("operator factory returned nothing");
          if (!spec.key_columns.empty()) op->set_partition_key(spec.key_columns);
          st.completed.snapshots.restore(spec.name, *op, static_cast<uint32_t>(inst),
                                         static_cast<uint32_t>(spec.parallelism));
          a = spawn_operator(self, ctx, std::move(w), std::move(op));
          ++st.expected_snapshots;
          break;
        }
        case NodeKind::Sink: {
          auto driver = spec.make_sink();
          if (!driver) throw std::runtime_error("sink factory returned nothing");
          a = spawn_sink(self, ctx, std::move(w), std::move(driver));
          ++st.expected_flushes;
          break;
        }
      }
      handles[n].push_back(a);
      st.child_of[a.address()] = st.children.size();
      st.children.push_back({a, n});
    }
  }
}

void schedule_tick(supervisor_actor* self) {
  auto& st = self->state;
  if (st.graph.runtime.checkpoint_interval.count() > 0)
    self->delayed_send(self, st.graph.runtime.checkpoint_interval, msg::tick_atom::value, st.generation);
}

void fail(supervisor_actor* self, const std::string& node, const std::string& trace);

void start(supervisor_actor* self) {
  try {
    spawn_all(self);
  } catch (const std::exception& e) {
    // A factory or a restore failed: the same budget as a running failure.
    fail(self, "(pipeline)", std::string("cannot start: ") + e.what());
    return;
  }
  set_state(self, self->state.paused ? State::Paused : State::Running);
  schedule_tick(self);
}

void fail(supervisor_actor* self, const std::string& node, const std::string& trace) {
  auto& st = self->state;
  teardown(self);
  st.board->record_failure(node, trace);
  std::cerr << "pipeline '" << st.graph.name << "': " << node << " failed: " << trace << "\n";
  if (st.draining) {
    self->quit();
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

void trigger_checkpoint(supervisor_actor* self, bool final) {
  auto& st = self->state;
  Checkpoint c;
  c.id = st.next_checkpoint++;
  c.final = final;
  st.pending = std::move(c);
  for (auto& s : st.sources) {
    if (final)
      self->send(s, msg::drain_atom::value, st.pending->id);
    else
      self->send(s, msg::ckpt_atom::value, st.pending->id);
  }
}

void finish_drain(supervisor_actor* self) {
  teardown(self);
  self->state.board->set_state(State::Unassigned);
  self->quit();
}

void maybe_complete(supervisor_actor* self) {
  auto& st = self->state;
  if (!st.pending) return;
  auto& c = *st.pending;
  if (c.positions.size() < st.sources.size() || c.snapshots.size() < st.expected_snapshots ||
      c.flushed.size() < st.expected_flushes)
    return;
  st.completed = std::move(c);
  st.pending.reset();
  st.board->set_checkpoint(st.completed.id);
  const bool final = st.completed.final;
  // Every sink has flushed everything before the barrier: the offsets are safe to commit.
  st.commits_outstanding = st.sources.size();
  for (size_t i = 0; i < st.sources.size(); ++i) {
    auto pos = st.completed.positions.find(st.source_nodes[i]);
    if (pos == st.completed.positions.end()) continue;
    const uint64_t gen = st.generation;
    self->request(st.sources[i], st.graph.runtime.drain_timeout, msg::commit_atom::value, pos->second)
        .then(
            [self, gen, final](caf::ok_atom) {
              if (final && gen == self->state.generation && --self->state.commits_outstanding == 0)
                finish_drain(self);
            },
            [self, gen, final](caf::error&) {
              // A failed commit is retried by the next checkpoint; on drain we stop anyway.
              if (final && gen == self->state.generation && --self->state.commits_outstanding == 0)
                finish_drain(self);
            });
  }
}

caf::behavior supervisor_behavior(supervisor_actor* self, PipelineGraph graph, std::shared_ptr<Metrics> metrics,
                                  std::shared_ptr<StatusBoard> board) {
  auto& st = self->state;
  st.topo = validate_graph(graph);
  st.strategy = std::make_unique<RestartStrategy>(graph.restart);
  st.graph = std::move(graph);
  st.metrics = std::move(metrics);
  st.board = std::move(board);
  // Known label sets start at 0, so dashboards see the series before the first event.
  for (const auto& n : st.graph.nodes) st.metrics->actor_restarts(st.graph.name, n.name);
  // A bug in the supervisor itself must not go unnoticed: report FAILED.
  self->set_exception_handler([self](std::exception_ptr& ep) -> caf::error {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    self->state.board->record_failure("(supervisor)", what);
    self->state.board->set_state(State::Failed);
    return caf::make_error(caf::sec::runtime_error, what);
  });
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    auto it = st.child_of.find(dm.source);
    if (it == st.child_of.end()) return;  // an actor of an earlier generation
    const auto node = st.graph.nodes[st.children[it->second].node].name;
    fail(self, node, dm.reason ? self->system().render(dm.reason) : "exited unexpectedly");
  });
  start(self);
  return {
      [self](msg::tick_atom, uint64_t gen) {
        auto& st = self->state;
        if (gen != st.generation || st.draining) return;
        if (!st.pending && (st.state == State::Running || st.state == State::Paused)) trigger_checkpoint(self, false);
        schedule_tick(self);
      },
      [self](msg::position_atom, uint32_t node, uint64_t id, std::string& pos) {
        auto& st = self->state;
        if (!st.pending || st.pending->id != id) return;
        st.pending->positions[node] = std::move(pos);
        maybe_complete(self);
      },
      [self](msg::snapshot_atom, uint32_t node, uint32_t inst, uint64_t id, std::string& snap) {
        auto& st = self->state;
        if (!st.pending || st.pending->id != id) return;
        const auto& spec = st.graph.nodes.at(node);
        st.pending->snapshots.add(spec.name, inst, static_cast<uint32_t>(spec.parallelism), snap);
        maybe_complete(self);
      },
      [self](msg::flushed_atom, uint32_t node, uint32_t inst, uint64_t id) {
        auto& st = self->state;
        if (!st.pending || st.pending->id != id) return;
        st.pending->flushed.insert({node, inst});
        maybe_complete(self);
      },
      [self](msg::restart_atom, uint64_t gen) {
        if (gen == self->state.generation && !self->state.draining) start(self);
      },
      [self](msg::reset_atom) {
        auto& st = self->state;
        if (st.draining) return;
        teardown(self);
        st.strategy = std::make_unique<RestartStrategy>(st.graph.restart);
        start(self);
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
        if (st.children.empty()) return finish_drain(self);  // FAILED or RESTARTING: nothing to flush
        trigger_checkpoint(self, true);  // replaces a pending periodic one: its barriers come first
        self->delayed_send(self, st.graph.runtime.drain_timeout, msg::deadline_atom::value);
      },
      [self](msg::deadline_atom) {
        std::cerr << "pipeline '" << self->state.graph.name << "': stop timed out, offsets of the unfinished "
                  << "checkpoint were not committed\n";
        finish_drain(self);
      },
  };
}

}  // namespace

caf::actor spawn_supervisor(caf::actor_system& sys, PipelineGraph graph, std::shared_ptr<Metrics> metrics,
                            std::shared_ptr<StatusBoard> board) {
  return sys.spawn(supervisor_behavior, std::move(graph), std::move(metrics), std::move(board));
}

}  // namespace ananas::rt
