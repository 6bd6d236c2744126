#pragma once
// The pieces the YAML emitter writes with, shared by emit.cpp and the
// operator kinds' emit hooks (pipelines/operator_kinds/): block-style lines at
// an indentation, and flow-style `{k: v}` / `[a, b]` for one-line items.
#include <string>
#include <string_view>
#include <vector>

#include "pipelines/model.hpp"
#include "pipelines/yaml/scalar_style.hpp"

namespace ananas::pipeline::yaml {

// Builds `{k: v, k: v}` for one-line items.
class Flow {
 public:
  Flow& add(std::string_view key, std::string_view value) {
    parts_ += (parts_.empty() ? "" : ", ") + std::string(key) + ": " + yaml_scalar(value);
    return *this;
  }
  Flow& add_raw(std::string_view key, const std::string& raw) {
    parts_ += (parts_.empty() ? "" : ", ") + std::string(key) + ": " + raw;
    return *this;
  }
  std::string str() const { return "{" + parts_ + "}"; }

 private:
  std::string parts_;
};

inline std::string flow_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + yaml_scalar(items[i]);
  return out + "]";
}

// Appends block-style lines at a given indentation.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void line(int indent, std::string_view text) {
    out_.append(static_cast<size_t>(indent), ' ');
    out_ += text;
    out_ += '\n';
  }
  void scalar(int indent, std::string_view key, std::string_view value) {
    line(indent, std::string(key) + ": " + yaml_scalar(value));
  }
  void raw(int indent, std::string_view key, const std::string& value) { line(indent, std::string(key) + ": " + value); }
  void key(int indent, std::string_view key) { line(indent, std::string(key) + ":"); }
  // A list item whose first line is `- <text>`; returns the indentation of its further keys.
  int item(int indent, std::string_view text) {
    line(indent, "- " + std::string(text));
    return indent + 2;
  }
  void string_map(int indent, std::string_view key, const Options& entries) {
    if (entries.empty()) return;
    this->key(indent, key);
    for (const auto& e : entries) line(indent + 2, yaml_scalar(e.key) + ": " + yaml_scalar(e.value));
  }

 private:
  std::string& out_;
};

}  // namespace ananas::pipeline::yaml
