#include "operators/match_recognize/nfa.hpp"

#include <algorithm>

namespace ananas::ops::mr {

std::optional<uint64_t> NfaState::oldest_seq() const {
  std::optional<uint64_t> oldest;
  for (const auto* list : {&partial, &completed})
    for (const auto& pm : *list)
      if (!oldest || pm.first_seq < *oldest) oldest = pm.first_seq;
  return oldest;
}

static void save_matches(StateWriter& w, const std::vector<PartialMatch>& list) {
  w.u64(list.size());
  for (const auto& pm : list) {
    w.u64(pm.stage);
    w.i64(pm.count);
    w.u64(pm.first_seq);
    w.i64(pm.start_time);
    w.u64(pm.vars.size());
    for (uint16_t v : pm.vars) w.u64(v);
  }
}

static std::vector<PartialMatch> load_matches(StateReader& r, size_t num_variables) {
  std::vector<PartialMatch> list(r.u64());
  for (auto& pm : list) {
    pm.stage = static_cast<uint32_t>(r.u64());
    pm.count = r.i64();
    pm.first_seq = r.u64();
    pm.start_time = r.i64();
    uint64_t n = r.u64();
    if (pm.stage > num_variables || n == 0 || n > (uint64_t{1} << 32)) throw CorruptState("MATCH_RECOGNIZE: corrupt partial match");
    pm.vars.resize(n);
    for (auto& v : pm.vars) {
      uint64_t var = r.u64();
      if (var >= num_variables) throw CorruptState("MATCH_RECOGNIZE: corrupt partial match variable");
      v = static_cast<uint16_t>(var);
    }
  }
  return list;
}

void NfaState::save(StateWriter& w) const {
  save_matches(w, partial);
  save_matches(w, completed);
}

NfaState NfaState::load(StateReader& r, size_t num_variables) {
  NfaState s;
  s.partial = load_matches(r, num_variables);
  s.completed = load_matches(r, num_variables);
  return s;
}

MatchEngine::MatchEngine(Pattern pattern, std::vector<expr::CompiledExprPtr> conditions, SkipStrategy skip,
                         std::optional<int64_t> within_millis)
    : pattern_(std::move(pattern)), conditions_(std::move(conditions)), skip_(std::move(skip)), within_(within_millis) {
  if (pattern_.variables.empty()) throw std::invalid_argument("MATCH_RECOGNIZE pattern without variables");
  if (pattern_.variables.size() > 65535) throw std::invalid_argument("MATCH_RECOGNIZE pattern has too many variables");
  conditions_.resize(pattern_.variables.size());
  if (skip_.kind == SkipKind::ToFirst || skip_.kind == SkipKind::ToLast) {
    skip_variable_ = pattern_.index_of(skip_.variable);
    if (skip_variable_ < 0) throw std::invalid_argument("AFTER MATCH SKIP TO unknown variable " + skip_.variable);
  }
}

int MatchEngine::guard_of(uint32_t stage, int64_t count) const {
  if (stage == 0 || !pattern_.variables[stage - 1].quantifier.greedy()) return -1;
  const Quantifier& q = pattern_.variables[stage].quantifier;
  // The first state of the following variable carries the conjunct; for `V*`
  // that state is V's only (looping) state, so every V row carries it.
  bool star = q.min == 0 && q.unbounded();
  return count == 0 || star ? static_cast<int>(stage - 1) : -1;
}

// Everything one PM needs while it consumes one row: the candidate, the PM's
// rows as a MatchContext, and where its successors go.
struct MatchEngine::Step {
  const MatchEngine& engine;
  const PartialMatch& pm;
  bool is_start;
  const Value* candidate;
  uint64_t seq;
  int64_t time;
  std::vector<const Value*> rows;
  Arena& scratch;
  std::vector<PartialMatch>& next_partial;
  std::vector<PartialMatch>& potential;

  size_t last_stage() const { return engine.pattern_.variables.size() - 1; }
  const Quantifier& q(uint32_t stage) const { return engine.pattern_.variables[stage].quantifier; }

  // DEFINE of `var` for the candidate, in this PM's context (Flink: MatchCodeGenerator.generateDefinePatternVariableExp).
  bool accepts(int var) const {
    const auto& cond = engine.conditions_[static_cast<size_t>(var)];
    if (!cond) return true;
    MatchContext mc{rows, pm.vars, candidate, var};
    expr::EvalContext ctx;
    ctx.arena = &scratch;
    ctx.navigation = &mc;
    return expr::is_true(cond->eval(candidate, ctx));
  }

  bool guard_holds(uint32_t stage, int64_t count) const {
    int g = engine.guard_of(stage, count);
    return g < 0 || !accepts(g);
  }

  bool has_proceed(uint32_t stage, int64_t count) const { return count >= q(stage).min; }

  // This PM with the candidate mapped to `var`, now sitting at (stage, count).
  PartialMatch extended(uint32_t var, uint32_t stage, int64_t count) const {
    PartialMatch next;
    next.stage = stage;
    next.count = count;
    next.first_seq = is_start ? seq : pm.first_seq;
    next.start_time = is_start ? time : pm.start_time;
    next.vars = pm.vars;
    next.vars.push_back(static_cast<uint16_t>(var));
    return next;
  }

