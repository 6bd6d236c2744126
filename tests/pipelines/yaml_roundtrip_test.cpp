// Loading the fixtures gives the model they describe, and emitting then
// loading again gives the same model (for fixtures and for random models).
#include <random>

#include "tests/pipelines/yaml_test_helpers.hpp"

using namespace ananas;
using namespace ananas::pipeline;

namespace {

PipelineSet load_fixture(const std::string& name) { return load_pipelines_yaml(yaml_test::read_fixture(name), name); }

void check_round_trip(const PipelineSet& set) {
  const std::string once = emit_pipelines_yaml(set);
  INFO(once);
  const PipelineSet reloaded = load_pipelines_yaml(once, "emitted.yaml");
  CHECK(reloaded == set);
  // Emission is a fixed point: emitting what was loaded gives the same text.
  CHECK(emit_pipelines_yaml(reloaded) == once);
}

}  // namespace

TEST_CASE("filtering fixture loads into the model it describes") {
  const PipelineSet set = load_fixture("filtering.yaml");
  REQUIRE(set.pipelines.size() == 1);
  const Pipeline& p = set.pipelines[0];
  CHECK(p.name == "basic_filtering");
  CHECK(p.description == "Orders that carry a fruit topping");
  REQUIRE(p.restart);
  CHECK(p.restart->strategy == RestartStrategy::ExponentialDelay);
  CHECK(p.restart->max_delay->millis == 60'000);
  CHECK(p.restart->multiplier == 2.0);
  CHECK(p.restart->attempts == 10);
  CHECK(p.on_error == OnError::Skip);
  CHECK(p.setting("checkpoint_interval") == "10s");
  REQUIRE(p.sources.size() == 1);
  const Source& src = p.sources[0];
  REQUIRE(src.options.size() == 3);
  CHECK(src.options[0].key == "topic");
  CHECK(src.options[1].key == "properties.bootstrap.servers");
  CHECK(src.options[1].value.empty());
  REQUIRE(src.columns.size() == 6);
  CHECK(src.columns[3].type == "ARRAY<ROW<pizzaName STRING, additionalToppings ARRAY<STRING>>>");
  CHECK(src.columns[4].metadata == "timestamp");
  REQUIRE(src.columns[5].expression);
  CHECK(src.columns[5].expression->text == "PROCTIME()");
  REQUIRE(src.watermark);
  CHECK(src.watermark->expression.text == "orderTimestamp - INTERVAL '5' SECOND");
  REQUIRE(p.operators.size() == 3);
  CHECK(p.operators[0].type() == OperatorType::Unnest);
  const auto& calc = std::get<Calc>(p.operators[2].body);
  REQUIRE(calc.where);
  CHECK(calc.where->text == "topping IN ('🍍 pineapple', '🍓 strawberry', '🍌 banana')");
  REQUIRE(calc.select);
  CHECK(calc.select->size() == 4);
  CHECK(p.sinks[0].input == "anomalies");
  // Only that the worker fills in the tutorial's empty bootstrap servers, for the source and the sink.
  REQUIRE(set.warnings.size() == 2);
  for (const auto& w : set.warnings) CHECK(w.message.find("'properties.bootstrap.servers'") != std::string::npos);
}

TEST_CASE("aggregating fixture: changelog, upsert sink, block scalars") {
  const PipelineSet set = load_fixture("aggregating.yaml");
  const Pipeline& p = set.pipelines.at(0);
  CHECK(p.on_error == OnError::DeadLetter);
  CHECK(p.dead_letter_topic == "pizzas_bad_records");
  // `|` keeps the trailing newline; the text is what the file holds.
  CHECK(p.sources[0].watermark->expression.text == "orderTimestamp - INTERVAL '5' SECOND\n");
  CHECK(p.sources[0].columns[3].is_virtual);
  CHECK(p.sources[0].idle_timeout->millis == 30'000);
  const auto& unnest = std::get<Unnest>(p.find_operator("unnest_toppings")->body);
  CHECK(unnest.with_ordinality);
  CHECK(unnest.columns == std::vector<std::string>{"topping", "position"});
  const Operator& agg_op = *p.find_operator("bad_items");
  CHECK(agg_op.parallelism == 2);
  CHECK(agg_op.key == std::vector<std::string>{"id"});
  const auto& agg = std::get<GroupAggregate>(agg_op.body);
  CHECK(agg.keys.size() == 3);
  REQUIRE(agg.aggregates.size() == 3);
  CHECK(agg.aggregates[0].args.empty());
  CHECK(agg.aggregates[2].distinct);
  CHECK(agg.aggregates[2].filter->text == "position > 1");
  CHECK(p.find_operator("materialize")->type() == OperatorType::UpsertMaterialize);
  CHECK(p.sinks[0].primary_key == std::vector<std::string>{"id"});
  CHECK(p.sinks[0].key_format == "json");
}

TEST_CASE("a pipelines list holds several pipelines") {
  const PipelineSet set = load_fixture("windowing_and_trends.yaml");
  REQUIRE(set.pipelines.size() == 2);
  const Pipeline& w = set.pipelines[0];
  CHECK(w.restart->strategy == RestartStrategy::FixedDelay);
  const auto& hop = std::get<Window>(w.find_operator("sliding")->body);
  CHECK(hop.window.kind == WindowKind::Hop);
  CHECK(hop.window.slide->millis == 10'000);
  const auto& cumulate = std::get<WindowAggregate>(w.find_operator("cumulating")->body);
  CHECK(cumulate.window.step->millis == 600'000);

  const Pipeline& t = set.pipelines[1];
  CHECK(t.on_error == OnError::Fail);
  const auto& mr = std::get<MatchRecognize>(t.operators.at(0).body);
  CHECK(mr.partition_by == std::vector<std::string>{"topping"});
  CHECK(mr.order_by.at(0).column == "window_time");
  CHECK(mr.after_match.skip == AfterMatchSkip::ToLast);
  CHECK(mr.after_match.variable == "NR_DOWN");
  CHECK(mr.pattern.text == "START_ROW NR_UP+ NR_DOWN{2}");
  CHECK(mr.within->millis == 3'600'000);
  REQUIRE(mr.define.size() == 2);
  CHECK(mr.define[0].name == "NR_UP");
  CHECK(mr.define[1].expr.text == "(NR_UP.nr_orders - NR_DOWN.nr_orders)*100.0/NR_UP.nr_orders > 30");
  CHECK(mr.subset.at(0).variables == std::vector<std::string>{"NR_UP", "START_ROW"});
  // `sliding` feeds `cumulating`, everything else reaches a sink: no warnings.
  CHECK(set.warnings.empty());
}

TEST_CASE("fixtures survive emit and load unchanged") {
  for (const char* name : {"filtering.yaml", "aggregating.yaml", "windowing_and_trends.yaml"}) {
    INFO(name);
    const PipelineSet set = load_fixture(name);
    // An empty set would round-trip trivially.
    REQUIRE_FALSE(set.pipelines.empty());
    check_round_trip(set);
  }
}

TEST_CASE("emitted YAML is readable: flow columns, quoting only when needed") {
  const std::string out = emit_pipelines_yaml(load_fixture("filtering.yaml"));
  CHECK_THAT(out, Catch::StartsWith("pipeline: basic_filtering\n"));
  CHECK_THAT(out, Catch::Contains("      - {name: id, type: INT}\n"));
  CHECK_THAT(out, Catch::Contains("{name: orderTimestamp, type: TIMESTAMP(3), metadata: timestamp}"));
  CHECK_THAT(out, Catch::Contains("properties.bootstrap.servers: \"\"\n"));
  CHECK_THAT(out, Catch::Contains("where: \"topping IN ('🍍 pineapple', '🍓 strawberry', '🍌 banana')\"\n"));
  CHECK_THAT(out, Catch::Contains("      - {name: topping, expr: topping}\n"));
  CHECK_THAT(out, Catch::Contains("    columns: [pizzaName, additionalToppings]\n"));
  CHECK_THAT(out, Catch::Contains("  multiplier: 2.0\n"));
  // Key order follows the documented order, not the input's.
  CHECK(out.find("on_error:") < out.find("settings:"));
  CHECK(out.find("sources:") < out.find("operators:"));
  CHECK(out.find("operators:") < out.find("sinks:"));
}

// ---- random models -----------------------------------------------------------

namespace {

class RandomModel {
 public:
  explicit RandomModel(unsigned seed) : rng_(seed) {}

  PipelineSet set() {
    PipelineSet s;
    const int n = pick(1, 3);
    for (int i = 0; i < n; ++i) s.pipelines.push_back(pipeline("p" + std::to_string(i)));
    return s;
  }

 private:
  std::mt19937 rng_;

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool coin() { return pick(0, 1) == 1; }

  // Text that stresses quoting: YAML indicators, quotes, emoji, newlines,
  // words YAML would read as null/bool/number.
  std::string text() {
    static const std::vector<std::string> pieces = {
        "a",  "Z9", "_x", " ",  "'",  "\"", ":",  ": ", "#",  " #", "-",  "- ", "{",  "}",  "[",  "]",  ",",
        "&",  "*",  "!",  "|",  ">",  "%",  "@",  "`",  "?",  "\\", "\n", "\t", "🍍", "é",  "null", "~",
        "yes", "on", "010", "0x1F", "1e3", ".inf", "true", "<<", "=",  "(",  ")",  "/",  "+",  "😀 x"};
    std::string s;
    const int n = pick(1, 6);
    for (int i = 0; i < n; ++i) s += pieces[static_cast<size_t>(pick(0, static_cast<int>(pieces.size()) - 1))];
    return s;
  }
  // Expressions must not be blank.
  std::string expr_text() {
    std::string s = text();
    return s.find_first_not_of(" \t\n") == std::string::npos ? "x" + s : s;
  }
  Expr expr() { return Expr{expr_text(), {}}; }
  std::string ident() { return expr_text(); }
  Duration duration() {
    static const std::vector<std::pair<std::string, int64_t>> ds = {
        {"1s", 1000}, {"5 min", 300'000}, {"250ms", 250}, {"2h", 7'200'000}, {"1d", 86'400'000}};
    const auto& d = ds[static_cast<size_t>(pick(0, static_cast<int>(ds.size()) - 1))];
    return Duration{d.first, d.second, {}};
  }
  Options options() {
    Options o;
    const int n = pick(0, 3);
    for (int i = 0; i < n; ++i) o.push_back(Option{"k" + std::to_string(i) + text(), text(), {}});
    return o;
  }
  std::vector<Column> columns(bool allow_computed) {
    static const std::vector<std::string> types = {"INT", "STRING", "TIMESTAMP(3)", "ARRAY<ROW<a INT, b STRING>>",
                                                   "DECIMAL(10, 2)", "MAP<STRING, INT> NOT NULL"};
    std::vector<Column> cs;
    const int n = pick(1, 4);
    for (int i = 0; i < n; ++i) {
      Column c;
      c.name = "c" + std::to_string(i) + text();
      if (allow_computed && coin()) {
        c.expression = expr();
      } else {
        c.type = types[static_cast<size_t>(pick(0, static_cast<int>(types.size()) - 1))];
        if (coin()) {
          c.metadata = ident();
          c.is_virtual = coin();
        }
      }
      cs.push_back(std::move(c));
    }
    return cs;
  }
  std::vector<std::string> idents(int lo, int hi) {
    std::vector<std::string> v;
    const int n = pick(lo, hi);
    for (int i = 0; i < n; ++i) v.push_back(ident());
    return v;
  }
  std::vector<NamedExpr> named(int lo, int hi) {
    std::vector<NamedExpr> v;
    const int n = pick(lo, hi);
    for (int i = 0; i < n; ++i) v.push_back(NamedExpr{"n" + std::to_string(i) + text(), expr(), {}});
    return v;
  }
  std::vector<Aggregate> aggregates() {
    std::vector<Aggregate> v;
    const int n = pick(1, 3);
    for (int i = 0; i < n; ++i) {
      Aggregate a;
      a.name = "agg" + std::to_string(i);
      a.function = coin() ? "COUNT" : "LISTAGG";
      const int args = pick(0, 2);
      for (int k = 0; k < args; ++k) a.args.push_back(expr());
      a.distinct = coin();
      if (coin()) a.filter = expr();
      v.push_back(std::move(a));
    }
    return v;
  }
  // `session`: whether a session window may come out (window_aggregate's; the window kind refuses it).
  WindowSpec window(bool session = false) {
    WindowSpec w;
    w.kind = static_cast<WindowKind>(pick(0, session ? 3 : 2));
    w.time_column = ident();
    if (w.kind == WindowKind::Session) {
      w.gap = duration();
      return w;
    }
    w.size = Duration{"1h", 3'600'000, {}};
    if (w.kind == WindowKind::Hop) w.slide = duration();
    if (w.kind == WindowKind::Cumulate) w.step = Duration{"10min", 600'000, {}};
    if (coin()) w.offset = duration();
    return w;
  }
  OperatorBody body(OperatorType t) {
    switch (t) {
      case OperatorType::Unnest: {
        Unnest u{expr(), idents(2, 3), coin()};
        return u;
      }
      case OperatorType::Calc: {
        Calc c;
        if (coin()) c.where = expr();
        if (!c.where || coin()) c.select = named(1, 3);
        return c;
      }
      case OperatorType::GroupAggregate:
        return GroupAggregate{idents(1, 2), aggregates()};
      case OperatorType::WindowAggregate:
        return WindowAggregate{window(/*session=*/true), idents(0, 2), aggregates()};
      case OperatorType::Window:
        return Window{window()};
      case OperatorType::UpsertMaterialize:
        return UpsertMaterialize{};
      case OperatorType::MatchRecognize: {
        MatchRecognize r;
        r.partition_by = idents(0, 2);
        r.order_by = {OrderKey{ident(), coin(), {}}};
        r.measures = named(1, 2);
        r.after_match.skip = static_cast<AfterMatchSkip>(pick(0, 3));
        if (r.after_match.skip == AfterMatchSkip::ToFirst || r.after_match.skip == AfterMatchSkip::ToLast)
          r.after_match.variable = ident();
        r.pattern = expr();
        if (coin()) r.within = duration();
        r.define = named(0, 2);
        if (coin()) r.subset = {Subset{"S" + text(), idents(1, 2), {}}};
        return r;
      }
      case OperatorType::Deduplicate: {
        Deduplicate d;
        d.partition_by = idents(0, 2);
        d.order_by = ident();
        d.keep_last = coin();
        d.processing_time = coin();
        return d;
      }
      case OperatorType::TopN: {
        TopN t;
        t.partition_by = idents(0, 2);
        t.order_by.push_back({ident(), coin(), std::nullopt, {}});
        if (coin()) t.order_by.push_back({ident(), coin(), coin(), {}});
        t.processing_time = t.order_by.size() == 1 && !t.order_by[0].descending && coin();
        t.rank_start = coin() ? 1 : 2;
        t.rank_end = t.rank_start + (coin() ? 0 : 4);
        if (coin()) t.rank_column = ident();
        if (!t.processing_time && coin()) {
          t.window = TopNWindow{ident(), ident()};
          t.later_ties_first = coin();
        }
        return t;
      }
      case OperatorType::UnionAll:
        return UnionAll{};
      case OperatorType::Join: {
        Join j;
        j.join_type = coin() ? "inner" : coin() ? "left" : coin() ? "right" : "full";
        j.left_key = idents(1, 2);
        j.right_key = j.left_key;
        if (coin()) j.condition = expr();
        if (coin()) {
          j.time_bounds = Join::TimeBounds{ident(), ident(), -pick(0, 99), pick(0, 99)};
        } else if ((j.join_type == "inner" || j.join_type == "left") && coin()) {
          j.as_of = Join::AsOf{ident(), ident()};
        } else if (coin()) {  // INTERSECT / EXCEPT
          j.join_type = coin() ? "semi" : "anti";
          j.null_safe = coin();
        }
        return j;
      }
      case OperatorType::Replicate:
        return Replicate{ident()};
      case OperatorType::Expand: {
        Expand e;
        e.grouping = idents(1, 3);
        for (int n = pick(1, 3); n > 0; --n) {
          std::vector<std::string> kept;
          for (const auto& g : e.grouping)
            if (coin()) kept.push_back(g);
          e.sets.push_back(std::move(kept));
        }
        if (coin()) e.id_column = "e_" + std::to_string(pick(0, 99));
        return e;
      }
      case OperatorType::OverAggregate: {
        OverAggregate o;
        o.partition_by = idents(0, 2);
        o.order_by = ident();
        o.frame.unit = coin() ? OverFrameUnit::Rows : OverFrameUnit::Range;
        if (coin()) {
          if (o.frame.unit == OverFrameUnit::Rows) o.frame.rows = pick(0, 100);
          else o.frame.range = duration();
        }
        o.aggregates = aggregates();
        return o;
      }
    }
    return Calc{};
  }
  Pipeline pipeline(const std::string& name) {
    Pipeline p;
    p.name = name;
    if (coin()) p.description = text();
    p.parallelism = pick(1, 8);
    if (coin()) {
      RestartPolicy r;
      r.strategy = static_cast<RestartStrategy>(pick(0, 3));
      if (r.strategy == RestartStrategy::FixedDelay) {
        r.attempts = pick(1, 5);
        r.delay = duration();
      } else if (r.strategy == RestartStrategy::ExponentialDelay) {
        r.initial_delay = Duration{"1s", 1000, {}};
        r.max_delay = Duration{"1min", 60'000, {}};
        r.multiplier = 1.0 + pick(0, 40) / 8.0;
        r.jitter = pick(0, 10) / 10.0;
        if (coin()) r.reset_after = duration();
      } else if (r.strategy == RestartStrategy::FailureRate) {
        r.max_failures = pick(1, 5);
        r.interval = duration();
        r.delay = duration();
      }
      p.restart = r;
    }
    p.on_error = static_cast<OnError>(pick(0, 2));
    if (p.on_error == OnError::DeadLetter) p.dead_letter_topic = ident();
    if (coin()) p.settings = {Option{"time_zone", "Europe/Brussels", {}}, Option{"state_ttl", "1h", {}}};

    Source s;
    s.name = "src";
    s.connector = "kafka";
    s.format = "json";
    if (coin()) s.key_format = "raw";
    s.options = options();
    s.columns = columns(true);
    if (coin()) s.watermark = Watermark{s.columns[0].name, expr(), {}};
    if (coin()) s.primary_key = {s.columns[0].name};
    if (coin()) s.idle_timeout = duration();
    p.sources.push_back(std::move(s));

    std::string previous = "src";
    const int n = pick(0, 4);
    for (int i = 0; i < n; ++i) {
      Operator op;
      op.name = "op" + std::to_string(i);
      op.input = previous;
      if (coin()) op.parallelism = pick(1, 16);
      auto type = static_cast<OperatorType>(pick(0, static_cast<int>(std::variant_size_v<OperatorBody>) - 1));
      // A union reads the previous node and the source: it needs two different ones.
      const bool two_inputs = type == OperatorType::UnionAll || type == OperatorType::Join;
      if (two_inputs && previous == "src") type = OperatorType::Calc;
      else if (two_inputs) op.more_inputs = {"src"};
      if (type == OperatorType::UpsertMaterialize || coin()) op.key = idents(1, 2);
      op.body = body(type);
      previous = op.name;
      p.operators.push_back(std::move(op));
    }

    Sink k;
    k.name = "out";
    k.input = previous;
    k.connector = coin() ? "kafka" : "upsert-kafka";
    k.format = "json";
    k.options = options();
    k.columns = columns(false);
    if (k.connector == "upsert-kafka" || coin()) {
      k.key_format = "json";
      k.primary_key = {k.columns[0].name};
    }
    p.sinks.push_back(std::move(k));
    return p;
  }
};

}  // namespace

TEST_CASE("random models survive emit and load unchanged") {
  for (unsigned seed = 1; seed <= 300; ++seed) {
    INFO("seed " << seed);
    const PipelineSet set = RandomModel(seed).set();
    const std::string text = emit_pipelines_yaml(set);
    INFO(text);
    PipelineSet reloaded;
    REQUIRE_NOTHROW(reloaded = load_pipelines_yaml(text, "random.yaml"));
    REQUIRE(reloaded == set);
  }
}
