#pragma once
// The matching engine of MATCH_RECOGNIZE: Flink CEP's NFA semantics (Flink: NFA, NFACompiler, aftermatch skip strategies)
// for a flat pattern of quantified variables, run one partition at a time.
//
// A pattern variable with quantifier {min,max} is a "stage". A partial match
// (PM) sits at (stage, count): `count` rows taken at `stage` (a PM that has
// taken `max` rows at a stage sits at (stage+1, 0), which is where Flink's
// NFA puts it too). Because contiguity is strict, a match is a gap-free run of
// the partition's rows, so a PM stores its first row's sequence number and the
// variable of each row; the rows themselves live in the caller's RowSource.
//
// Flink's greedy rule (NFACompiler.updateWithGreedyCondition) conjoins
// NOT cond(previous greedy variable) onto every edge of the state that follows
// a greedy loop; `guard_of` reproduces which of our (stage, count) states
// carry that conjunct.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/arena.hpp"
#include "core/expr/compiled_expr.hpp"
#include "core/row_codec.hpp"
#include "operators/match_recognize/match_context.hpp"
#include "operators/match_recognize/pattern.hpp"

namespace ananas::ops::mr {

enum class SkipKind { PastLastRow, ToNextRow, ToFirst, ToLast };

struct SkipStrategy {
  SkipKind kind = SkipKind::ToNextRow;  // Calcite's default when AFTER MATCH is omitted
  std::string variable;                 // ToFirst / ToLast
};

// A failure Flink raises at run time (the job fails), e.g. an impossible
// AFTER MATCH SKIP TO FIRST/LAST.
struct MatchRuntimeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PartialMatch {
  uint32_t stage = 0;
  int64_t count = 0;
  uint64_t first_seq = 0;   // sequence number of the first row (partition processing order)
  int64_t start_time = 0;   // event time of the first row (WITHIN)
  std::vector<uint16_t> vars;  // variable of rows first_seq, first_seq+1, ...

  uint64_t last_seq() const { return first_seq + vars.size() - 1; }
  bool operator==(const PartialMatch&) const = default;
};

// The matching state of one partition. The permanent empty start PM is
// implicit (it never blocks emission and is never pruned).
struct NfaState {
  std::vector<PartialMatch> partial;    // live PMs, each with at least one row
  std::vector<PartialMatch> completed;  // matches waiting for older PMs, ordered by first_seq (stable)

  bool empty() const { return partial.empty() && completed.empty(); }
  // The oldest row any PM or queued match still refers to, if any.
  std::optional<uint64_t> oldest_seq() const;
  size_t entries() const { return partial.size() + completed.size(); }

  void save(StateWriter& w) const;
  static NfaState load(StateReader& r, size_t num_variables);
};

// Gives the engine the cells of a partition's row by sequence number.
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual const Value* row(uint64_t seq) const = 0;
};

class MatchEngine {
 public:
  // `conditions[i]` is variable i's DEFINE (a BOOLEAN expression evaluated on
  // the candidate row with a MatchContext as navigation), null = always TRUE
  // (Flink docs, Pattern Recognition > Define & Measures). Throws std::invalid_argument for a skip variable that is not in
  // the pattern (the operator reports that to the user with its location).
  MatchEngine(Pattern pattern, std::vector<expr::CompiledExprPtr> conditions, SkipStrategy skip,
              std::optional<int64_t> within_millis);

  // Applies WITHIN for event time `time`, then offers the row `seq` (which must
  // follow the previously offered row of this partition) to every PM and the
  // start PM. Matches that may be emitted (Flink: NFA.processMatchesAccordingToSkipStrategy) are appended to `emitted`.
  void process(NfaState& state, const RowSource& rows, uint64_t seq, int64_t time,
               std::vector<PartialMatch>& emitted) const;

  // Discards PMs older than WITHIN at `time` (Flink docs, Pattern Recognition > Time constraint) and emits the queued
  // matches they were holding back.
  void advance_time(NfaState& state, int64_t time, std::vector<PartialMatch>& emitted) const;

  const Pattern& pattern() const { return pattern_; }

 private:
  struct Step;
  int guard_of(uint32_t stage, int64_t count) const;
  void emit_ready(NfaState& state, std::vector<PartialMatch> potential, std::vector<PartialMatch>& emitted) const;
  void prune(std::vector<PartialMatch>& list, const PartialMatch& match) const;
  uint64_t pruning_seq(const PartialMatch& match, bool& strictly_before) const;

  Pattern pattern_;
  std::vector<expr::CompiledExprPtr> conditions_;
  SkipStrategy skip_;
  int skip_variable_ = -1;
  std::optional<int64_t> within_;
};

}  // namespace ananas::ops::mr
