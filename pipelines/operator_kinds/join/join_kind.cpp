// join: a regular equi-join of two inputs, INNER or LEFT/RIGHT/FULL OUTER,
// or SEMI / ANTI (the left rows with / without a match: INTERSECT and
// EXCEPT), with `null_safe: true` matching NULL keys (IS NOT DISTINCT FROM)
// (operators/regular_join.hpp), updating when outer, ANTI or fed updates; with
// time bounds (left_time, right_time, lower_bound_ms, upper_bound_ms) an
// inner interval join of insert-only inputs (operators/interval_join.hpp);
// with window bounds (left_window, right_window: [start, end] of each side)
// a window join of insert-only inputs, insert-only whatever its type
// (operators/window_join.hpp); with as_of and right_time an event-time
// temporal join against a versioned right side (operators/temporal_join.hpp).
#include "operators/interval_join.hpp"
#include "operators/regular_join.hpp"
#include "operators/temporal_join.hpp"
#include "operators/window_join.hpp"
#include "pipelines/operator_kinds/common/binding.hpp"
#include "pipelines/operator_kinds/join/join.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"
#include "pipelines/state_ttl.hpp"
#include "pipelines/yaml/node_reader.hpp"
#include "pipelines/yaml/yaml_writer.hpp"

namespace ananas::pipeline {

namespace {

ops::JoinType join_type_of(const std::string& text) {
  if (text == "left") return ops::JoinType::Left;
  if (text == "right") return ops::JoinType::Right;
  if (text == "full") return ops::JoinType::Full;
  if (text == "semi") return ops::JoinType::Semi;
  if (text == "anti") return ops::JoinType::Anti;
  return ops::JoinType::Inner;
}

Type plain(const Type& t) { return t.with_nullable(true).with_time_attr(TimeAttr::None); }

class JoinKind final : public OperatorKindOf<Join> {
 public:
  std::string_view name() const override { return "join"; }
  std::vector<std::string> yaml_keys() const override {
    return {"join",       "left_key",       "right_key",      "condition",   "left_time",
            "right_time", "lower_bound_ms", "upper_bound_ms", "left_window", "right_window", "as_of", "null_safe"};
  }
  bool reads_several_inputs() const override { return true; }
  bool emits_updates(bool input_updating) const override { return input_updating; }
  bool emits_updates_for(const OperatorBody& body, bool input_updating) const override {
    // A window join emits each window's rows once, padded ones included, an
    // interval join its padded rows once they expire, a temporal join each
    // left row once: insert-only.
    const Join& j = std::get<Join>(body);
    if (j.as_of) return false;
    return input_updating || (j.join_type != "inner" && j.join_type != "semi" && !j.window && !j.time_bounds);
  }
  bool keyed_state() const override { return true; }
  // The regular join applies the state TTL (ops::RegularJoinOperator). Flink's temporal
  // join cleans a key up after it too (StreamExecTemporalJoin: getStateRetentionTime), which
  // Ananas's does not yet; interval and window joins clean up on the watermark.
  bool ignores_state_ttl(const OperatorBody& body) const override { return std::get<Join>(body).as_of.has_value(); }

