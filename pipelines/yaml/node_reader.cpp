#include "pipelines/yaml/node_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/timefmt.hpp"

namespace ananas::pipeline::yaml {

namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-';
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::string with_suggestion(const std::string& message, const std::string& word,
                            const std::vector<std::string>& candidates) {
  const std::string best = closest_match(word, candidates);
  return best.empty() ? message : message + " (did you mean '" + best + "'?)";
}

}  // namespace

std::string describe_kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a string";
    case YAML::NodeType::Null:
      return "null";
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

// ---- NodeReader -------------------------------------------------------------

void NodeReader::fail(const std::string& message) const { fail_at(node_, message); }

SourceLocation NodeReader::located(const YAML::Node& at) const {
  // yaml-cpp marks an empty value where the next token starts (often the next
  // line); the key it belongs to is the place the user looks at.
  if (at.IsNull() && fallback_.line > 0) return fallback_;
  SourceLocation loc = src_->at(at.Mark());
  return loc.line > 0 ? loc : fallback_;
}

void NodeReader::fail_at(const YAML::Node& at, const std::string& message) const {
  throw InputError(located(at), path_.empty() ? message : path_ + ": " + message);
}

SourceLocation NodeReader::content_location() const {
  SourceLocation loc = src_->content_start(node_);
  return loc.line > 0 ? loc : fallback_;
}

void NodeReader::expect_map() const {
  if (!node_.IsMap()) fail("expected a mapping, got " + describe_kind(node_));
}

void NodeReader::expect_list() const {
  if (!node_.IsSequence()) fail("expected a list, got " + describe_kind(node_));
}

std::string NodeReader::as_string() const {
  if (!node_.IsScalar()) {
    std::string hint = node_.IsNull() ? " (write \"\" for an empty string)" : "";
    fail("expected a string, got " + describe_kind(node_) + hint);
  }
  return node_.Scalar();
}

std::string NodeReader::as_name() const {
  std::string s = as_string();
  if (s.empty()) fail("a name must not be empty");
  for (char c : s)
    if (!is_name_char(c)) fail("invalid name '" + s + "' (use letters, digits, '_', '.', '-')");
  return s;
}

std::string NodeReader::as_identifier() const {
  std::string s = as_string();
  if (trimmed(s).empty()) fail("a name must not be empty");
  return s;
}

int64_t NodeReader::as_integer() const {
  const std::string s = as_string();
  int64_t value = 0;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  const bool negative = !s.empty() && s[0] == '-';
  const char* digits = negative ? begin + 1 : begin;
  // A leading zero would make YAML 1.1 readers see octal; refuse the ambiguity.
  const bool leading_zero = end - digits > 1 && digits[0] == '0';
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (s.empty() || leading_zero || ec != std::errc() || ptr != end || (digits < end && *digits == '+'))
    fail("expected an integer, got '" + s + "'");
  return value;
}

double NodeReader::as_number() const {
  const std::string s = as_string();
  double value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::general);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(value))
    fail("expected a number, got '" + s + "'");
  return value;
}

bool NodeReader::as_bool() const {
  const std::string s = as_string();
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  fail("expected true or false, got '" + s + "'");
}

Duration NodeReader::as_duration() const {
  const std::string s = as_string();
  const std::optional<int64_t> millis = parse_duration_millis(s);
  if (!millis) fail("invalid duration '" + s + "' (write e.g. 500ms, 5s, 1min, 2h)");
  return Duration{s, *millis, content_location()};
}

Expr NodeReader::as_expr() const {
  const std::string s = as_string();
  if (trimmed(s).empty()) fail("empty expression");
  return Expr{s, content_location()};
}

std::vector<std::string> NodeReader::as_identifier_list() const {
  expect_list();
  std::vector<std::string> out;
  for (size_t i = 0; i < node_.size(); ++i) out.push_back(item(i).as_identifier());
  return out;
}

Options NodeReader::as_string_map() const {
  MapReader map(*src_, node_, path_);
  Options out;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const std::string key = it->first.Scalar();
    NodeReader value(*src_, it->second, map.child_path(key), src_->at(it->first.Mark()));
    out.push_back(Option{key, value.as_string(), src_->at(it->first.Mark())});
  }
  return out;
}

NodeReader NodeReader::item(size_t index, const std::string& label) const {
  std::string p = path_ + "[" + std::to_string(index) + "]";
  if (!label.empty()) p += " (" + label + ")";
  return NodeReader(*src_, node_[index], std::move(p), location());
}

// ---- MapReader --------------------------------------------------------------

MapReader::MapReader(const SourceText& src, const YAML::Node& node, std::string path)
    : self_(src, node, std::move(path)) {
  self_.expect_map();
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar())
      self_.fail_at(it->first, "keys must be strings, got " + describe_kind(it->first));
    const std::string key = it->first.Scalar();
    if (const Entry* previous = find(key)) {
      const SourceLocation first = src.at(previous->key_node.Mark());
      self_.fail_at(it->first, "duplicate key '" + key + "' (first at line " + std::to_string(first.line) + ")");
    }
    entries_.push_back(Entry{key, it->first, it->second});
  }
}

const MapReader::Entry* MapReader::find(std::string_view key) const {
  for (const auto& e : entries_)
    if (e.key == key) return &e;
  return nullptr;
}

void MapReader::allow_only(const std::vector<std::string>& allowed, const std::string& context,
                           const std::vector<std::string>& known_elsewhere) const {
  auto contains = [](const std::vector<std::string>& v, const std::string& k) {
    return std::find(v.begin(), v.end(), k) != v.end();
  };
  for (const auto& e : entries_) {
    if (contains(allowed, e.key)) continue;
    const std::string message = "unknown key '" + e.key + "'";
    if (contains(known_elsewhere, e.key) || closest_match(e.key, allowed).empty())
      self_.fail_at(e.key_node, context.empty() ? message : message + " " + context);
    self_.fail_at(e.key_node, with_suggestion(message, e.key, allowed));
  }
}

bool MapReader::has(std::string_view key) const { return find(key) != nullptr; }

std::string MapReader::child_path(std::string_view key) const {
  return self_.path().empty() ? std::string(key) : self_.path() + "." + std::string(key);
}

NodeReader MapReader::require(std::string_view key) const {
  const Entry* e = find(key);
  if (!e) self_.fail("missing required key '" + std::string(key) + "'");
  return NodeReader(self_.source(), e->value, child_path(key), self_.source().at(e->key_node.Mark()));
}

std::optional<NodeReader> MapReader::optional(std::string_view key) const {
  const Entry* e = find(key);
  if (!e) return std::nullopt;
  return NodeReader(self_.source(), e->value, child_path(key), self_.source().at(e->key_node.Mark()));
}

void MapReader::fail_at_key(std::string_view key, const std::string& message) const {
  const Entry* e = find(key);
  if (!e) self_.fail(message);
  self_.fail_at(e->key_node, message);
}

SourceLocation MapReader::key_location(std::string_view key) const {
  const Entry* e = find(key);
  return e ? self_.source().at(e->key_node.Mark()) : location();
}

}  // namespace ananas::pipeline::yaml
