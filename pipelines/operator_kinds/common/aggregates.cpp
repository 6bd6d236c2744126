#include "pipelines/operator_kinds/common/aggregates.hpp"

#include <algorithm>
#include <set>

#include "core/sql/expr_columns.hpp"
#include "core/sql/expr_parser.hpp"
#include "pipelines/operator_kinds/common/binding.hpp"
#include "pipelines/yaml/load_parts.hpp"

namespace ananas::pipeline {

namespace yaml {

namespace {

std::vector<Aggregate> read_aggregates(const NodeReader& list) {
  list.expect_list();
  std::vector<Aggregate> out;
  for (size_t i = 0; i < list.node().size(); ++i) {
    const NodeReader item = list.item(i, item_label(list.node()[i]));
    MapReader m(item.source(), item.node(), item.path());
    m.allow_only({"name", "function", "args", "distinct", "filter"});
    Aggregate a;
    a.location = m.location();
    a.name = m.require("name").as_identifier();
    a.function = m.require("function").as_identifier();
    if (auto args = m.optional("args")) {
      args->expect_list();
      for (size_t k = 0; k < args->node().size(); ++k) a.args.push_back(args->item(k).as_expr());
    }
    if (auto distinct = m.optional("distinct")) a.distinct = distinct->as_bool();
    if (auto filter = m.optional("filter")) a.filter = filter->as_expr();
    for (const auto& earlier : out)
      if (earlier.name == a.name) item.fail("duplicate aggregate name '" + a.name + "'");
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

void read_keys_and_aggregates(const MapReader& m, std::vector<std::string>& keys, std::vector<Aggregate>& aggregates) {
  if (auto k = m.optional("keys")) keys = k->as_identifier_list();
  if (auto a = m.optional("aggregates")) aggregates = read_aggregates(*a);
}

void write_keys_and_aggregates(Writer& w, int indent, const std::vector<std::string>& keys,
                               const std::vector<Aggregate>& aggregates) {
  if (!keys.empty()) w.raw(indent, "keys", flow_list(keys));
  if (aggregates.empty()) return;
  w.key(indent, "aggregates");
  for (const auto& a : aggregates) {
    Flow f;
    f.add("name", a.name).add("function", a.function);
    if (!a.args.empty()) {
      std::vector<std::string> args;
      for (const auto& e : a.args) args.push_back(e.text);
      f.add_raw("args", flow_list(args));
    }
    if (a.distinct) f.add_raw("distinct", "true");
    if (a.filter) f.add("filter", a.filter->text);
    w.item(indent + 2, f.str());
  }
}

}  // namespace yaml

ops::AggregateCall aggregate_call(const Aggregate& a, const Schema& input) {
  ops::AggregateCall call;
  call.name = a.name;
  call.distinct = a.distinct;
  std::string f = a.function;
  std::transform(f.begin(), f.end(), f.begin(), [](unsigned char c) { return std::toupper(c); });
  if (f == "COUNT") call.kind = a.args.empty() ? ops::AggregateKind::CountStar : ops::AggregateKind::Count;
  else if (f == "SUM") call.kind = ops::AggregateKind::Sum;
  else if (f == "MIN") call.kind = ops::AggregateKind::Min;
  else if (f == "MAX") call.kind = ops::AggregateKind::Max;
  else if (f == "AVG") call.kind = ops::AggregateKind::Avg;
  else if (f == "LISTAGG") call.kind = ops::AggregateKind::ListAgg;
  else if (f == "VAR_POP") call.kind = ops::AggregateKind::VarPop;
  else if (f == "VAR_SAMP" || f == "VARIANCE") call.kind = ops::AggregateKind::VarSamp;
  else if (f == "STDDEV_POP") call.kind = ops::AggregateKind::StddevPop;
  else if (f == "STDDEV_SAMP" || f == "STDDEV") call.kind = ops::AggregateKind::StddevSamp;
  else {
    std::string hint = closest_match(f, {"COUNT", "SUM", "MIN", "MAX", "AVG", "LISTAGG", "VAR_POP", "VAR_SAMP", "STDDEV_POP", "STDDEV_SAMP"});
    throw InputError(a.location, "unknown aggregate function '" + a.function + "'" + (hint.empty() ? "" : " (did you mean " + hint + "?)"));
  }
  for (const auto& arg : a.args) call.args.push_back(compile(arg, input));
  if (a.filter) call.filter = compile(*a.filter, input);
  try {
    ops::aggregate_result_type(call);  // rejects e.g. SUM over a string
  } catch (const std::exception& e) {
    throw InputError(a.location, e.what());
  }
  return call;
}

void bind_grouping(const Schema& input, const std::vector<std::string>& keys, const std::vector<Aggregate>& aggregates,
                   const SourceLocation& where, std::vector<ops::NamedExpr>& key_exprs,
                   std::vector<ops::AggregateCall>& calls, std::vector<size_t>& key_columns) {
  for (const auto& k : keys) key_exprs.push_back(column_expr(input, k, where, "group key"));
  for (const auto& a : aggregates) calls.push_back(aggregate_call(a, input));
  for (const auto& k : keys) key_columns.push_back(*input.find(k));
}

std::optional<std::vector<size_t>> grouping_columns_read(const Schema& input, const std::vector<std::string>& keys,
                                                         const std::vector<Aggregate>& aggregates,
                                                         const std::vector<std::string>& extra) {
  std::set<std::string> names(keys.begin(), keys.end());
  names.insert(extra.begin(), extra.end());
  auto add = [&](const Expr& e) {
    try {
      auto read = sql::columns_read(*sql::parse_expression(e.text));
      if (!read) return false;
      names.insert(read->begin(), read->end());
      return true;
    } catch (const std::exception&) {  // bind() reports it; here: assume any column
      return false;
    }
  };
  for (const Aggregate& a : aggregates) {
    for (const Expr& arg : a.args)
      if (!add(arg)) return std::nullopt;
    if (a.filter && !add(*a.filter)) return std::nullopt;
  }
  std::vector<size_t> out;
  for (const std::string& name : names) {
    auto i = input.find(name);
    if (!i) return std::nullopt;  // not a plain column: be safe
    out.push_back(*i);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace ananas::pipeline
