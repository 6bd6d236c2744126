// = <> < <= > >=, IS [NOT] DISTINCT FROM, IN, BETWEEN (Flink docs, System (Built-in) Functions > Comparison Functions; Flink: BinaryStringData.compareTo).
// Numbers compare exactly after widening (INT vs DECIMAL through DECIMAL,
// never through double); strings compare byte-wise (unsigned, = code point order).
#include <cstring>

#include "core/decimal.hpp"
#include "core/expr/builders.hpp"
#include "core/expr/coerce.hpp"
#include "core/expr/comparison.hpp"
#include "core/expr/nodes.hpp"
#include "core/expr/type_rules.hpp"

namespace ananas::expr {

using namespace detail;

namespace detail {

std::optional<PreparedComparison> prepare_comparison(const std::vector<CompiledExprPtr>& operands) {
  std::optional<Type> common = operands.at(0)->type();
  for (size_t i = 1; i < operands.size() && common; ++i) common = common_type(*common, operands[i]->type());
  if (!common) return std::nullopt;
  PreparedComparison p;
  switch (category(*common)) {
    case Cat::Null:
    case Cat::Integer:
    case Cat::Date:
    case Cat::Time:
    case Cat::Timestamp:
    case Cat::IntervalDayTime:
    case Cat::IntervalYearMonth: p.kind = CompareKind::Int; break;
    case Cat::Boolean: p.kind = CompareKind::Bool; break;
    case Cat::Approx: p.kind = CompareKind::Double; break;
    case Cat::Decimal: p.kind = CompareKind::Decimal; break;
    case Cat::Character:
    case Cat::Binary: p.kind = CompareKind::String; break;
    case Cat::Nested: return std::nullopt;
  }
  for (const auto& e : operands) {
    // Exact numerics stay as they are: Value::unscaled() reads integers and
    // decimals alike, and each side keeps its own scale.
    if (p.kind == CompareKind::Decimal) {
      p.operands.push_back(e);
      p.scales.push_back(e->type().id == TypeId::Decimal ? e->type().scale : 0);
    } else {
      p.operands.push_back(p.kind == CompareKind::String ? e : coerce(e, *common));
      p.scales.push_back(0);
    }
  }
  return p;
}

}  // namespace detail

namespace {

const char* symbol_of(CompareOp op) {
  switch (op) {
    case CompareOp::Equal: return "=";
    case CompareOp::NotEqual: return "<>";
    case CompareOp::Less: return "<";
    case CompareOp::LessEqual: return "<=";
    case CompareOp::Greater: return ">";
    case CompareOp::GreaterEqual: return ">=";
    case CompareOp::IsDistinctFrom: return "IS DISTINCT FROM";
    case CompareOp::IsNotDistinctFrom: return "IS NOT DISTINCT FROM";
  }
  return "?";
}

// IS [NOT] DISTINCT FROM: NULLs are equal to each other, never NULL.
template <class C3>
class DistinctNode final : public CompiledExpr {
 public:
  DistinctNode(CompiledExprPtr a, CompiledExprPtr b, C3 c3, bool distinct)
      : CompiledExpr(Type::boolean().with_nullable(false)), a_(std::move(a)), b_(std::move(b)), c3_(c3), distinct_(distinct) {}
  Value eval(const Value* row, EvalContext& ctx) const override {
    Value x = a_->eval(row, ctx), y = b_->eval(row, ctx);
    bool same = x.is_null() || y.is_null() ? x.is_null() && y.is_null() : c3_(x, y) == 0;
    return Value::boolean(same != distinct_);
  }

