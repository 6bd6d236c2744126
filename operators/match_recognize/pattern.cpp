#include "operators/match_recognize/pattern.hpp"

#include <cctype>
#include <limits>
#include <memory>
#include <optional>

namespace ananas::ops::mr {

int Pattern::index_of(std::string_view name) const {
  for (size_t i = 0; i < variables.size(); ++i)
    if (variables[i].name == name) return static_cast<int>(i);
  return -1;
}

namespace {

// The syntax tree of the full SQL pattern language; only a flat sequence of
// quantified variables survives validation.
enum class NodeKind { Variable, Sequence, Alternation, Group, Permute, Exclusion, Anchor };

struct Node {
  NodeKind kind = NodeKind::Variable;
  size_t begin = 0, end = 0;  // offsets of the node's text (quantifier included)
  std::string name;           // Variable
  std::optional<Quantifier> quantifier;
  size_t quantifier_at = 0;   // offset of the quantifier's first character
  std::vector<std::unique_ptr<Node>> children;
};
using NodePtr = std::unique_ptr<Node>;

class PatternParser {
 public:
  PatternParser(std::string_view text, const SourceLocation& base) : text_(text), base_(base) {}

  NodePtr parse() {
    skip_space();
    if (at_end()) fail(pos_, "PATTERN must name at least one pattern variable.");
    NodePtr root = alternation();
    skip_space();
    if (!at_end()) fail(pos_, "Unexpected '" + std::string(1, text_[pos_]) + "' in PATTERN.");
    return root;
  }

  [[noreturn]] void fail(size_t offset, const std::string& message) const { throw InputError(location(offset), message); }

  SourceLocation location(size_t offset) const {
    SourceLocation loc = base_;
    size_t line_start = 0;
    int newlines = 0;
    for (size_t i = 0; i < offset && i < text_.size(); ++i)
      if (text_[i] == '\n') ++newlines, line_start = i + 1;
    if (loc.line == 0) return loc;  // no position known: keep the file only
    if (newlines == 0) {
      loc.column = (loc.column > 0 ? loc.column : 1) + static_cast<int>(offset);
    } else {
      loc.line += newlines;
      loc.column = static_cast<int>(offset - line_start) + 1;
    }
    return loc;
  }

  std::string_view slice(const Node& n) const { return text_.substr(n.begin, n.end - n.begin); }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek(size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  static bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }
  static bool is_ident_char(char c) { return is_ident_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; }

  NodePtr alternation() {
    size_t begin = pos_;
    NodePtr first = sequence();
    skip_space();
    if (peek() != '|') return first;
    auto alt = std::make_unique<Node>();
    alt->kind = NodeKind::Alternation;
    alt->begin = begin;
    alt->children.push_back(std::move(first));
    while (peek() == '|') {
      ++pos_;
      skip_space();
      alt->children.push_back(sequence());
      skip_space();
    }
    alt->end = alt->children.back()->end;
    return alt;
  }

  bool starts_factor() {
    skip_space();
    char c = peek();
    return is_ident_start(c) || c == '`' || c == '(' || c == '^' || c == '$' || (c == '{' && peek(1) == '-');
  }

  NodePtr sequence() {
    skip_space();
    size_t begin = pos_;
    if (!starts_factor()) {
      if (at_end()) fail(pos_, "Incomplete PATTERN: a pattern variable is expected at the end.");
      fail(pos_, "Unexpected '" + std::string(1, peek()) + "' in PATTERN: a pattern variable is expected.");
    }
    auto seq = std::make_unique<Node>();
    seq->kind = NodeKind::Sequence;
    seq->begin = begin;
    while (starts_factor()) seq->children.push_back(factor());
    seq->end = seq->children.back()->end;
    if (seq->children.size() == 1) return std::move(seq->children.front());
    return seq;
  }

