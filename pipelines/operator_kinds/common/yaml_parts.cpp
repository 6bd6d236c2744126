#include "pipelines/operator_kinds/common/yaml_parts.hpp"

#include "pipelines/yaml/load_parts.hpp"

namespace ananas::pipeline::yaml {

std::vector<NamedExpr> read_named_exprs(const NodeReader& list) {
  list.expect_list();
  std::vector<NamedExpr> out;
  for (size_t i = 0; i < list.node().size(); ++i) {
    const NodeReader item = list.item(i, item_label(list.node()[i]));
    MapReader m(item.source(), item.node(), item.path());
    m.allow_only({"name", "expr"});
    NamedExpr e;
    e.location = m.location();
    e.name = m.require("name").as_identifier();
    e.expr = m.require("expr").as_expr();
    for (const auto& earlier : out)
      if (earlier.name == e.name) item.fail("duplicate name '" + e.name + "'");
    out.push_back(std::move(e));
  }
  return out;
}

void write_named_exprs(Writer& w, int indent, std::string_view key, const std::vector<NamedExpr>& items) {
  w.key(indent, key);
  for (const auto& e : items) w.item(indent + 2, Flow().add("name", e.name).add("expr", e.expr.text).str());
}

Duration positive_duration(const NodeReader& node) {
  Duration d = node.as_duration();
  if (d.millis <= 0) node.fail("duration must be positive, got '" + d.text + "'");
  return d;
}

}  // namespace ananas::pipeline::yaml
