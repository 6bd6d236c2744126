#pragma once
// The tutorial's five apps as the multi-app end-to-end tests run them: one
// worker (or one group of workers) runs all five, so 04-trends-up-down writes
// a topic of its own instead of sharing 04-trends' (the tutorial runs them
// one at a time).
#include <string>
#include <utility>
#include <vector>

#include "e2e_process.hpp"

namespace ananas::e2e {

struct App {
  std::string pipeline, file, topic;
  bool append = false;  // an append sink (the filter); the others are upsert-kafka
};

// pipelines/examples/<yaml> with each (from, to) replaced once, written into
// `dir` (throws when a `from` is not there).
std::string edited_example(const ScratchDir& dir, const std::string& yaml,
                           const std::vector<std::pair<std::string, std::string>>& edits);

// 01, 02, 03, 04-trends and 04-trends-up-down (writing
// pizza_stream_out_trends_up_down), files in `dir` where edited.
std::vector<App> tutorial_apps(const ScratchDir& dir);

std::vector<std::string> topics_of(const std::vector<App>& apps);
std::vector<std::string> files_of(const std::vector<App>& apps);

// Whether every app has completed a checkpoint in the worker process at
// `base_url` (the counter starts at 0 in each process).
bool all_checkpointed(const std::string& base_url, const std::vector<App>& apps);

// Catch checks that each app's output topic (dumped into `dir`) equals what
// the offline oracle computes from `input_dump`: upsert sinks as final
// tables, append sinks as multisets with nothing duplicated or missing.
// `counts`: the records each output holds (none would prove little);
// `tag` prefixes the printed append figures.
void check_outputs_equal_oracle(const ScratchDir& dir, const std::string& bootstrap, const std::vector<App>& apps,
                                const std::vector<size_t>& counts, const std::string& input_dump,
                                const std::string& tag);

}  // namespace ananas::e2e