 private:
  CompiledExprPtr a_, b_;
  C3 c3_;
  bool distinct_;
};

// One node class per operator so the comparison result test is not a runtime switch.
template <class C3>
CompiledExprPtr by_operator(CompareOp op, Type t, CompiledExprPtr l, CompiledExprPtr r, C3 c3) {
  switch (op) {
    case CompareOp::Equal:
      return make_binary(t, l, r, [c3](const Value& a, const Value& b, EvalContext&) { return Value::boolean(c3(a, b) == 0); });
    case CompareOp::NotEqual:
      return make_binary(t, l, r, [c3](const Value& a, const Value& b, EvalContext&) { return Value::boolean(c3(a, b) != 0); });
    case CompareOp::Less:
      return make_binary(t, l, r, [c3](const Value& a, const Value& b, EvalContext&) { return Value::boolean(c3(a, b) < 0); });
    case CompareOp::LessEqual:
      return make_binary(t, l, r, [c3](const Value& a, const Value& b, EvalContext&) { return Value::boolean(c3(a, b) <= 0); });
    case CompareOp::Greater:
      return make_binary(t, l, r, [c3](const Value& a, const Value& b, EvalContext&) { return Value::boolean(c3(a, b) > 0); });
    case CompareOp::GreaterEqual:
      return make_binary(t, l, r, [c3](const Value& a, const Value& b, EvalContext&) { return Value::boolean(c3(a, b) >= 0); });
    case CompareOp::IsDistinctFrom:
    case CompareOp::IsNotDistinctFrom:
      return std::make_shared<DistinctNode<C3>>(l, r, c3, op == CompareOp::IsDistinctFrom);
  }
  return nullptr;
}

// `column = 'literal'` (and <>): the hottest predicate of the seeds, evaluated
// without calling into child nodes.
class ColumnEqualsStringNode final : public CompiledExpr {
 public:
  ColumnEqualsStringNode(Type t, size_t column, std::string literal, bool equal)
      : CompiledExpr(std::move(t)), column_(column), literal_(std::move(literal)), equal_(equal) {}
  Value eval(const Value* row, EvalContext&) const override {
    const Value& v = row[column_];
    if (v.is_null()) return v;
    bool same = v.len == literal_.size() && same_bytes(v.u.s, literal_.data(), literal_.size());
    return Value::boolean(same == equal_);
  }

 private:
  size_t column_;
  std::string literal_;
  bool equal_;
};

// `integer column op integer literal`.
template <class Test>
class ColumnIntCompareNode final : public CompiledExpr {
 public:
  ColumnIntCompareNode(Type t, size_t column, int64_t literal, Test test)
      : CompiledExpr(std::move(t)), column_(column), literal_(literal), test_(test) {}
  Value eval(const Value* row, EvalContext&) const override {
    const Value& v = row[column_];
    if (v.is_null()) return v;
    return Value::boolean(test_(v.as_int(), literal_));
  }

