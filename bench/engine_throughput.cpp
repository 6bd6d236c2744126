// engine_throughput: in-process throughput and memory of the tutorial's
// pipelines, as ratios to a reference measured in the same run.
//
//   engine_throughput --data pizzas.kv [--orders N] [--runs R] [--batch-rows 1000]
//                     [--apps 01-basic-filtering,...] [--memory-cycles 5] [--skip-memory]
//
// Throughput: every round runs the reference (simdjson On Demand parse-only of
// the same orders, bench/engine/parse_only.hpp) and then each pipeline over the
// same orders (source decoder -> operators -> sink encoding, batched like the
// worker, bench/engine/batched_runner.hpp), so reference and subjects are
// interleaved and share the machine's load. Rates are orders per second of
// this thread's CPU time (= per core; robust to preemption on a shared
// machine) and, for comparison, of wall time. Ratio = median engine rate /
// median parse-only rate (docs/performance.md target T2: >= 0.5 for filtering).
//
// Memory: each pipeline runs in a child process (a fresh heap and peak) over
// the orders replayed `--memory-cycles` times, each replay shifted in event
// time and id so it consists of new orders; VmRSS/VmHWM after the first and
// after the last replay give the growth (target: flat for filtering and
// windowing) and, for the aggregating app, bytes of RSS per new group.
//
// Output: "FIGURE name median unit ..." lines (as bench/e2e_filter.sh prints)
// and "#" comment lines. Exit 0 ok, 1 bad input or a failing run, 2 usage.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/engine/batched_runner.hpp"
#include "bench/engine/order_data.hpp"
#include "bench/engine/parse_only.hpp"
#include "bench/engine/process_stats.hpp"
#include "core/diagnostic.hpp"
#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/input_files.hpp"
#include "pipelines/sql/planner.hpp"

namespace {

using namespace ananas;
using namespace ananas::bench;

constexpr int kExitOk = 0, kExitInvalid = 1, kExitUsage = 2;
constexpr const char* kTopic = "pizzas";
constexpr unsigned kChildTimeoutSeconds = 600;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Options {
  std::string data;
  std::string examples = ANANAS_SOURCE_DIR "/pipelines/examples";
  std::vector<std::string> apps = {"01-basic-filtering", "02-aggregating", "03-windowing", "04-trends",
                                   "04-trends-up-down"};
  size_t orders = 200000;
  size_t runs = 5;
  size_t batch_rows = 1000;
  size_t memory_cycles = 5;
  bool memory = true;
};

constexpr const char* kUsage =
    "usage: engine_throughput --data FILE [--orders N] [--runs R] [--batch-rows B]\n"
    "                         [--apps a,b,...] [--examples DIR] [--memory-cycles C] [--skip-memory]\n"
    "  --data FILE        orders from `ananas generate --output` (key<TAB>value lines, or values only)\n"
    "  --orders N         orders to use from FILE (default 200000; 0 = all)\n"
    "  --runs R           interleaved rounds (default 5)\n"
    "  --batch-rows B     rows per source batch (default 1000)\n"
    "  --apps LIST        application JSON names in --examples (default: the five tutorial apps)\n"
    "  --examples DIR     where the apps are (default: pipelines/examples of the source tree)\n"
    "  --memory-cycles C  replays of the orders in the memory runs (default 5)\n"
    "  --skip-memory      throughput only\n";

size_t parse_count(const std::string& flag, const std::string& text, size_t min) {
  size_t used = 0;
  unsigned long long v = 0;
  try {
    v = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || text[0] == '-' || v < min)
    throw UsageError(flag + " expects a whole number >= " + std::to_string(min) + ", got '" + text + "'");
  return static_cast<size_t>(v);
}

std::vector<std::string> split_list(const std::string& flag, const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (item.empty()) throw UsageError(flag + " has an empty name in '" + text + "'");
    out.push_back(item);
  }
  if (out.empty()) throw UsageError(flag + " needs at least one name");
  return out;
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(kExitOk);
    }
    if (flag == "--skip-memory") {
      o.memory = false;
      continue;
    }
    if (i + 1 >= argc) throw UsageError("unknown flag or missing value: '" + flag + "'");
    std::string value = argv[++i];
    if (flag == "--data") o.data = value;
    else if (flag == "--examples") o.examples = value;
    else if (flag == "--apps") o.apps = split_list(flag, value);
    else if (flag == "--orders") o.orders = parse_count(flag, value, 0);
    else if (flag == "--runs") o.runs = parse_count(flag, value, 1);
    else if (flag == "--batch-rows") o.batch_rows = parse_count(flag, value, 1);
    else if (flag == "--memory-cycles") o.memory_cycles = parse_count(flag, value, 2);
    else throw UsageError("unknown flag '" + flag + "'");
  }
  if (o.data.empty()) throw UsageError("--data FILE is required");
  return o;
}

