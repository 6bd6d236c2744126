#pragma once
// The pipeline model: the readable description of one streaming job that the
// SQL translator produces and the worker runs (docs/pipeline-yaml.md).
//
// It is plain data. Expressions are SQL text, compiled later by the binder
// against the schemas; every node keeps the SourceLocation it came from (YAML
// or SQL) so later semantic errors can point at `file:line:column`.
// operator== compares content only and ignores every location, so
// `load(emit(p)) == p` is meaningful.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/diagnostic.hpp"

namespace ananas::pipeline {

// A SQL expression as written. `location` is its first character in the file.
struct Expr {
  std::string text;
  SourceLocation location;
  bool operator==(const Expr& o) const { return text == o.text; }
};

// A duration as written (`5s`, `1min`, `500 ms`) and its value.
struct Duration {
  std::string text;
  int64_t millis = 0;
  SourceLocation location;
  bool operator==(const Duration& o) const { return text == o.text && millis == o.millis; }
};

// `name: expr`, used for select items, MEASURES and DEFINE.
struct NamedExpr {
  std::string name;
  Expr expr;
  SourceLocation location;
  bool operator==(const NamedExpr& o) const { return name == o.name && expr == o.expr; }
};

// One entry of a connector's WITH (...) options; the order of the file is kept.
struct Option {
  std::string key;
  std::string value;
  SourceLocation location;
  bool operator==(const Option& o) const { return key == o.key && value == o.value; }
};
using Options = std::vector<Option>;

// A physical column (`type`), a metadata column (`type` + `metadata`) or a
// computed column (`expression`, no type: the binder derives it).
struct Column {
  std::string name;
  std::string type;  // Flink SQL type text, checked with parse_type; empty for computed columns
  std::optional<std::string> metadata;  // METADATA FROM '<key>'
  bool is_virtual = false;              // METADATA ... VIRTUAL
  std::optional<Expr> expression;       // computed column: `name AS expr`
  SourceLocation location;
  SourceLocation type_location;  // first character of the type text
  bool operator==(const Column& o) const {
    return name == o.name && type == o.type && metadata == o.metadata && is_virtual == o.is_virtual &&
           expression == o.expression;
  }
};

struct Watermark {
  std::string column;
  Expr expression;
  SourceLocation location;
  bool operator==(const Watermark& o) const { return column == o.column && expression == o.expression; }
};

struct Source {
  std::string name;
  std::string connector;
  std::string format;
  std::optional<std::string> key_format;
  Options options;
  std::vector<Column> columns;
  std::optional<Watermark> watermark;
  std::vector<std::string> primary_key;
  std::optional<Duration> idle_timeout;
  SourceLocation location;
  bool operator==(const Source& o) const {
    return name == o.name && connector == o.connector && format == o.format && key_format == o.key_format &&
           options == o.options && columns == o.columns && watermark == o.watermark &&
           primary_key == o.primary_key && idle_timeout == o.idle_timeout;
  }
};

struct Sink {
  std::string name;
  std::string input;
  std::string connector;
  std::string format;
  std::optional<std::string> key_format;
  Options options;
  std::vector<Column> columns;
  std::vector<std::string> primary_key;
  SourceLocation location;
  SourceLocation input_location;
  bool operator==(const Sink& o) const {
    return name == o.name && input == o.input && connector == o.connector && format == o.format &&
           key_format == o.key_format && options == o.options && columns == o.columns &&
           primary_key == o.primary_key;
  }
};

// ---- operators -------------------------------------------------------------

struct Unnest {
  Expr array;
  std::vector<std::string> columns;  // the ROW's fields, or one name for a scalar array
  bool with_ordinality = false;      // if true, the last of `columns` is the ordinality
  bool operator==(const Unnest&) const = default;
};

struct Calc {
  std::optional<Expr> where;
  std::optional<std::vector<NamedExpr>> select;  // absent: all input columns
  bool operator==(const Calc&) const = default;
};

struct Aggregate {
  std::string name;
  std::string function;     // COUNT, SUM, MIN, MAX, AVG, LISTAGG, ... (as written)
  std::vector<Expr> args;   // empty for COUNT(*)
  bool distinct = false;
  std::optional<Expr> filter;
  SourceLocation location;
  bool operator==(const Aggregate& o) const {
    return name == o.name && function == o.function && args == o.args && distinct == o.distinct &&
           filter == o.filter;
  }
};

struct GroupAggregate {
  std::vector<std::string> keys;
  std::vector<Aggregate> aggregates;
  bool operator==(const GroupAggregate&) const = default;
};

enum class WindowKind { Tumble, Hop, Cumulate };

struct WindowSpec {
  WindowKind kind = WindowKind::Tumble;
  std::string time_column;
  Duration size;
  std::optional<Duration> slide;   // hop only
  std::optional<Duration> step;    // cumulate only
  std::optional<Duration> offset;
  SourceLocation location;
  bool operator==(const WindowSpec& o) const {
    return kind == o.kind && time_column == o.time_column && size == o.size && slide == o.slide &&
           step == o.step && offset == o.offset;
  }
};

struct WindowAggregate {
  WindowSpec window;
  std::vector<std::string> keys;
  std::vector<Aggregate> aggregates;
  bool operator==(const WindowAggregate&) const = default;
};

// A window TVF without aggregation: input columns + window_start/end/time.
struct Window {
  WindowSpec window;
  bool operator==(const Window&) const = default;
};

// Turns a changelog into upserts on the operator's `key` (the sink primary key).
struct UpsertMaterialize {
  bool operator==(const UpsertMaterialize&) const = default;
};

struct OrderKey {
  std::string column;
  bool descending = false;
  SourceLocation location;
  bool operator==(const OrderKey& o) const { return column == o.column && descending == o.descending; }
};

enum class AfterMatchSkip { PastLastRow, ToNextRow, ToFirst, ToLast };

struct AfterMatch {
  AfterMatchSkip skip = AfterMatchSkip::PastLastRow;
  std::optional<std::string> variable;  // TO FIRST / TO LAST only
  bool operator==(const AfterMatch&) const = default;
};

struct Subset {
  std::string name;
  std::vector<std::string> variables;
  SourceLocation location;
  bool operator==(const Subset& o) const { return name == o.name && variables == o.variables; }
};

struct MatchRecognize {
  std::vector<std::string> partition_by;
  std::vector<OrderKey> order_by;
  std::vector<NamedExpr> measures;
  std::string rows_per_match = "one";  // Flink streaming supports ONE ROW PER MATCH only
  AfterMatch after_match;
  Expr pattern;                     // pattern text, e.g. `START_ROW NR_UP+ NR_DOWN{2}`
  std::optional<Duration> within;
  std::vector<NamedExpr> define;    // variable -> condition, in file order
  std::vector<Subset> subset;
  bool operator==(const MatchRecognize&) const = default;
};

enum class OperatorType { Unnest, Calc, GroupAggregate, WindowAggregate, Window, UpsertMaterialize, MatchRecognize };

// The alternatives are in OperatorType order.
using OperatorBody = std::variant<Unnest, Calc, GroupAggregate, WindowAggregate, Window, UpsertMaterialize, MatchRecognize>;

struct Operator {
  std::string name;
  std::string input;
  std::optional<int> parallelism;  // absent: the pipeline's
  std::vector<std::string> key;    // hash-partitioning key; the upsert key for upsert_materialize
  OperatorBody body;
  SourceLocation location;
  SourceLocation input_location;