 protected:
  Join load_model(const yaml::MapReader& m, const Operator& /*common*/) const override {
    Join j;
    if (auto type = m.optional("join")) {
      j.join_type = type->as_string();
      if (j.join_type != "inner" && j.join_type != "left" && j.join_type != "right" && j.join_type != "full" &&
          j.join_type != "semi" && j.join_type != "anti")
        type->fail("join must be 'inner', 'left', 'right', 'full', 'semi' or 'anti', got '" + j.join_type + "'");
      if ((j.join_type == "semi" || j.join_type == "anti") && (m.has("as_of") || m.has("left_time")))
        type->fail("a " + j.join_type + " join is a regular or a window join, not a temporal or interval one");
    }
    if (auto nulls = m.optional("null_safe")) {
      j.null_safe = nulls->as_bool();
      if (j.null_safe && (m.has("left_window") || m.has("as_of") || m.has("left_time")))
        nulls->fail("null_safe keys belong to regular joins (window, interval and temporal joins never match NULL keys)");
    }
    const bool windowed = m.has("left_window") || m.has("right_window");
    if (windowed) {
      // A window join names both sides' bounds; a missing one is reported at the mapping.
      auto bounds = [&](const char* key) {
        const yaml::NodeReader n = m.require(key);
        std::vector<std::string> columns = n.as_identifier_list();
        if (columns.size() != 2)
          n.fail(std::string(key) + " names the window's start and end columns, [window_start, window_end]; got " +
                 std::to_string(columns.size()) + " columns");
        return columns;
      };
      const auto l = bounds("left_window"), r = bounds("right_window");
      j.window = Join::WindowBounds{l[0], l[1], r[0], r[1], m.require("left_window").location()};
    }
    // A window join may match on the window alone; the other joins need keys.
    if (!windowed || m.has("left_key") || m.has("right_key")) {
      const yaml::NodeReader left = m.require("left_key");
      j.left_key = left.as_identifier_list();
      const yaml::NodeReader right = m.require("right_key");
      j.right_key = right.as_identifier_list();
      if (j.left_key.empty() && !windowed) left.fail("a join needs at least one key column on each side (an equi-join)");
      if (j.left_key.size() != j.right_key.size())
        right.fail("right_key has " + std::to_string(j.right_key.size()) + " columns, left_key " + std::to_string(j.left_key.size()));
    }
    if (auto c = m.optional("condition")) j.condition = c->as_expr();
    if (auto as_of = m.optional("as_of")) {
      // FOR SYSTEM_TIME AS OF: the left time, and the versions' time on the right.
      Join::AsOf a;
      a.left_time = as_of->as_identifier();
      a.right_time = m.require("right_time").as_identifier();
      for (const char* key : {"left_time", "lower_bound_ms", "upper_bound_ms", "left_window", "right_window"})
        if (m.has(key))
          m.fail_at_key(key, std::string(key) + " belongs to interval or window joins; a temporal join (as_of) has only as_of "
                                                "and right_time");
      if (j.join_type != "inner" && j.join_type != "left")
        m.fail_at_key("join", "a temporal join (as_of) is 'inner' or 'left', got '" + j.join_type + "'");
      j.as_of = std::move(a);
      return j;
    }
    const bool timed = m.has("left_time") || m.has("right_time") || m.has("lower_bound_ms") || m.has("upper_bound_ms");
    if (timed) {
      // An interval join names all four; a missing one is reported at the mapping.
      Join::TimeBounds t;
      t.left_time = m.require("left_time").as_identifier();
      t.right_time = m.require("right_time").as_identifier();
      t.lower_bound_ms = m.require("lower_bound_ms").as_integer();
      const yaml::NodeReader upper = m.require("upper_bound_ms");
      t.upper_bound_ms = upper.as_integer();
      if (t.lower_bound_ms > t.upper_bound_ms)
        upper.fail("upper_bound_ms (" + std::to_string(t.upper_bound_ms) + ") is below lower_bound_ms (" +
                   std::to_string(t.lower_bound_ms) + ")");
      if (windowed)
        m.fail_at_key("left_time", "a join has either time bounds (an interval join) or window bounds (a window join), not both");
      j.time_bounds = std::move(t);
    }
    return j;
  }

  void emit_model(yaml::Writer& w, int in, const Join& j) const override {
    if (j.join_type != "inner") w.scalar(in, "join", j.join_type);
    if (j.null_safe) w.raw(in, "null_safe", "true");
    if (!j.window || !j.left_key.empty()) {
      w.raw(in, "left_key", yaml::flow_list(j.left_key));
      w.raw(in, "right_key", yaml::flow_list(j.right_key));
    }
    if (j.window) {
      w.raw(in, "left_window", yaml::flow_list({j.window->left_start, j.window->left_end}));
      w.raw(in, "right_window", yaml::flow_list({j.window->right_start, j.window->right_end}));
    }
    if (j.condition) w.scalar(in, "condition", j.condition->text);
    if (j.as_of) {
      w.scalar(in, "as_of", j.as_of->left_time);
      w.scalar(in, "right_time", j.as_of->right_time);
    }
    if (j.time_bounds) {
      w.scalar(in, "left_time", j.time_bounds->left_time);
      w.scalar(in, "right_time", j.time_bounds->right_time);
      w.raw(in, "lower_bound_ms", std::to_string(j.time_bounds->lower_bound_ms));
      w.raw(in, "upper_bound_ms", std::to_string(j.time_bounds->upper_bound_ms));
    }
  }

  BoundOperator bind_model(const OperatorBinding& b, const Join& j) const override {
    if (b.more_inputs.size() != 1)
      throw InputError(b.op.input_location, "join '" + b.op.name + "' reads two inputs (left, right), got " +
                                                std::to_string(b.more_inputs.size() + 1));
    if (b.op.parallelism.value_or(b.pipeline.parallelism) > 1)
      throw InputError(b.op.location, "join '" + b.op.name + "' runs with parallelism 1 (its two inputs are not partitioned by "
                                                                 "their keys yet): set its parallelism: 1");
    ops::RegularJoinConfig cfg;
    cfg.left = b.input;
    cfg.right = b.more_inputs[0];
    cfg.type = join_type_of(j.join_type);
    cfg.null_safe_keys = j.null_safe;
    cfg.on_row_error = b.row_errors;
    for (size_t i = 0; i < j.left_key.size(); ++i) {
      const size_t l = column_index(cfg.left, j.left_key[i], b.op.location, "left key column");
      const size_t r = column_index(cfg.right, j.right_key[i], b.op.location, "right key column");
      if (plain(cfg.left[l].type) != plain(cfg.right[r].type))
        throw InputError(b.op.location, "join '" + b.op.name + "': key " + j.left_key[i] + " is " + cfg.left[l].type.to_string() +
                                            " but " + j.right_key[i] + " is " + cfg.right[r].type.to_string() +
                                            ": the keys of a pair must have one type (CAST one side)");
      cfg.left_keys.push_back(l);
      cfg.right_keys.push_back(r);
    }
    Schema joined = cfg.left;
    for (const auto& c : cfg.right.columns) {
      if (joined.find(c.name))
        throw InputError(b.op.input_location, "join '" + b.op.name + "': column '" + c.name +
                                                  "' is on both sides; rename one before the join");
      joined.columns.push_back(c);
    }
    if (j.condition) {
      cfg.condition = compile(*j.condition, joined);
      if (cfg.condition->type().id != TypeId::Boolean && cfg.condition->type().id != TypeId::Null)
        throw InputError(j.condition->location, "'condition' must be a boolean condition, but is " + cfg.condition->type().to_string());
    }
    if (j.time_bounds) return bind_interval(b, j, cfg);
    if (j.as_of) return bind_temporal(b, j, cfg);
    if (j.window) return bind_window(b, j, cfg);
    cfg.state_ttl_ms = state_ttl_ms(b.pipeline);
    return {[cfg] { return std::make_unique<ops::RegularJoinOperator>(cfg); }, {}};
  }

