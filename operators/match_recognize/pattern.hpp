#pragma once
// The PATTERN clause of MATCH_RECOGNIZE: the raw text the SQL parser hands over
// becomes a flat sequence of pattern variables with quantifiers, which is the
// only shape Flink's CEP translation accepts (Flink: StreamExecMatch). Everything else
// that SQL allows (alternation, groups, PERMUTE, exclusion, anchors) is parsed
// only to be rejected with Flink's message at the place it was written.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"

namespace ananas::ops::mr {

inline constexpr int64_t kUnbounded = -1;

struct Quantifier {
  int64_t min = 1;
  int64_t max = 1;  // kUnbounded for * + {n,}
  bool reluctant = false;

  bool unbounded() const { return max == kUnbounded; }
  // Flink marks a quantifier greedy unless it is reluctant, an exact count
  // ({n}, {n,n}) or the plain optional `?` / `{0,1}` (Flink: StreamExecMatch.applyQuantifier).
  bool greedy() const { return !reluctant && min != max && !(min == 0 && max == 1); }
  bool operator==(const Quantifier&) const = default;
};

struct PatternVariable {
  std::string name;
  Quantifier quantifier;
  SourceLocation loc;
};

struct Pattern {
  std::vector<PatternVariable> variables;  // in pattern order, names unique
  // Index of `name`, or -1.
  int index_of(std::string_view name) const;
};

// Parses and validates PATTERN text. `base` is the location of the text's
// first character; error locations point inside the text. Throws InputError.
Pattern parse_pattern(std::string_view text, const SourceLocation& base);

}  // namespace ananas::ops::mr
