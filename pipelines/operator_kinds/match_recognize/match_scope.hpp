#pragma once
// Binding MATCH_RECOGNIZE's DEFINE and MEASURES (Flink docs, Queries > Pattern Recognition > Define & Measures, Pattern Navigation, Aggregations):
// `V.col` is the last row mapped to V (the candidate itself while V's own
// condition runs), an unqualified `col` the current row (DEFINE) or the last
// row of the match (MEASURES), LAST/FIRST/PREV navigate with offsets, and
// aggregates run over one variable's rows or over all rows of the match.
#include "operators/match_recognize/match_recognize_operator.hpp"
#include "pipelines/model.hpp"

namespace ananas::pipeline {

// Fills cfg.defines and cfg.measures from the model, bound against cfg.input.
void bind_match_expressions(const MatchRecognize& m, ops::MatchRecognizeConfig& cfg);

}  // namespace ananas::pipeline