// One tutorial application, built once; each run makes fresh operators from it.
struct App {
  std::string name;
  pipeline::PipelineSet set;
  pipeline::BuiltPipeline built;
  uint64_t row_errors = 0;  // rows an operator failed on (a CAST, a division)
};

std::unique_ptr<App> load_app(const Options& o, const std::string& name) {
  auto app = std::make_unique<App>();
  app->name = name;
  app->set = pipeline::load_input(pipeline::read_input(o.examples + "/" + name + ".json"));
  if (app->set.pipelines.size() != 1)
    throw std::runtime_error(name + ": expected one pipeline, got " + std::to_string(app->set.pipelines.size()));
  App* self = app.get();
  app->built = pipeline::build_pipeline(app->set.pipelines[0],
                                        [self](const std::string&, const ops::RowError&) { ++self->row_errors; });
  return app;
}

struct Timing {
  double wall_s = 0;
  double cpu_s = 0;
};

template <typename F>
Timing timed(F&& work) {
  double w0 = wall_seconds(), c0 = thread_cpu_seconds();
  work();
  return {wall_seconds() - w0, thread_cpu_seconds() - c0};
}

struct Samples {
  std::vector<double> per_cpu_s, per_wall_s;
  // Clocks tick in nanoseconds at best; a floor keeps a tiny run from dividing by zero.
  void add(size_t orders, const Timing& t) {
    per_cpu_s.push_back(static_cast<double>(orders) / std::max(t.cpu_s, 1e-9));
    per_wall_s.push_back(static_cast<double>(orders) / std::max(t.wall_s, 1e-9));
  }
};

std::string join(const std::vector<double>& v) {
  std::ostringstream s;
  s.precision(0);
  s << std::fixed;
  for (size_t i = 0; i < v.size(); ++i) s << (i ? " " : "") << v[i];
  return s.str();
}

void figure(const std::string& name, const std::vector<double>& runs, const char* unit, const std::string& note) {
  double best = 0;
  for (double v : runs) best = std::max(best, v);
  std::printf("FIGURE %-48s %12.0f %-13s best=%.0f runs=[%s] %s\n", name.c_str(), median(runs), unit, best,
              join(runs).c_str(), note.c_str());
}

// Every run of one app over the same data must write the same records: a
// difference means state leaked between runs or the result is not deterministic.
struct Expected {
  bool set = false;
  EngineCounters counters;
};

void check_run(const App& app, const EngineCounters& c, Expected& expected) {
  if (c.bad_records || app.row_errors)
    throw std::runtime_error(app.name + ": " + std::to_string(c.bad_records) + " bad records and " +
                             std::to_string(app.row_errors) + " failing rows on generated orders");
  if (!expected.set) {
    expected = {true, c};
    return;
  }
  if (c.sink_records != expected.counters.sink_records || c.sink_bytes != expected.counters.sink_bytes)
    throw std::runtime_error(app.name + ": a run wrote " + std::to_string(c.sink_records) + " records / " +
                             std::to_string(c.sink_bytes) + " bytes, an earlier one " +
                             std::to_string(expected.counters.sink_records) + " / " +
                             std::to_string(expected.counters.sink_bytes));
}

