#include "pipelines/graph/columns_needed.hpp"

#include <map>
#include <string>

#include "pipelines/graph/json_format_options.hpp"
#include "pipelines/operator_kinds/common/expr_columns_needed.hpp"
#include "pipelines/operator_kinds/registry.hpp"

namespace ananas::pipeline {

namespace {

void mark_all(std::vector<bool>& flags) { flags.assign(flags.size(), true); }

void mark_or(std::vector<bool>& flags, const std::vector<bool>& more) {
  for (size_t i = 0; i < flags.size() && i < more.size(); ++i)
    if (more[i]) flags[i] = true;
}

}  // namespace

void compute_source_columns_needed(BuiltPipeline& b) {
  std::map<std::string, std::vector<bool>> needed;  // node -> its output columns read downstream
  for (const auto& s : b.sources) needed[s.spec->name] = std::vector<bool>(s.schema.size(), false);
  for (const auto& o : b.operators) needed[o.name] = std::vector<bool>(o.output.size(), false);
  // A sink writes every column of its input.
  for (const auto& s : b.sinks) mark_all(needed[s.input]);
  for (auto it = b.operators.rbegin(); it != b.operators.rend(); ++it) {
    const BuiltOperator& o = *it;
    std::optional<std::vector<bool>> in;
    if (b.model && o.spec) {
      std::vector<Schema> more;
      for (size_t i = 1; i < o.inputs.size(); ++i) more.push_back(b.schema_of(o.inputs[i]));
      const OperatorBinding binding{*b.model, *o.spec, b.schema_of(o.input), {}, std::move(more)};
      in = kind_of(*o.spec).input_columns_needed(binding, needed[o.name]);
    }
    for (size_t i = 0; i < o.inputs.size(); ++i) {
      std::vector<bool>& flags = needed[o.inputs[i]];
      if (i == 0 && in) mark_or(flags, *in);
      else mark_all(flags);
    }
  }
  for (auto& s : b.sources) {
    std::vector<bool> flags = needed[s.spec->name];
    bool all = false;
    // json.fail-on-missing-field checks every declared field: kept as it was.
    if (json_decode_options(s.spec->options).fail_on_missing_field) all = true;
    for (const Column& c : s.spec->columns)
      if (c.expression && !mark_columns_read(s.schema, *c.expression, flags)) all = true;
    if (s.spec->watermark && !mark_columns_read(s.schema, s.spec->watermark->expression, flags)) all = true;
    if (s.rowtime && *s.rowtime < flags.size()) flags[*s.rowtime] = true;
    if (all) mark_all(flags);
    s.columns_needed = std::move(flags);
  }
}

}  // namespace ananas::pipeline
