#pragma once
// The model's match_recognize operator -> the operator's configuration: column
// indexes, the skip strategy, and DEFINE/MEASURES bound with MATCH_RECOGNIZE's
// navigation semantics.
#include "operators/match_recognize/match_recognize_operator.hpp"
#include "pipelines/model.hpp"

namespace ananas::pipeline {

ops::MatchRecognizeConfig match_recognize_config(const MatchRecognize& m, const Schema& input, const SourceLocation& where);

// The ORDER BY rule of MATCH_RECOGNIZE (ops::validate_match_order_by) applied
// to the model: the SQL planner calls it where it plans the clause, the
// operator applies the same rule when it is built.
void check_match_order_by(const MatchRecognize& m, const Schema& input, const SourceLocation& where);

}  // namespace ananas::pipeline
