// x [NOT] IN (list) ≡ x = a OR x = b ... (Flink docs, System (Built-in) Functions > Comparison Functions > IN): TRUE on a match, else
// NULL if x or any element is NULL, else FALSE.
#include <cstring>
#include <string>
#include <unordered_set>

#include "core/decimal.hpp"
#include "core/expr/builders.hpp"
#include "core/expr/comparison.hpp"
#include "core/expr/nodes.hpp"

namespace ananas::expr {

using namespace detail;

namespace {

Value three_valued(bool matched, bool saw_null, bool negated) {
  if (matched) return Value::boolean(!negated);
  if (saw_null) return Value::null();
  return Value::boolean(negated);
}

// The seeds' `topping IN ('🍍 pineapple', ...)`: exact bytes against a few
// constants; lengths are compared first so most misses cost one integer test.
class InStringsNode final : public CompiledExpr {
 public:
  InStringsNode(Type t, CompiledExprPtr operand, std::vector<std::string> items, bool negated)
      : CompiledExpr(std::move(t)), operand_(std::move(operand)), items_(std::move(items)), negated_(negated) {
    if (items_.size() > kLinearLimit) set_.insert(items_.begin(), items_.end());
  }
  Value eval(const Value* row, EvalContext& ctx) const override {
    Value v = operand_->eval(row, ctx);
    if (v.is_null()) return v;
    std::string_view s = v.as_string();
    if (!set_.empty()) return Value::boolean(set_.count(s) != 0 ? !negated_ : negated_);
    for (const std::string& item : items_)
      if (item.size() == s.size() && same_bytes(item.data(), s.data(), s.size())) return Value::boolean(!negated_);
    return Value::boolean(negated_);
  }

 private:
  static constexpr size_t kLinearLimit = 8;
  CompiledExprPtr operand_;
  std::vector<std::string> items_;
  std::unordered_set<std::string_view> set_;  // views into items_ for long lists
  bool negated_;
};

template <class C3>
class InNode final : public CompiledExpr {
 public:
  InNode(Type t, std::vector<CompiledExprPtr> operands, C3 c3, bool negated)
      : CompiledExpr(std::move(t)), operands_(std::move(operands)), c3_(c3), negated_(negated) {}
  Value eval(const Value* row, EvalContext& ctx) const override {
    Value x = operands_[0]->eval(row, ctx);
    if (x.is_null()) return x;
    bool saw_null = false;
    for (size_t i = 1; i < operands_.size(); ++i) {
      Value y = operands_[i]->eval(row, ctx);
      if (y.is_null()) saw_null = true;
      else if (c3_(x, y, i) == 0) return Value::boolean(!negated_);
    }
    return three_valued(false, saw_null, negated_);
  }

 private:
  std::vector<CompiledExprPtr> operands_;  // [0] is the tested value
  C3 c3_;
  bool negated_;
};

template <class C3>
CompiledExprPtr make_in(Type t, std::vector<CompiledExprPtr> operands, C3 c3, bool negated) {
  return std::make_shared<InNode<C3>>(std::move(t), std::move(operands), c3, negated);
}

}  // namespace

CompiledExprPtr in_list(CompiledExprPtr operand, std::vector<CompiledExprPtr> list, bool negated,
                        const SourceLocation& loc) {
  if (list.empty()) type_error(loc, "IN needs at least one value");
  std::vector<CompiledExprPtr> all{operand};
  all.insert(all.end(), list.begin(), list.end());
  auto prepared = prepare_comparison(all);
  if (!prepared) {
    for (const auto& item : list)
      if (!common_type(operand->type(), item->type()))
        type_error(loc, "cannot compare " + type_family_name(operand->type()) + " with " + type_family_name(item->type()) +
                            " in IN list");
    type_error(loc, "the values of the IN list have no common type");
  }
  bool nullable = false;
  for (const auto& e : all) nullable = nullable || e->type().nullable;
  Type t = Type::boolean().with_nullable(nullable);

  if (prepared->kind == CompareKind::String) {
    std::vector<std::string> items;
    for (const auto& item : list) {
      const LiteralNode* lit = as_literal(item);
      if (!lit || lit->value().is_null()) break;
      items.emplace_back(lit->value().as_string());
    }
    if (items.size() == list.size()) return std::make_shared<InStringsNode>(t, operand, std::move(items), negated);
  }

  std::vector<CompiledExprPtr> ops = std::move(prepared->operands);
  switch (prepared->kind) {
    case CompareKind::Int:
      return make_in(t, std::move(ops), [](const Value& x, const Value& y, size_t) { return compare_int_values(x, y) == 0 ? 0 : 1; }, negated);
    case CompareKind::Bool:
      return make_in(t, std::move(ops), [](const Value& x, const Value& y, size_t) { return x.as_bool() == y.as_bool() ? 0 : 1; }, negated);
    case CompareKind::Double:
      return make_in(t, std::move(ops), [](const Value& x, const Value& y, size_t) { return x.as_double() == y.as_double() ? 0 : 1; }, negated);
    case CompareKind::String:
      return make_in(t, std::move(ops), [](const Value& x, const Value& y, size_t) { return x.as_string() == y.as_string() ? 0 : 1; }, negated);
    case CompareKind::Decimal: {
      std::vector<int> scales = prepared->scales;
      return make_in(t, std::move(ops), [scales](const Value& x, const Value& y, size_t i) {
        return decimal_compare(x.unscaled(), scales[0], y.unscaled(), scales[i]);
      }, negated);
    }
  }
  type_error(loc, "unsupported IN list");
}

}  // namespace ananas::expr