  std::string identifier() {
    if (peek() == '`') {
      size_t open = pos_++;
      std::string name;
      while (true) {
        if (at_end()) fail(open, "Unterminated quoted identifier in PATTERN.");
        if (peek() == '`') {
          if (peek(1) == '`') { name += '`'; pos_ += 2; continue; }
          ++pos_;
          break;
        }
        name += text_[pos_++];
      }
      if (name.empty()) fail(open, "Empty quoted identifier in PATTERN.");
      return name;
    }
    size_t start = pos_;
    while (!at_end() && is_ident_char(peek())) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  NodePtr primary() {
    skip_space();
    auto node = std::make_unique<Node>();
    node->begin = pos_;
    char c = peek();
    if (c == '(') {
      ++pos_;
      node->kind = NodeKind::Group;
      node->children.push_back(alternation());
      expect(')', node->begin, "Missing ')' in PATTERN.");
    } else if (c == '{') {
      pos_ += 2;  // "{-"
      node->kind = NodeKind::Exclusion;
      node->children.push_back(alternation());
      skip_space();
      if (!(peek() == '-' && peek(1) == '}')) fail(node->begin, "Missing '-}' in PATTERN.");
      pos_ += 2;
    } else if (c == '^' || c == '$') {
      ++pos_;
      node->kind = NodeKind::Anchor;
    } else {
      bool quoted = c == '`';
      node->name = identifier();
      size_t after_name = pos_;
      skip_space();
      if (!quoted && peek() == '(' && upper(node->name) == "PERMUTE") {
        ++pos_;
        node->kind = NodeKind::Permute;
        node->children.push_back(alternation());
        skip_space();
        while (peek() == ',') {
          ++pos_;
          node->children.push_back(alternation());
          skip_space();
        }
        expect(')', node->begin, "Missing ')' after PERMUTE in PATTERN.");
      } else {
        pos_ = after_name;
        node->kind = NodeKind::Variable;
      }
    }
    node->end = pos_;
    return node;
  }

  NodePtr factor() {
    NodePtr node = primary();
    skip_space();
    char c = peek();
    if (c == '*' || c == '+' || c == '?' || (c == '{' && peek(1) != '-')) {
      node->quantifier_at = pos_;
      node->quantifier = quantifier();
      node->end = pos_;
    }
    return node;
  }

  Quantifier quantifier() {
    Quantifier q;
    size_t start = pos_;
    char c = text_[pos_++];
    if (c == '*') {
      q.min = 0, q.max = kUnbounded;
    } else if (c == '+') {
      q.min = 1, q.max = kUnbounded;
    } else if (c == '?') {
      q.min = 0, q.max = 1;
    } else {
      skip_space();
      std::optional<int64_t> low = number();
      skip_space();
      std::optional<int64_t> high = low;
      if (peek() == ',') {
        ++pos_;
        skip_space();
        high = number();
        skip_space();
        if (!high) high = kUnbounded;
      } else if (!low) {
        fail(start, "A quantifier needs a count: {n}, {n,}, {n,m} or {,m}.");
      }
      expect('}', start, "Missing '}' in quantifier.");
      q.min = low.value_or(0);
      q.max = *high;
      if (q.max != kUnbounded && q.max < q.min)
        fail(start, "Upper bound of the quantifier must not be less than its lower bound.");
      if (q.max == 0) fail(start, "A quantifier must allow at least one row: {0} matches nothing.");
    }
    if (peek() == '?') {
      ++pos_;
      q.reluctant = true;
    }
    return q;
  }

  std::optional<int64_t> number() {
    if (!std::isdigit(static_cast<unsigned char>(peek()))) return std::nullopt;
    size_t start = pos_;
    int64_t v = 0;
    while (std::isdigit(static_cast<unsigned char>(peek()))) {
      v = v * 10 + (text_[pos_++] - '0');
      if (v > std::numeric_limits<int32_t>::max()) fail(start, "Quantifier bound is too large.");
    }
    return v;
  }

  void expect(char c, size_t opened_at, const std::string& message) {
    skip_space();
    if (peek() != c) fail(at_end() ? opened_at : pos_, message);
    ++pos_;
  }

  static std::string upper(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
  }

  std::string_view text_;
  SourceLocation base_;
  size_t pos_ = 0;
};

// Flattens the tree into variables, rejecting what CEP cannot run; the first
// offending construct in text order is reported.
[[noreturn]] void reject(const Node& n, const PatternParser& p, const std::string& why) {
  p.fail(n.begin, "Expression not supported: " + std::string(p.slice(n)) + ". " + why);
}

void flatten(const Node& n, const PatternParser& p, std::vector<PatternVariable>& out) {
  switch (n.kind) {
    case NodeKind::Variable:
      out.push_back({n.name, n.quantifier.value_or(Quantifier{}), p.location(n.begin)});
      return;
    case NodeKind::Sequence:
      for (const auto& c : n.children) flatten(*c, p, out);
      return;
    case NodeKind::Alternation:
      reject(n, p, "Currently, CEP doesn't support branching patterns.");
    case NodeKind::Permute:
      reject(n, p, "Currently, CEP doesn't support PERMUTE patterns.");
    case NodeKind::Exclusion:
      reject(n, p, "Currently, CEP doesn't support '{-' '-}' patterns.");
    case NodeKind::Anchor:
      p.fail(n.begin, "Pattern anchors '^' and '$' are not supported.");
    case NodeKind::Group:
      // A parenthesised plain sequence is just that sequence; with a
      // quantifier it is a group pattern, which Flink's SQL translation rejects.
      if (n.quantifier) reject(n, p, "Group patterns are not supported yet.");
      flatten(*n.children.front(), p, out);
      return;
  }
}

}  // namespace

Pattern parse_pattern(std::string_view text, const SourceLocation& base) {
  PatternParser parser(text, base);
  NodePtr root = parser.parse();
  Pattern pattern;
  flatten(*root, parser, pattern.variables);

  auto& vars = pattern.variables;
  for (size_t i = 0; i < vars.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (vars[i].name == vars[j].name)
        throw InputError(vars[i].loc, "Pattern variables must be unique. That might change in the future.");
  for (const auto& v : vars)
    if (v.quantifier.reluctant && v.quantifier.min == 0 && v.quantifier.max == 1)
      throw InputError(v.loc, "Reluctant optional variables are not supported yet.");
  bool all_optional = true;
  for (const auto& v : vars) all_optional = all_optional && v.quantifier.min == 0;
  if (all_optional)
    throw InputError(vars.front().loc,
                     "Patterns that can produce empty matches are not supported. There must be at least one non-optional state.");
  if (vars.back().quantifier.greedy())
    throw InputError(vars.back().loc,
                     "Greedy quantifiers are not allowed as the last element of a Pattern yet. Finish your pattern with "
                     "either a simple variable or reluctant quantifier.");
  return pattern;
}

}  // namespace ananas::ops::mr
