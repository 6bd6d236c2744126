#include "state/state_topics.hpp"

#include <cstdio>

#include "operators/operator_snapshot.hpp"

namespace ananas::state {
namespace {

bool legal(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

std::string topic_part(const std::string& name) {
  std::string out = name;
  bool changed = false;
  for (char& c : out)
    if (!legal(c)) {
      c = '_';
      changed = true;
    }
  if (!changed) return out;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "-%08x", static_cast<unsigned>(ops::layout_fingerprint(name) & 0xffffffffu));
  return out + suffix;
}

}  // namespace

std::string checkpoints_topic(const std::string& pipeline) { return "ananas-" + topic_part(pipeline) + "-checkpoints"; }

std::string lease_topic(const std::string& pipeline) { return "ananas-" + topic_part(pipeline) + "-lease"; }

std::string changelog_topic(const std::string& pipeline, const std::string& operator_name) {
  return "ananas-" + topic_part(pipeline) + "-" + topic_part(operator_name) + "-changelog";
}

std::string exchange_topic(const std::string& pipeline, const std::string& operator_name) {
  return "ananas-" + topic_part(pipeline) + "-" + topic_part(operator_name) + "-exchange";
}

}  // namespace ananas::state
