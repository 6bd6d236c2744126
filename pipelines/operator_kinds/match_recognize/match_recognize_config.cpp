#include "pipelines/operator_kinds/match_recognize/match_recognize_config.hpp"

#include "pipelines/operator_kinds/common/binding.hpp"
#include "pipelines/operator_kinds/match_recognize/match_scope.hpp"

namespace ananas::pipeline {

namespace {

std::vector<ops::MatchOrderKey> order_keys(const MatchRecognize& m, const Schema& input, const SourceLocation& where) {
  std::vector<ops::MatchOrderKey> keys;
  for (const auto& o : m.order_by)
    keys.push_back({column_index(input, o.column, o.location.line ? o.location : where, "ORDER BY column"), o.descending, o.location});
  return keys;
}

SourceLocation order_by_location(const MatchRecognize& m, const SourceLocation& where) {
  return m.order_by.empty() ? where : m.order_by.front().location;
}

}  // namespace

ops::MatchRecognizeConfig match_recognize_config(const MatchRecognize& m, const Schema& input, const SourceLocation& where) {
  ops::MatchRecognizeConfig cfg;
  cfg.input = input;
  for (const auto& p : m.partition_by) cfg.partition_by.push_back(column_index(input, p, where, "PARTITION BY column"));
  cfg.order_by = order_keys(m, input, where);
  cfg.order_by_loc = order_by_location(m, where);
  cfg.pattern_text = m.pattern.text;
  cfg.pattern_loc = m.pattern.location;
  switch (m.after_match.skip) {
    case AfterMatchSkip::PastLastRow: cfg.skip.kind = ops::mr::SkipKind::PastLastRow; break;
    case AfterMatchSkip::ToNextRow: cfg.skip.kind = ops::mr::SkipKind::ToNextRow; break;
    case AfterMatchSkip::ToFirst: cfg.skip.kind = ops::mr::SkipKind::ToFirst; break;
    case AfterMatchSkip::ToLast: cfg.skip.kind = ops::mr::SkipKind::ToLast; break;
  }
  cfg.skip.variable = m.after_match.variable.value_or("");
  cfg.skip_loc = where;
  if (m.within) cfg.within_millis = m.within->millis;
  bind_match_expressions(m, cfg);
  return cfg;
}

void check_match_order_by(const MatchRecognize& m, const Schema& input, const SourceLocation& where) {
  ops::validate_match_order_by(input, order_keys(m, input, where), order_by_location(m, where));
}

}  // namespace ananas::pipeline