 private:
  static BoundOperator bind_temporal(const OperatorBinding& b, const Join& j, const ops::RegularJoinConfig& regular) {
    ops::TemporalJoinConfig cfg;
    static_cast<ops::JoinSides&>(cfg) = regular;
    cfg.left_time = column_index(cfg.left, j.as_of->left_time, b.op.location, "as_of column");
    cfg.right_time = column_index(cfg.right, j.as_of->right_time, b.op.location, "right time column");
    if (cfg.left[cfg.left_time].type.time_attr != TimeAttr::Rowtime)
      throw InputError(b.op.location, "join '" + b.op.name + "': as_of column " + j.as_of->left_time + " is " +
                                          cfg.left[cfg.left_time].type.to_string() +
                                          ", not a rowtime attribute (an event-time temporal join; processing-time "
                                          "temporal joins are not supported)");
    if (cfg.right[cfg.right_time].type.time_attr != TimeAttr::Rowtime)
      throw InputError(b.op.location, "join '" + b.op.name + "': right_time column " + j.as_of->right_time + " is " +
                                          cfg.right[cfg.right_time].type.to_string() +
                                          ", not the versioned side's rowtime attribute");
    return {[cfg] { return std::make_unique<ops::TemporalJoinOperator>(cfg); }, {}};
  }

  static BoundOperator bind_interval(const OperatorBinding& b, const Join& j, const ops::RegularJoinConfig& regular) {
    ops::IntervalJoinConfig cfg;
    static_cast<ops::JoinSides&>(cfg) = regular;
    cfg.left_time = column_index(cfg.left, j.time_bounds->left_time, b.op.location, "left time column");
    cfg.right_time = column_index(cfg.right, j.time_bounds->right_time, b.op.location, "right time column");
    for (const auto& [schema, index, name] : {std::tuple{&cfg.left, cfg.left_time, j.time_bounds->left_time},
                                              std::tuple{&cfg.right, cfg.right_time, j.time_bounds->right_time}}) {
      const Type& t = (*schema)[index].type;
      if (t.time_attr != TimeAttr::Rowtime)
        throw InputError(b.op.location, "join '" + b.op.name + "': time column " + name + " is " + t.to_string() +
                                            ", not a rowtime attribute (an interval join runs on event time)");
    }
    cfg.lower_ms = j.time_bounds->lower_bound_ms;
    cfg.upper_ms = j.time_bounds->upper_bound_ms;
    return {[cfg] { return std::make_unique<ops::IntervalJoinOperator>(cfg); }, {}};
  }

  static BoundOperator bind_window(const OperatorBinding& b, const Join& j, const ops::RegularJoinConfig& regular) {
    ops::WindowJoinConfig cfg;
    static_cast<ops::JoinSides&>(cfg) = regular;
    const Join::WindowBounds& w = *j.window;
    const SourceLocation& at = w.location.line ? w.location : b.op.location;
    cfg.left_window_start = column_index(cfg.left, w.left_start, at, "left window start column");
    cfg.left_window_end = column_index(cfg.left, w.left_end, at, "left window end column");
    cfg.right_window_start = column_index(cfg.right, w.right_start, at, "right window start column");
    cfg.right_window_end = column_index(cfg.right, w.right_end, at, "right window end column");
    for (const auto& [schema, index, name] : {std::tuple{&cfg.left, cfg.left_window_start, w.left_start},
                                              std::tuple{&cfg.left, cfg.left_window_end, w.left_end},
                                              std::tuple{&cfg.right, cfg.right_window_start, w.right_start},
                                              std::tuple{&cfg.right, cfg.right_window_end, w.right_end}}) {
      const Type& t = (*schema)[index].type;
      if (!t.is_timestamp())
        throw InputError(at, "join '" + b.op.name + "': window column " + name + " is " + t.to_string() +
                                            ", not a timestamp (a window join reads the window_start and window_end of "
                                            "a window table-valued function or window aggregation)");
    }
    return {[cfg] { return std::make_unique<ops::WindowJoinOperator>(cfg); }, {}};
  }
};

}  // namespace

const OperatorKind& Join::kind() {
  static const JoinKind kind;
  return kind;
}

}  // namespace ananas::pipeline