  OperatorType type() const { return static_cast<OperatorType>(body.index()); }
  bool operator==(const Operator& o) const {
    return name == o.name && input == o.input && parallelism == o.parallelism && key == o.key && body == o.body;
  }
};

// ---- pipeline --------------------------------------------------------------

enum class RestartStrategy { None, FixedDelay, ExponentialDelay, FailureRate };

// Which fields apply depends on the strategy (the loader rejects the others):
// fixed-delay {attempts, delay}; exponential-delay {initial_delay, max_delay,
// multiplier, jitter, reset_after, attempts}; failure-rate {max_failures,
// interval, delay}.
struct RestartPolicy {
  RestartStrategy strategy = RestartStrategy::None;
  std::optional<int> attempts;
  std::optional<Duration> delay;
  std::optional<Duration> initial_delay;
  std::optional<Duration> max_delay;
  std::optional<double> multiplier;
  std::optional<double> jitter;
  std::optional<Duration> reset_after;
  std::optional<int> max_failures;
  std::optional<Duration> interval;
  SourceLocation location;
  bool operator==(const RestartPolicy& o) const {
    return strategy == o.strategy && attempts == o.attempts && delay == o.delay &&
           initial_delay == o.initial_delay && max_delay == o.max_delay && multiplier == o.multiplier &&
           jitter == o.jitter && reset_after == o.reset_after && max_failures == o.max_failures &&
           interval == o.interval;
  }
};

enum class OnError { Fail, Skip, DeadLetter };

struct Pipeline {
  std::string name;
  std::optional<std::string> description;
  int parallelism = 1;
  std::optional<RestartPolicy> restart;
  OnError on_error = OnError::Skip;
  std::optional<std::string> dead_letter_topic;  // required with on_error: dead-letter
  Options settings;                              // validated keys, see settings_keys()
  std::vector<Source> sources;
  std::vector<Operator> operators;
  std::vector<Sink> sinks;
  SourceLocation location;

  const Source* find_source(std::string_view name) const;
  const Operator* find_operator(std::string_view name) const;
  const Sink* find_sink(std::string_view name) const;
  // The value of a `settings` key, if set.
  std::optional<std::string> setting(std::string_view key) const;

  bool operator==(const Pipeline& o) const {
    return name == o.name && description == o.description && parallelism == o.parallelism &&
           restart == o.restart && on_error == o.on_error && dead_letter_topic == o.dead_letter_topic &&
           settings == o.settings && sources == o.sources && operators == o.operators && sinks == o.sinks;
  }
};

// The pipelines of one file (a single `pipeline:` mapping or a `pipelines:`
// list) plus the warnings loading produced.
struct PipelineSet {
  std::string file;
  std::vector<Pipeline> pipelines;
  Warnings warnings;
  bool operator==(const PipelineSet& o) const { return pipelines == o.pipelines; }
};

// ---- enum spellings (as in YAML) ------------------------------------------

std::string_view to_string(OperatorType t);
std::string_view to_string(WindowKind k);
std::string_view to_string(AfterMatchSkip s);
std::string_view to_string(RestartStrategy s);
std::string_view to_string(OnError e);

std::optional<OperatorType> operator_type_from_string(std::string_view s);
std::optional<WindowKind> window_kind_from_string(std::string_view s);
std::optional<AfterMatchSkip> after_match_skip_from_string(std::string_view s);
std::optional<RestartStrategy> restart_strategy_from_string(std::string_view s);
std::optional<OnError> on_error_from_string(std::string_view s);

// All spellings of each enum, for "did you mean" and for the docs.
const std::vector<std::string>& operator_type_names();
const std::vector<std::string>& window_kind_names();
const std::vector<std::string>& after_match_skip_names();
const std::vector<std::string>& restart_strategy_names();
const std::vector<std::string>& on_error_names();

// The keys `settings:` accepts.
const std::vector<std::string>& settings_keys();

}  // namespace ananas::pipeline
