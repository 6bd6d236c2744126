// ananas replay / ananas test: run a pipeline offline over a `kcat -C -J` dump
// (deterministic: see pipelines/replay/local_runner.hpp), print the output
// records in the same line shape, or compare them with an expected file.
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/loading.hpp"
#include "cli/report.hpp"
#include "core/json/kcat_lines.hpp"
#include "core/processing_clock.hpp"
#include "core/timefmt.hpp"
#include "pipelines/replay/local_runner.hpp"
#include "pipelines/replay/output_compare.hpp"

namespace ananas::cli {
namespace {

// Records of a `kcat -C -J` dump. Each needs its topic: in the input it picks
// the sources that read the record, in expected output the sink that wrote it.
std::vector<KcatRecord> read_kcat_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path}, "cannot read file");
  std::vector<KcatRecord> out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    out.push_back(parse_kcat_line(line, n, path));
    if (out.back().topic.empty())
      throw InputError({path, n, 1}, "record has no \"topic\" member (kcat -C -J writes it; it says which sources read "
                                     "the record)");
  }
  return out;
}

// Says which input records no source reads (their topic is not a source's),
// so that a dump of the wrong topic does not look like a pipeline that found nothing.
void warn_unread_topics(const std::vector<KcatRecord>& records, const pipeline::BuiltPipeline& built,
                        const std::string& file) {
  std::set<std::string> read;
  for (const auto& s : built.sources) read.insert(s.topics.begin(), s.topics.end());
  std::map<std::string, size_t> unread;
  for (const auto& r : records)
    if (!read.count(r.topic)) ++unread[r.topic];
  std::string list;
  for (const auto& t : read) list += (list.empty() ? "" : ", ") + t;
  for (const auto& [topic, count] : unread)
    std::cerr << file << ": warning: " << count << " record(s) of topic '" << topic << "' skipped: no source of pipeline '"
              << built.model->name << "' reads it (its sources read: " << (list.empty() ? "no topic" : list) << ")\n";
}

struct Run {
  std::unique_ptr<LoadedPipelines> loaded;
  std::unique_ptr<pipeline::LocalRunner> runner;
  std::vector<pipeline::BadRecord> row_errors;
};

// --now fixes what CURRENT_TIMESTAMP, NOW(), LOCALTIMESTAMP and PROCTIME()
// return, so a run that projects them is reproducible; without it they read
// the wall clock, as in the worker.
void fix_now(const Args& args) {
  if (!args.has("now")) return;
  std::optional<int64_t> ms = parse_timestamp(args.get("now"));
  if (!ms) throw UsageError("--now expects a timestamp like '2024-01-01 12:00:00' (UTC), got '" + args.get("now") + "'");
  fix_processing_time(*ms);
}

Run run_pipeline(const Args& args) {
  fix_now(args);
  Run r;
  auto errors = std::make_shared<std::vector<pipeline::BadRecord>>();
  r.loaded = load_and_build({args.rest()[0]}, [errors](const std::string& node, const ops::RowError& e) {
    errors->push_back({"operator " + node, e.message});
  });
  print_warnings(r.loaded->warnings);
  const auto& built = pick_pipeline(*r.loaded, args.get("pipeline"));
  auto records = read_kcat_file(args.get("input"));
  warn_unread_topics(records, built, args.get("input"));
  r.runner = std::make_unique<pipeline::LocalRunner>(built);
  r.runner->run(records);
  r.row_errors = *errors;
  for (const auto& b : r.runner->bad_records()) std::cerr << "bad record " << b.where << ": " << b.message << "\n";
  for (const auto& b : r.row_errors) std::cerr << "bad row in " << b.where << ": " << b.message << "\n";
  return r;
}

KcatRecord as_kcat(const pipeline::OutputRecord& o) {
  KcatRecord k;
  k.topic = o.topic;
  k.key = o.key;
  k.payload = o.value;
  k.tstype = "none";
  return k;
}

void add_common(Args& args) {
  args.option("input", "FILE", "input records, one `kcat -C -J` line each (the topic picks the source)", "i")
      .option("pipeline", "NAME", "the pipeline to run when the file holds several")
      .option("now", "TIMESTAMP",
              "processing time, e.g. '2024-01-01 12:00:00' (UTC), for CURRENT_TIMESTAMP, NOW(), "
              "LOCALTIMESTAMP, PROCTIME() (default: the wall clock)")
      .positionals("PIPELINE", "pipeline YAML, Flink SQL script or application JSON", 1, 1);
}

int run_replay(int argc, char** argv) {
  Args args("ananas replay PIPELINE --input FILE",
            "Runs PIPELINE over the records in FILE, in file order, without Kafka, and prints every output\n"
            "record as a `kcat -C -J`-style line (topic = the sink topic; \"payload\":null is a tombstone).\n"
            "Watermarks advance after every record; the end of FILE fires everything. Malformed records\n"
            "are reported on stderr and skipped.");
  add_common(args);
  if (!args.parse(argc, argv, std::cout)) return kExitOk;
  if (!args.has("input")) throw UsageError("--input is required");
  try {
    Run r = run_pipeline(args);
    for (const auto& o : r.runner->outputs()) std::cout << format_kcat_line(as_kcat(o)) << "\n";
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitInvalid;
  }
  return kExitOk;
}

int run_test(int argc, char** argv) {
  Args args("ananas test PIPELINE --input FILE --expect FILE",
            "Runs PIPELINE like `ananas replay` and compares the final output with the expected records\n"
            "(same line shape; partition/offset/ts are ignored): upsert sinks as the final table per key,\n"
            "append sinks as a multiset of records. Prints a readable diff; exit 0 only on a match.");
  add_common(args);
  args.option("expect", "FILE", "expected output records, `kcat -C -J` lines", "e");
  if (!args.parse(argc, argv, std::cout)) return kExitOk;
  if (!args.has("input") || !args.has("expect")) throw UsageError("--input and --expect are required");
  try {
    Run r = run_pipeline(args);
    const auto& built = pick_pipeline(*r.loaded, args.get("pipeline"));
    std::vector<pipeline::OutputRecord> expected;
    for (const auto& k : read_kcat_file(args.get("expect"))) expected.push_back({k.topic, k.key, k.payload});
    auto diff = pipeline::compare_outputs(built, r.runner->outputs(), expected);
    if (diff.empty()) {
      std::cout << "ok: " << r.runner->outputs().size() << " output record(s) match\n";
      return kExitOk;
    }
    std::cout << diff;
    return kExitInvalid;
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitInvalid;
  }
}

}  // namespace
ANANAS_COMMAND(replay, "replay", "run a pipeline offline over a kcat -J dump", run_replay);
ANANAS_COMMAND(test, "test", "compare a pipeline's offline output with expected records", run_test);
}  // namespace ananas::cli
