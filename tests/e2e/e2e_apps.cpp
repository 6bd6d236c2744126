#include "e2e_apps.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "e2e_kafka.hpp"
#include "e2e_oracle.hpp"

namespace ananas::e2e {

std::string edited_example(const ScratchDir& dir, const std::string& yaml,
                           const std::vector<std::pair<std::string, std::string>>& edits) {
  std::string text = read_text(example(yaml));
  for (const auto& [from, to] : edits) {
    const size_t at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error(yaml + " has no '" + from + "'");
    text.replace(at, from.size(), to);
  }
  const std::string path = dir.file(yaml);
  write_text(path, text);
  return path;
}

std::vector<App> tutorial_apps(const ScratchDir& dir) {
  return {{"01-basic-filtering", example("01-basic-filtering.yaml"), "pizza_stream_out_filter", true},
          {"02-aggregating", example("02-aggregating.yaml"), "pizza_stream_out_agg"},
          {"03-windowing", example("03-windowing.yaml"), "pizza_stream_out_agg_windows"},
          {"04-trends", example("04-trends.yaml"), "pizza_stream_out_trends"},
          {"04-trends-up-down",
           edited_example(dir, "04-trends-up-down.yaml",
                          {{"topic: pizza_stream_out_trends\n", "topic: pizza_stream_out_trends_up_down\n"}}),
           "pizza_stream_out_trends_up_down"}};
}

std::vector<std::string> topics_of(const std::vector<App>& apps) {
  std::vector<std::string> out;
  for (const auto& a : apps) out.push_back(a.topic);
  return out;
}

std::vector<std::string> files_of(const std::vector<App>& apps) {
  std::vector<std::string> out;
  for (const auto& a : apps) out.push_back(a.file);
  return out;
}

bool all_checkpointed(const std::string& base_url, const std::vector<App>& apps) {
  const std::string metrics = http_get(base_url + "/metrics").second;
  for (const auto& a : apps)
    if (metric_sum(metrics, "ananas_checkpoints_total", "pipeline=\"" + a.pipeline + "\",result=\"completed\"") < 1)
      return false;
  return true;
}

void check_outputs_equal_oracle(const ScratchDir& dir, const std::string& bootstrap, const std::vector<App>& apps,
                                const std::vector<size_t>& counts, const std::string& input_dump,
                                const std::string& tag) {
  // A few quiet seconds do not prove an output complete on a loaded machine
  // (a part that just moved restores its state first), so a mismatch is
  // looked at again until kLateOutput has passed; the wait is printed, and a
  // mismatch that outlasts it fails.
  constexpr auto kLateOutput = std::chrono::seconds(60);
  for (size_t i = 0; i < apps.size(); ++i) {
    const App& a = apps[i];
    INFO(a.pipeline << ": " << counts.at(i) << " output records");
    CHECK(counts.at(i) > 0);
    const std::string dump = dir.file(a.topic + ".jsonl");
    const auto started = std::chrono::steady_clock::now();
    std::string report;
    int code = 0;
    AppendComparison c;
    for (;;) {
      kcat_dump(bootstrap, a.topic, dump);
      report.clear();
      code = oracle_test(a.file, input_dump, dump, report);
      if (a.append) c = compare_append_output(a.file, input_dump, dump);
      const bool equal = code == 0 && (!a.append || c.problems.empty());
      const auto waited = std::chrono::steady_clock::now() - started;
      if (equal || waited >= kLateOutput) {
        if (waited >= std::chrono::seconds(1))
          std::cout << tag << ": " << a.pipeline << "'s output " << (equal ? "equalled" : "still differed from")
                    << " the oracle's after "
                    << std::chrono::duration_cast<std::chrono::seconds>(waited).count() << " s more\n";
        break;
      }
      std::this_thread::sleep_for(std::chrono::seconds(2));
    }
    INFO(report);
    CHECK(code == 0);  // upsert: final tables equal; append: multisets equal
    if (a.append) {
      std::cout << tag << ": " << a.pipeline << " wrote " << c.output_records << " rows, the oracle "
                << c.oracle_records << "; " << c.duplicated << " duplicated, " << c.missing << " missing\n";
      CHECK(c.problems == "");
    }
  }
}

}  // namespace ananas::e2e