  // NFA.findFinalStateAfterProceed: after a take, can the new state reach the
  // end through proceed edges alone (conditions tested on the same row)?
  bool final_after_proceed(uint32_t stage, int64_t count) const {
    while (has_proceed(stage, count) && guard_holds(stage, count)) {
      if (stage == last_stage()) return true;
      ++stage;
      count = 0;
    }
    return false;
  }

  // Follows the edges of state (stage, count): take first, then proceed
  // (the order of Flink's decision graph).
  void walk(uint32_t stage, int64_t count) {
    const bool guard_ok = guard_holds(stage, count);
    if (!guard_ok) return;  // every edge of this state carries the guard
    const Quantifier& quant = q(stage);
    if ((quant.unbounded() || count < quant.max) && accepts(static_cast<int>(stage))) {
      int64_t taken = count + 1;
      if (!quant.unbounded() && taken == quant.max) {
        if (stage == last_stage()) {
          potential.push_back(extended(stage, stage, taken));
        } else {
          next_partial.push_back(extended(stage, stage + 1, 0));
          if (final_after_proceed(stage + 1, 0)) potential.push_back(extended(stage, stage, taken));
        }
      } else {
        next_partial.push_back(extended(stage, stage, taken));
        if (final_after_proceed(stage, taken)) potential.push_back(extended(stage, stage, taken));
      }
    }
    if (has_proceed(stage, count)) {
      if (stage == last_stage()) {
        if (!is_start) potential.push_back(pm);  // completes without the candidate
      } else {
        walk(stage + 1, 0);
      }
    }
  }
};

void MatchEngine::process(NfaState& state, const RowSource& source, uint64_t seq, int64_t time,
                          std::vector<PartialMatch>& emitted) const {
  advance_time(state, time, emitted);
  const Value* candidate = source.row(seq);
  Arena scratch(256);
  std::vector<PartialMatch> next_partial, potential;
  auto run = [&](const PartialMatch& pm, bool is_start) {
    Step step{*this, pm, is_start, candidate, seq, time, {}, scratch, next_partial, potential};
    step.rows.reserve(pm.vars.size());
    for (size_t i = 0; i < pm.vars.size(); ++i) step.rows.push_back(source.row(pm.first_seq + i));
    step.walk(pm.stage, pm.count);
  };
  for (const auto& pm : state.partial) run(pm, false);
  run(PartialMatch{}, true);
  state.partial = std::move(next_partial);
  emit_ready(state, std::move(potential), emitted);
}

void MatchEngine::advance_time(NfaState& state, int64_t time, std::vector<PartialMatch>& emitted) const {
  if (!within_) return;
  const int64_t within = *within_;
  auto timed_out = [&](const PartialMatch& pm) {
    // time - start >= within, written so that it cannot overflow
    return pm.start_time <= time && static_cast<uint64_t>(time) - static_cast<uint64_t>(pm.start_time) >= static_cast<uint64_t>(within);
  };
  size_t before = state.partial.size();
  std::erase_if(state.partial, timed_out);
  if (state.partial.size() != before) emit_ready(state, {}, emitted);
}

void MatchEngine::emit_ready(NfaState& state, std::vector<PartialMatch> potential, std::vector<PartialMatch>& emitted) const {
  for (auto& m : potential) {
    auto at = std::upper_bound(state.completed.begin(), state.completed.end(), m.first_seq,
                               [](uint64_t s, const PartialMatch& c) { return s < c.first_seq; });
    state.completed.insert(at, std::move(m));
  }
  while (!state.completed.empty()) {
    const uint64_t start = state.completed.front().first_seq;
    bool older_alive = std::any_of(state.partial.begin(), state.partial.end(),
                                   [&](const PartialMatch& pm) { return pm.first_seq < start; });
    if (older_alive) break;
    PartialMatch match = std::move(state.completed.front());
    state.completed.erase(state.completed.begin());
    prune(state.partial, match);
    prune(state.completed, match);
    emitted.push_back(std::move(match));
  }
}

uint64_t MatchEngine::pruning_seq(const PartialMatch& match, bool& strictly_before) const {
  strictly_before = false;
  switch (skip_.kind) {
    case SkipKind::PastLastRow: return match.last_seq();
    case SkipKind::ToNextRow: return match.first_seq;
    case SkipKind::ToFirst:
    case SkipKind::ToLast: break;
  }
  strictly_before = true;
  std::optional<uint64_t> target;
  for (size_t i = 0; i < match.vars.size(); ++i) {
    if (match.vars[i] != skip_variable_) continue;
    if (!target || skip_.kind == SkipKind::ToLast) target = match.first_seq + i;
  }
  if (!target) {
    std::string rows;
    for (size_t i = 0; i < match.vars.size(); ++i)
      rows += (i ? ", " : "") + pattern_.variables[match.vars[i]].name;
    throw MatchRuntimeError("Could not skip to " + skip_.variable + ". No such element in the found match [" + rows + "]");
  }
  if (*target == match.first_seq) throw MatchRuntimeError("Could not skip to first element of a match.");
  return *target;
}

void MatchEngine::prune(std::vector<PartialMatch>& list, const PartialMatch& match) const {
  bool strictly_before = false;
  uint64_t pivot = pruning_seq(match, strictly_before);
  std::erase_if(list, [&](const PartialMatch& pm) { return strictly_before ? pm.first_seq < pivot : pm.first_seq <= pivot; });
}

}  // namespace ananas::ops::mr
