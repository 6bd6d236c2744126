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
#include "pipelines/model_values.hpp"
#include "pipelines/operator_kinds/all_kinds.hpp"

namespace ananas::pipeline {

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

// The kinds, generated from the registry (pipelines/operator_kinds/all_kinds.hpp)
// so that OperatorType and OperatorBody list them in the same order.
enum class OperatorType {
#define ANANAS_OPERATOR_TYPE(Model) Model,
  ANANAS_OPERATOR_KINDS(ANANAS_OPERATOR_TYPE)
#undef ANANAS_OPERATOR_TYPE
};

namespace detail {
// std::variant of the types after the first (a leading `void` lets the
// registry's list be written as `void, A, B`, with no trailing comma).
template <typename Ignored, typename... Models>
struct VariantOfKinds {
  using type = std::variant<Models...>;
};
}  // namespace detail

// One alternative per operator kind, in OperatorType order.
using OperatorBody = detail::VariantOfKinds<void
#define ANANAS_OPERATOR_ALTERNATIVE(Model) , Model
                                            ANANAS_OPERATOR_KINDS(ANANAS_OPERATOR_ALTERNATIVE)
#undef ANANAS_OPERATOR_ALTERNATIVE
                                            >::type;

struct Operator {
  std::string name;
  std::string input;  // the node it reads; for a kind that reads several (union_all), the first
  // The further nodes a kind that reads several inputs reads, in order (YAML
  // `inputs: [a, b, ...]` holds `input` and these). Empty for every other kind.
  std::vector<std::string> more_inputs;
  std::optional<int> parallelism;  // absent: the pipeline's
  std::vector<std::string> key;    // hash-partitioning key; the upsert key for upsert_materialize
  OperatorBody body;
  SourceLocation location;
  SourceLocation input_location;

  // Both are generated from one list, so the alternative's index is its type.
  OperatorType type() const { return static_cast<OperatorType>(body.index()); }
  // `input` followed by `more_inputs`.
  std::vector<std::string> inputs() const;
  bool operator==(const Operator& o) const {
    return name == o.name && input == o.input && more_inputs == o.more_inputs && parallelism == o.parallelism &&
           key == o.key && body == o.body;
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

// settings.agg_phase_strategy (Flink's table.optimizer.agg-phase-strategy):
// whether an aggregation whose rows cross a keyed exchange is split into a
// local and a global phase. Auto and TwoPhase split what can be split;
// OnePhase never splits.
enum class AggPhaseStrategy { Auto, OnePhase, TwoPhase };

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
  // settings.agg_phase_strategy, Auto when unset.
  AggPhaseStrategy agg_phase_strategy() const;
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
// "auto", "one_phase", "two_phase"; Flink's AUTO, ONE_PHASE, TWO_PHASE too (any case).
std::optional<AggPhaseStrategy> agg_phase_strategy_from_string(std::string_view s);

// All spellings of each enum, for "did you mean" and for the docs.
const std::vector<std::string>& operator_type_names();
const std::vector<std::string>& window_kind_names();
const std::vector<std::string>& after_match_skip_names();
const std::vector<std::string>& restart_strategy_names();
const std::vector<std::string>& on_error_names();

// The keys `settings:` accepts.
const std::vector<std::string>& settings_keys();

// The error for a pipeline whose name an earlier one (defined at `first`)
// already has, with a hint when the two are one pipeline in two forms
// (`x.json` and `x.yaml`, as pipelines/examples/ holds each app).
InputError duplicate_pipeline(const Pipeline& second, const SourceLocation& first);

}  // namespace ananas::pipeline
