#include "pipelines/graph/match_recognize_config.hpp"

#include "pipelines/graph/match_scope.hpp"

namespace ananas::pipeline {

static size_t column_of(const Schema& input, const std::string& name, const SourceLocation& loc, const char* what) {
  if (auto i = input.find(name)) return *i;
  std::string hint = closest_match(name, input.names());
  throw InputError(loc, std::string(what) + " '" + name + "' is not a column of the input " + input.to_string() +
                            (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

ops::MatchRecognizeConfig match_recognize_config(const MatchRecognize& m, const Schema& input, const SourceLocation& where) {
  ops::MatchRecognizeConfig cfg;
  cfg.input = input;
  for (const auto& p : m.partition_by) cfg.partition_by.push_back(column_of(input, p, where, "PARTITION BY column"));
  for (const auto& o : m.order_by) cfg.order_by.push_back({column_of(input, o.column, o.location.line ? o.location : where, "ORDER BY column"), o.descending, o.location});
  cfg.order_by_loc = m.order_by.empty() ? where : m.order_by.front().location;
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

}  // namespace ananas::pipeline
