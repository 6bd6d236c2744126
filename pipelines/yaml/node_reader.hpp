#pragma once
// Strict, located reading of yaml-cpp nodes. yaml-cpp accepts duplicate keys,
// reads `yes`/`on` as booleans and `010` as octal, and throws on Mark() of a
// missing node; these helpers close those gaps and turn every problem into an
// InputError `file:line:column: <path>: <message>`.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "pipelines/model.hpp"
#include "pipelines/yaml/source_text.hpp"

namespace ananas::pipeline::yaml {

// "a mapping", "a list", "a string", "null": how a node kind reads in a message.
std::string describe_kind(const YAML::Node& node);

// Reads scalars and lists at one node; `path` names it in messages
// (`operators[2] (unnest_pizzas).select[0]`).
class NodeReader {
 public:
  // `fallback` is reported when the node has no mark of its own (an empty value).
  NodeReader(const SourceText& src, YAML::Node node, std::string path, SourceLocation fallback = {})
      : src_(&src), node_(std::move(node)), path_(std::move(path)), fallback_(std::move(fallback)) {}

  const YAML::Node& node() const { return node_; }
  const std::string& path() const { return path_; }
  const SourceText& source() const { return *src_; }
  SourceLocation location() const { return located(node_); }
  SourceLocation located(const YAML::Node& at) const;
  // Where the scalar's text starts (after a quote, or a block scalar's first line).
  SourceLocation content_location() const;

  [[noreturn]] void fail(const std::string& message) const;
  [[noreturn]] void fail_at(const YAML::Node& at, const std::string& message) const;

  void expect_map() const;
  void expect_list() const;

  std::string as_string() const;
  // A name of a node or pipeline: [A-Za-z0-9_.-]+.
  std::string as_name() const;
  // A non-empty identifier such as a column or variable name.
  std::string as_identifier() const;
  int64_t as_integer() const;  // decimal only: `010` and `0x1F` are rejected, not octal/hex
  double as_number() const;
  bool as_bool() const;        // true/false only; `yes`/`on` are rejected
  Duration as_duration() const;
  Expr as_expr() const;        // non-empty SQL text, located at its first character
  std::vector<std::string> as_identifier_list() const;
  // A mapping of scalar keys to scalar values, in file order.
  Options as_string_map() const;

  NodeReader item(size_t index, const std::string& label = "") const;

 private:
  const SourceText* src_;
  YAML::Node node_;
  std::string path_;
  SourceLocation fallback_;
};

// A mapping whose keys are checked: no duplicates, only the allowed keys
// (with "did you mean"), required keys reported at the mapping itself.
class MapReader {
 public:
  // Checks that `node` is a mapping with unique scalar keys.
  MapReader(const SourceText& src, const YAML::Node& node, std::string path);

  // Rejects keys outside `allowed` with a "did you mean". A key in
  // `known_elsewhere` (valid for another operator type, window kind, ...) is
  // reported with `context` instead ("unknown key 'slide' for a tumble window"),
  // since suggesting a look-alike would mislead.
  void allow_only(const std::vector<std::string>& allowed, const std::string& context = "",
                  const std::vector<std::string>& known_elsewhere = {}) const;

  bool has(std::string_view key) const;
  NodeReader require(std::string_view key) const;
  std::optional<NodeReader> optional(std::string_view key) const;

  // The path for a child (`<path>.<key>`).
  std::string child_path(std::string_view key) const;
  const NodeReader& self() const { return self_; }
  [[noreturn]] void fail(const std::string& message) const { self_.fail(message); }
  [[noreturn]] void fail_at_key(std::string_view key, const std::string& message) const;
  SourceLocation location() const { return self_.location(); }
  SourceLocation key_location(std::string_view key) const;

 private:
  struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
  };
  const Entry* find(std::string_view key) const;

  NodeReader self_;
  std::vector<Entry> entries_;
};

}  // namespace ananas::pipeline::yaml
