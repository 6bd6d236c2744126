#include "pipelines/replay/output_compare.hpp"

#include <map>
#include <set>

namespace ananas::pipeline {

std::map<std::string, std::string> final_table(const std::vector<OutputRecord>& records, const std::string& topic) {
  std::map<std::string, std::string> table;
  for (const auto& r : records) {
    if (r.topic != topic) continue;
    std::string key = r.key.value_or("null");
    if (r.value) table[key] = *r.value;
    else table.erase(key);
  }
  return table;
}

static std::string show(const std::optional<std::string>& s) { return s ? *s : "null"; }

std::string compare_outputs(const BuiltPipeline& pipeline, const std::vector<OutputRecord>& actual,
                            const std::vector<OutputRecord>& expected) {
  std::string diff;
  std::set<std::string> topics;
  for (const auto& s : pipeline.sinks) topics.insert(s.topic);
  for (const auto& r : expected)
    if (!topics.count(r.topic)) diff += "expected records for topic '" + r.topic + "', which no sink of the pipeline writes\n";
  for (const auto& s : pipeline.sinks) {
    if (s.upsert) {
      auto want = final_table(expected, s.topic), got = final_table(actual, s.topic);
      for (const auto& [k, v] : want) {
        auto it = got.find(k);
        if (it == got.end()) diff += "- " + s.topic + " key " + k + ": missing, expected " + v + "\n";
        else if (it->second != v) diff += "~ " + s.topic + " key " + k + ":\n    expected " + v + "\n    actual   " + it->second + "\n";
      }
      for (const auto& [k, v] : got)
        if (!want.count(k)) diff += "+ " + s.topic + " key " + k + ": unexpected " + v + "\n";
    } else {
      std::multiset<std::pair<std::string, std::string>> want, got;
      for (const auto& r : expected)
        if (r.topic == s.topic) want.insert({show(r.key), show(r.value)});
      for (const auto& r : actual)
        if (r.topic == s.topic) got.insert({show(r.key), show(r.value)});
      for (const auto& w : want) {
        auto it = got.find(w);
        if (it != got.end()) got.erase(it);
        else diff += "- " + s.topic + ": missing " + w.second + (w.first == "null" ? "" : " (key " + w.first + ")") + "\n";
      }
      for (const auto& g : got) diff += "+ " + s.topic + ": unexpected " + g.second + (g.first == "null" ? "" : " (key " + g.first + ")") + "\n";
    }
  }
  return diff;
}

}  // namespace ananas::pipeline
