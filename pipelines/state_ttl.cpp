#include "pipelines/state_ttl.hpp"

#include "core/timefmt.hpp"
#include "pipelines/operator_kinds/registry.hpp"

namespace ananas::pipeline {

namespace {

const Option* state_ttl_option(const Pipeline& p) {
  for (const auto& o : p.settings)
    if (o.key == "state_ttl") return &o;
  return nullptr;
}

}  // namespace

int64_t state_ttl_ms(const Pipeline& p) {
  const Option* o = state_ttl_option(p);
  return o ? parse_duration_millis(o->value).value_or(0) : 0;
}

std::optional<Warning> state_ttl_not_applied(const Pipeline& p) {
  const Option* o = state_ttl_option(p);
  if (!o || state_ttl_ms(p) <= 0) return std::nullopt;
  std::string names;
  for (const auto& op : p.operators) {
    const OperatorKind& kind = kind_of(op);
    if (!kind.ignores_state_ttl(op.body)) continue;
    names += (names.empty() ? "" : ", ") + op.name + " (" + std::string(kind.name()) + ")";
  }
  if (names.empty()) return std::nullopt;
  return Warning{o->location, "state_ttl '" + o->value + "' is applied only by group_aggregate and the regular join; these operators of pipeline '" +
                                  p.name + "' keep their state until it is deleted, where Flink would expire it: " + names};
}

}  // namespace ananas::pipeline
