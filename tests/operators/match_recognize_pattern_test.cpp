#include <catch2/catch.hpp>

#include "operators/match_recognize/pattern.hpp"

using namespace ananas;
using namespace ananas::ops::mr;

namespace {
const SourceLocation kBase{"q.sql", 3, 12};

std::string error_of(const std::string& text) {
  try {
    parse_pattern(text, kBase);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("match_recognize pattern: seed patterns and every quantifier", "[match_recognize]") {
  Pattern a = parse_pattern("START_ROW NR_UP+ NR_DOWN{2}", kBase);
  REQUIRE(a.variables.size() == 3);
  CHECK(a.variables[0].quantifier == Quantifier{1, 1, false});
  CHECK(a.variables[1].quantifier == Quantifier{1, kUnbounded, false});
  CHECK(a.variables[1].quantifier.greedy());
  CHECK(a.variables[2].quantifier == Quantifier{2, 2, false});
  CHECK_FALSE(a.variables[2].quantifier.greedy());
  CHECK(a.variables[1].loc == SourceLocation{"q.sql", 3, 22});

  Pattern q = parse_pattern("A* B+? C? D{2,} E{1,3}? F{,4} G{3}", kBase);
  REQUIRE(q.variables.size() == 7);
  CHECK(q.variables[0].quantifier == Quantifier{0, kUnbounded, false});
  CHECK(q.variables[1].quantifier == Quantifier{1, kUnbounded, true});
  CHECK(q.variables[2].quantifier == Quantifier{0, 1, false});
  CHECK_FALSE(q.variables[2].quantifier.greedy());
  CHECK(q.variables[3].quantifier == Quantifier{2, kUnbounded, false});
  CHECK(q.variables[4].quantifier == Quantifier{1, 3, true});
  CHECK(q.variables[5].quantifier == Quantifier{0, 4, false});
  CHECK(q.variables[6].quantifier == Quantifier{3, 3, false});
  CHECK(parse_pattern("(A B)", kBase).variables.size() == 2);
  CHECK(parse_pattern("`my var` B", kBase).variables[0].name == "my var");
}

TEST_CASE("match_recognize pattern: Flink's rejections with locations", "[match_recognize]") {
  const std::string greedy_last =
      "Greedy quantifiers are not allowed as the last element of a Pattern yet. Finish your pattern with either a "
      "simple variable or reluctant quantifier.";
  CHECK(error_of("A B+") == "q.sql:3:14: " + greedy_last);
  CHECK(error_of("A B*") == "q.sql:3:14: " + greedy_last);
  CHECK(error_of("A B{2,}") == "q.sql:3:14: " + greedy_last);
  CHECK(error_of("A B{1,3}") == "q.sql:3:14: " + greedy_last);
  CHECK(error_of("A B+?") == "no error");
  CHECK(error_of("A B?") == "no error");
  CHECK(error_of("A B??") == "q.sql:3:14: Reluctant optional variables are not supported yet.");
  CHECK(error_of("A B{0,1}?") == "q.sql:3:14: Reluctant optional variables are not supported yet.");
  CHECK(error_of("A*?") ==
        "q.sql:3:12: Patterns that can produce empty matches are not supported. There must be at least one non-optional state.");
  CHECK(error_of("A? B*?") ==
        "q.sql:3:12: Patterns that can produce empty matches are not supported. There must be at least one non-optional state.");
  CHECK(error_of("(A | B) C") ==
        "q.sql:3:13: Expression not supported: A | B. Currently, CEP doesn't support branching patterns.");
  CHECK(error_of("PERMUTE(A, B) C") ==
        "q.sql:3:12: Expression not supported: PERMUTE(A, B). Currently, CEP doesn't support PERMUTE patterns.");
  CHECK(error_of("A {- B -} C") ==
        "q.sql:3:14: Expression not supported: {- B -}. Currently, CEP doesn't support '{-' '-}' patterns.");
  CHECK(error_of("A (B C)+ D") ==
        "q.sql:3:14: Expression not supported: (B C)+. Group patterns are not supported yet.");
  CHECK(error_of("A B A") == "q.sql:3:16: Pattern variables must be unique. That might change in the future.");
  CHECK(error_of("A B{3,1}") == "q.sql:3:15: Upper bound of the quantifier must not be less than its lower bound.");
  CHECK(error_of("A (B") == "q.sql:3:14: Missing ')' in PATTERN.");
  CHECK(error_of("") == "q.sql:3:12: PATTERN must name at least one pattern variable.");
  CHECK(error_of("A\n  B B") == "q.sql:4:5: Pattern variables must be unique. That might change in the future.");
  CHECK(error_of("A ; B") == "q.sql:3:14: Unexpected ';' in PATTERN.");
}
