#pragma once
// What a DEFINE condition or a MEASURES expression sees of a (partial) match.
// The engine passes it through `expr::EvalContext::navigation`; navigation
// expressions (V.col, LAST, FIRST, PREV, aggregates) read their row lists from
// it. The lists follow Flink: MatchCodeGenerator (DEFINE running, MEASURES final):
// the candidate row is appended only to the list of the variable being
// defined and to the universal list.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/value.hpp"

namespace ananas::ops::mr {

inline constexpr int kUniversal = -1;  // the universal variable (an unqualified column)

struct MatchContext {
  std::span<const Value* const> rows;  // rows of the match so far, in match order
  std::span<const uint16_t> vars;      // pattern variable of each row
  const Value* candidate = nullptr;    // DEFINE: the row being tested; MEASURES: null
  int defining = kUniversal;           // DEFINE: the variable whose condition runs; MEASURES: kUniversal

  bool includes_candidate(int var) const { return candidate != nullptr && (var == kUniversal || var == defining); }

  size_t list_size(int var) const {
    size_t n = 0;
    if (var == kUniversal) {
      n = rows.size();
    } else {
      for (uint16_t v : vars) n += v == var;
    }
    return n + (includes_candidate(var) ? 1 : 0);
  }

  // Element `k` (0 = first) of `var`'s list, or null when out of range.
  const Value* list_at(int var, size_t k) const {
    size_t seen = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (var != kUniversal && vars[i] != var) continue;
      if (seen++ == k) return rows[i];
    }
    if (includes_candidate(var) && seen == k) return candidate;
    return nullptr;
  }

  // Element `n` counted from the end (0 = last), or null.
  const Value* list_from_end(int var, size_t n) const {
    size_t size = list_size(var);
    return n < size ? list_at(var, size - 1 - n) : nullptr;
  }
};

}  // namespace ananas::ops::mr