 private:
  size_t column_;
  int64_t literal_;
  Test test_;
};

template <class Test>
CompiledExprPtr column_int(Type t, size_t column, int64_t literal, Test test) {
  return std::make_shared<ColumnIntCompareNode<Test>>(std::move(t), column, literal, test);
}

CompiledExprPtr column_int_compare(CompareOp op, Type t, size_t c, int64_t k) {
  switch (op) {
    case CompareOp::Equal: return column_int(t, c, k, [](int64_t a, int64_t b) { return a == b; });
    case CompareOp::NotEqual: return column_int(t, c, k, [](int64_t a, int64_t b) { return a != b; });
    case CompareOp::Less: return column_int(t, c, k, [](int64_t a, int64_t b) { return a < b; });
    case CompareOp::LessEqual: return column_int(t, c, k, [](int64_t a, int64_t b) { return a <= b; });
    case CompareOp::Greater: return column_int(t, c, k, [](int64_t a, int64_t b) { return a > b; });
    case CompareOp::GreaterEqual: return column_int(t, c, k, [](int64_t a, int64_t b) { return a >= b; });
    default: return nullptr;
  }
}

CompareOp mirrored(CompareOp op) {
  switch (op) {
    case CompareOp::Less: return CompareOp::Greater;
    case CompareOp::LessEqual: return CompareOp::GreaterEqual;
    case CompareOp::Greater: return CompareOp::Less;
    case CompareOp::GreaterEqual: return CompareOp::LessEqual;
    default: return op;
  }
}

}  // namespace

CompiledExprPtr compare(CompareOp op, CompiledExprPtr l, CompiledExprPtr r, const SourceLocation& loc) {
  auto prepared = prepare_comparison({l, r});
  if (!prepared) {
    if (op == CompareOp::Equal || op == CompareOp::NotEqual || op == CompareOp::IsDistinctFrom ||
        op == CompareOp::IsNotDistinctFrom)
      type_error(loc, "cannot compare " + type_family_name(l->type()) + " with " + type_family_name(r->type()));
    type_error(loc, std::string("cannot apply '") + symbol_of(op) + "' to " + type_family_name(l->type()) + " and " +
                        type_family_name(r->type()));
  }
  bool distinct_op = op == CompareOp::IsDistinctFrom || op == CompareOp::IsNotDistinctFrom;
  Type t = Type::boolean().with_nullable(l->type().nullable || r->type().nullable);
  CompiledExprPtr a = prepared->operands[0], b = prepared->operands[1];

  if (!distinct_op) {
    // Put a constant on the right so `'x' = col` takes the fast paths too.
    if (as_literal(a) && as_column(b)) {
      std::swap(a, b);
      op = mirrored(op);
    }
    const ColumnNode* col = as_column(a);
    const LiteralNode* lit = as_literal(b);
    if (col && lit && !lit->value().is_null()) {
      if (prepared->kind == CompareKind::String && (op == CompareOp::Equal || op == CompareOp::NotEqual))
        return std::make_shared<ColumnEqualsStringNode>(t, col->index(), std::string(lit->value().as_string()),
                                                        op == CompareOp::Equal);
      // Millis alone decide unless a timestamp may carry nanoseconds below
      // them (compare_int_values): a TIMESTAMP(p <= 3) column never does.
      const bool millis_decide = category(col->type()) != Cat::Timestamp ||
                                 (col->type().precision <= 3 && lit->value().nano_of_milli() == 0);
      if (prepared->kind == CompareKind::Int && millis_decide)
        return column_int_compare(op, t, col->index(), lit->value().as_int());
    }
  }

  switch (prepared->kind) {
    case CompareKind::Int:
      return by_operator(op, t, a, b, [](const Value& x, const Value& y) { return compare_int_values(x, y); });
    case CompareKind::Bool:
      return by_operator(op, t, a, b, [](const Value& x, const Value& y) { return int{x.as_bool()} - int{y.as_bool()}; });
    case CompareKind::Double: {
      // Primitive comparisons, as Java's: NaN is neither equal to nor ordered with anything.
      auto dbl = [&](auto test) {
        return make_binary(t, a, b, [test](const Value& x, const Value& y, EvalContext&) {
          return Value::boolean(test(x.as_double(), y.as_double()));
        });
      };
      switch (op) {
        case CompareOp::Equal: return dbl([](double x, double y) { return x == y; });
        case CompareOp::NotEqual: return dbl([](double x, double y) { return x != y; });
        case CompareOp::Less: return dbl([](double x, double y) { return x < y; });
        case CompareOp::LessEqual: return dbl([](double x, double y) { return x <= y; });
        case CompareOp::Greater: return dbl([](double x, double y) { return x > y; });
        case CompareOp::GreaterEqual: return dbl([](double x, double y) { return x >= y; });
        default:
          return by_operator(op, t, a, b, [](const Value& x, const Value& y) {
            return x.as_double() < y.as_double() ? -1 : (x.as_double() > y.as_double() ? 1 : 0);
          });
      }
    }
    case CompareKind::Decimal: {
      int sa = prepared->scales[0], sb = prepared->scales[1];
      return by_operator(op, t, a, b, [sa, sb](const Value& x, const Value& y) {
        return decimal_compare(x.unscaled(), sa, y.unscaled(), sb);
      });
    }
    case CompareKind::String:
      return by_operator(op, t, a, b, [](const Value& x, const Value& y) {
        int c = x.as_string().compare(y.as_string());
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
      });
  }
  type_error(loc, "cannot compare " + type_family_name(l->type()) + " with " + type_family_name(r->type()));
}

CompiledExprPtr between(CompiledExprPtr operand, CompiledExprPtr low, CompiledExprPtr high, bool negated,
                        bool symmetric, const SourceLocation& loc) {
  auto range = [&](const CompiledExprPtr& lo, const CompiledExprPtr& hi) {
    return logical_and(compare(CompareOp::GreaterEqual, operand, lo, loc), compare(CompareOp::LessEqual, operand, hi, loc), loc);
  };
  CompiledExprPtr test = range(low, high);
  if (symmetric) test = logical_or(test, range(high, low), loc);
  return negated ? logical_not(test, loc) : test;
}

}  // namespace ananas::expr