void throughput(const Options& o, const OrderData& data, const std::vector<std::unique_ptr<App>>& apps) {
  const size_t n = data.records.size();
  Samples reference;
  std::vector<Samples> engine(apps.size());
  std::vector<std::vector<double>> round_ratios(apps.size());
  std::vector<Expected> expected(apps.size());
  ParseTally tally;
  std::printf("# throughput: %zu rounds, each = parse-only reference, then every app (batches of %zu rows)\n", o.runs,
              o.batch_rows);
  for (size_t round = 0; round < o.runs; ++round) {
    std::printf("# round %zu load %s\n", round + 1, load_average().c_str());
    std::fflush(stdout);
    Timing ref = timed([&] { tally = parse_only(data); });
    if (tally.errors || tally.records != n)
      throw std::runtime_error("parse-only reference failed on " + std::to_string(tally.errors) + " of " +
                               std::to_string(n) + " orders");
    reference.add(n, ref);
    for (size_t a = 0; a < apps.size(); ++a) {
      BatchedRunner runner(apps[a]->built, kTopic, o.batch_rows);  // operators made outside the timing
      Timing t = timed([&] {
        runner.feed(data, 0);
        runner.finish();
      });
      check_run(*apps[a], runner.counters(), expected[a]);
      engine[a].add(n, t);
      round_ratios[a].push_back(ref.cpu_s / std::max(t.cpu_s, 1e-9));
    }
  }
  std::printf("# parse-only: %llu toppings, %llu anomalous (%.2f per order)\n",
              static_cast<unsigned long long>(tally.toppings), static_cast<unsigned long long>(tally.anomalies),
              static_cast<double>(tally.anomalies) / static_cast<double>(n));
  figure("parse_only_orders_per_cpu_s", reference.per_cpu_s, "orders/s/core",
         "(simdjson On Demand, copy + iterate + toppings)");
  figure("parse_only_orders_per_wall_s", reference.per_wall_s, "orders/s", "");
  for (size_t a = 0; a < apps.size(); ++a) {
    const auto& c = expected[a].counters;
    std::ostringstream note;
    note << "(" << c.sink_records << " sink records, " << c.sink_bytes << " bytes)";
    figure("engine_" + apps[a]->name + "_orders_per_cpu_s", engine[a].per_cpu_s, "orders/s/core", note.str());
    figure("engine_" + apps[a]->name + "_orders_per_wall_s", engine[a].per_wall_s, "orders/s", "");
    double ratio = median(engine[a].per_cpu_s) / median(reference.per_cpu_s);
    std::ostringstream rounds;
    rounds.precision(3);
    rounds << std::fixed;
    for (size_t i = 0; i < round_ratios[a].size(); ++i) rounds << (i ? " " : "") << round_ratios[a][i];
    std::printf("FIGURE %-48s %12.3f %-13s per-round=[%s] median-of-rounds=%.3f\n",
                ("ratio_engine_" + apps[a]->name + "_to_parse_only").c_str(), ratio, "x", rounds.str().c_str(),
                median(round_ratios[a]));
  }
  std::fflush(stdout);
}

