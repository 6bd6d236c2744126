#pragma once
// The definition of one operator kind: its name, its YAML keys (load and
// emit), its checks and its binding to the runtime operator, kept together
// in the kind's folder and registered in all_kinds.hpp. The YAML loader and
// emitter, the graph builder and the SQL planner ask the kind; none of them
// switches over the kinds.
//
// A kind is an object with virtual hooks, in the manner of Tenzir's operator
// plugins (a class per operator that names, parses and instantiates it);
// OperatorKindOf<Model> does the one cast from the model's variant to the
// kind's own struct, so a kind's code sees only its own model.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/schema.hpp"
#include "operators/operator.hpp"
#include "operators/row_error.hpp"
#include "operators/window_partials.hpp"
#include "pipelines/model.hpp"

namespace ananas::pipeline {

namespace yaml {
class MapReader;
class Writer;
}  // namespace yaml

// What binding one operator needs besides its model.
struct OperatorBinding {
  const Pipeline& pipeline;  // for kinds whose output depends on their consumers
  const Operator& op;
  const Schema& input;       // the schema of `op.input`
  ops::RowErrorHandler row_errors;
  std::vector<Schema> more_inputs = {};  // the schemas of `op.more_inputs`, in order
};

// An operator that can be split around a keyed exchange (Flink's
// local-global aggregation): a local phase folds the rows on the writing
// side, a global phase merges the partials after the exchange
// (operators/window_partials.hpp).
struct TwoPhaseBinding {
  std::function<std::unique_ptr<ops::WindowPartialCombiner>()> make_local;
  // Reads the input's columns followed by the partial state (BYTES).
  std::function<ops::OperatorPtr()> make_global;
};

// An operator bound to its input: a factory of runtime instances (one per
// parallel instance and restart) and the input columns that partition it
// when the model names no `key`.
struct BoundOperator {
  std::function<ops::OperatorPtr()> make;
  std::vector<size_t> key_columns;
  std::optional<TwoPhaseBinding> two_phase;  // set when it can run in two phases
};

class OperatorKind {
 public:
  virtual ~OperatorKind() = default;

  // The YAML `type`, and how messages name the kind.
  virtual std::string_view name() const = 0;
  // The kind's keys beyond the common ones (name, type, input, parallelism, key).
  virtual std::vector<std::string> yaml_keys() const = 0;
  // Whether the kind reads several nodes (YAML `inputs: [a, b, ...]`, at least
  // two) instead of one (`input: a`).
  virtual bool reads_several_inputs() const { return false; }
  // Reads the kind's keys; `common` has the common keys read already.
  virtual OperatorBody load(const yaml::MapReader& m, const Operator& common) const = 0;
  // Writes the kind's keys at `indent`, after the common ones.
  virtual void emit(yaml::Writer& w, int indent, const OperatorBody& body) const = 0;

  // Whether the output is a changelog with updates, given whether the input is.
  virtual bool emits_updates(bool input_updating) const = 0;
  // The same for one operator of the kind, for kinds whose changelog depends on
  // their configuration (deduplicate: keep-first on processing time is insert-only).
  virtual bool emits_updates_for(const OperatorBody& /*body*/, bool input_updating) const {
    return emits_updates(input_updating);
  }
  // Nothing if the kind consumes updates; otherwise the refusal of an updating
  // input, for operator `node` (empty while the planner has not named it) and
  // the node that produces the updates.
  virtual std::optional<std::string> refuse_updating_input(std::string_view /*node*/,
                                                           std::string_view /*producer*/) const {
    return std::nullopt;
  }
  // Whether the kind, consuming a changelog with updates, needs its
  // UPDATE_BEFORE (-U) rows; one that does not lets its consumers decide.
  virtual bool needs_update_before(const OperatorBody& /*body*/) const { return true; }
  // Whether the state is per key, so parallel instances need a key to partition by.
  virtual bool keyed_state() const { return false; }
  // Whether Flink expires this operator's state after the pipeline's
  // state_ttl (table.exec.state.ttl) but Ananas does not apply it yet: such
  // operators are named in a warning when a state_ttl is set
  // (pipelines/state_ttl.hpp). Kinds whose state Flink cleans up on the
  // watermark (windows, interval joins, MATCH_RECOGNIZE) or that apply it say no.
  virtual bool ignores_state_ttl(const OperatorBody& /*body*/) const { return false; }
  // Whether the kind keeps nothing from one row to the next: a pipeline of
  // such operators only can run over disjoint partitions of its input in
  // several workers with no exchange between them.
  virtual bool stateless() const { return false; }

  // Checks the model against its input schema and binds it (expressions
  // compiled, columns resolved). Every problem is an InputError located in the model.
  virtual BoundOperator bind(const OperatorBinding& b) const = 0;
  // The input columns the operator reads (ascending); nullopt: any of them,
  // or it passes whole rows on. A keyed exchange carries only these
  // (actors/drivers/exchange_split.hpp) and nulls the others.
  virtual std::optional<std::vector<size_t>> columns_read(const OperatorBinding& b) const {
    (void)b;
    return std::nullopt;
  }
  // The columns of `b.input` (one flag each) the operator needs to produce
  // the output columns flagged in `output_needed`; nullopt: every column of
  // every input. The graph builder asks it backwards from the sinks, so that
  // a source decodes only the columns something reads (projection push-down,
  // pipelines/graph/columns_needed.hpp). Default: a one-input kind needs what
  // columns_read() names, whatever of its output is needed (its output is
  // computed from those alone); otherwise everything.
  virtual std::optional<std::vector<bool>> input_columns_needed(const OperatorBinding& b,
                                                                const std::vector<bool>& output_needed) const {
    (void)output_needed;
    if (reads_several_inputs() || !b.more_inputs.empty()) return std::nullopt;
    auto read = columns_read(b);
    if (!read) return std::nullopt;
    std::vector<bool> needed(b.input.size(), false);
    for (size_t i : *read)
      if (i < needed.size()) needed[i] = true;
    return needed;
  }
};

// The base of every kind: its hooks take the kind's own model.
template <typename Model>
class OperatorKindOf : public OperatorKind {
 public:
  OperatorBody load(const yaml::MapReader& m, const Operator& common) const final { return load_model(m, common); }
  void emit(yaml::Writer& w, int indent, const OperatorBody& body) const final {
    emit_model(w, indent, std::get<Model>(body));
  }
  BoundOperator bind(const OperatorBinding& b) const final { return bind_model(b, std::get<Model>(b.op.body)); }
  std::optional<std::vector<size_t>> columns_read(const OperatorBinding& b) const final {
    return columns_read_model(b, std::get<Model>(b.op.body));
  }

 protected:
  virtual Model load_model(const yaml::MapReader& m, const Operator& common) const = 0;
  virtual void emit_model(yaml::Writer& w, int indent, const Model& body) const = 0;
  virtual BoundOperator bind_model(const OperatorBinding& b, const Model& body) const = 0;
  virtual std::optional<std::vector<size_t>> columns_read_model(const OperatorBinding& b, const Model& body) const {
    (void)b, (void)body;
    return std::nullopt;
  }
};

}  // namespace ananas::pipeline