double mib(uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

// What the memory figures count as state: the groups of a non-windowed
// GROUP BY when the app has one (the aggregating app's "bytes per group"),
// otherwise every operator's entries (windows, buffered rows, partial matches).
struct StateCount {
  uint64_t entries = 0;
  uint64_t bytes = 0;  // the operators' own estimate
  std::string what;
};

StateCount count_all_state(const std::vector<OperatorState>& states) {
  StateCount all{0, 0, "state entries"};
  for (const auto& s : states) {
    all.entries += s.stats.state_entries;
    all.bytes += s.stats.state_bytes;
  }
  return all;
}

StateCount count_state(const std::vector<OperatorState>& states) {
  StateCount groups{0, 0, "groups"};
  bool has_groups = false;
  for (const auto& s : states) {
    if (s.kind == "group_aggregate") {
      has_groups = true;
      groups.entries += s.stats.state_entries;
      groups.bytes += s.stats.state_bytes;
    }
  }
  return has_groups ? groups : count_all_state(states);
}

std::string describe_states(const std::vector<OperatorState>& states) {
  std::ostringstream s;
  for (const auto& st : states)
    if (st.stats.state_entries)
      s << " " << st.name << "(" << st.kind << ")=" << st.stats.state_entries << "/" << st.stats.state_bytes << "B";
  return s.str().empty() ? " none" : s.str();
}

// Runs in a forked child: a fresh process image shares nothing with the
// throughput runs' heap, so its RSS and peak describe this app alone.
void memory_child(const Options& o, const OrderData& data, const App& app) {
  BatchedRunner runner(app.built, kTopic, o.batch_rows);
  const MemoryUsage start = memory_usage();
  MemoryUsage first{};
  std::vector<OperatorState> states_first;
  for (size_t cycle = 0; cycle < o.memory_cycles; ++cycle) {
    int64_t shift = static_cast<int64_t>(cycle) * data.time_span_ms;
    runner.feed(data, shift, static_cast<int64_t>(cycle * data.records.size()));
    if (cycle == 0) {
      first = memory_usage();
      states_first = runner.operator_states();
    }
  }
  const MemoryUsage last = memory_usage();
  const std::vector<OperatorState> states_last = runner.operator_states();
  if (runner.counters().bad_records || app.row_errors)
    throw std::runtime_error(app.name + ": bad records or failing rows in the memory run");

  std::printf("# %s: VmRSS start %.1f MiB, after 1x %.1f MiB (VmHWM %.1f), after %zux %.1f MiB (VmHWM %.1f)\n",
              app.name.c_str(), mib(start.rss_bytes), mib(first.rss_bytes), mib(first.peak_bytes), o.memory_cycles,
              mib(last.rss_bytes), mib(last.peak_bytes));
  std::printf("# %s: operator state (entries/estimated bytes) after 1x:%s; after %zux:%s\n", app.name.c_str(),
              describe_states(states_first).c_str(), o.memory_cycles, describe_states(states_last).c_str());
  const double peak_growth = mib(last.peak_bytes) - mib(first.peak_bytes);
  std::printf("FIGURE %-48s %12.1f %-13s (VmHWM after %zux - after 1x of %zu orders)\n",
              ("mem_" + app.name + "_peak_growth_1x_to_" + std::to_string(o.memory_cycles) + "x").c_str(), peak_growth,
              "MiB", o.memory_cycles, data.records.size());
  const StateCount before = count_state(states_first), after = count_state(states_last);
  if (after.entries > before.entries) {
    const double added = static_cast<double>(after.entries - before.entries);
    const double rss_delta = static_cast<double>(last.rss_bytes) - static_cast<double>(first.rss_bytes);
    const StateCount all_before = count_all_state(states_first), all_after = count_all_state(states_last);
    std::printf("FIGURE %-48s %12.0f %-13s (dVmRSS / d%s, %.0f added; operators' own estimate per added %s: "
                "%.0f B, %.0f B with every operator's state)\n",
                ("mem_" + app.name + "_bytes_per_" + (after.what == "groups" ? "group" : "state_entry")).c_str(),
                rss_delta / added, "B", after.what.c_str(), added, after.what.c_str(),
                static_cast<double>(after.bytes - before.bytes) / added,
                static_cast<double>(all_after.bytes - all_before.bytes) / added);
  }
  std::fflush(stdout);
}

void memory(const Options& o, const OrderData& data, const std::vector<std::unique_ptr<App>>& apps) {
  std::printf("# memory: each app in a child process over %zu replays of %zu orders, load %s\n", o.memory_cycles,
              data.records.size(), load_average().c_str());
  for (const auto& app : apps) {
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t child = fork();
    if (child < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
    if (child == 0) {
      alarm(kChildTimeoutSeconds);  // a hung child must not outlive a hand-run bench
      int rc = kExitOk;
      try {
        memory_child(o, data, *app);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "engine_throughput: memory run of %s: %s\n", app->name.c_str(), e.what());
        rc = kExitInvalid;
      }
      std::fflush(stdout);
      _exit(rc);
    }
    int status = 0;
    if (waitpid(child, &status, 0) != child) throw std::runtime_error("waitpid failed");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != kExitOk)
      throw std::runtime_error("memory run of " + app->name + " failed (status " + std::to_string(status) + ")");
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse_options(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "engine_throughput: " << e.what() << "\n" << kUsage;
    return kExitUsage;
  }
  try {
    OrderData data = load_orders(o.data, o.orders);
    std::vector<std::unique_ptr<App>> apps;
    for (const auto& name : o.apps) apps.push_back(load_app(o, name));
    std::printf("# engine_throughput: %zu orders from %s (mean %.1f bytes), load %s\n", data.records.size(),
                o.data.c_str(), static_cast<double>(data.value_bytes()) / static_cast<double>(data.records.size()),
                load_average().c_str());
    throughput(o, data, apps);
    if (o.memory) memory(o, data, apps);
    std::printf("# done, load %s\n", load_average().c_str());
    return kExitOk;
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "engine_throughput: " << e.what() << "\n";
  }
  return kExitInvalid;
}
