// AND / OR / NOT with three-valued logic (Flink docs, System (Built-in) Functions > Logical Functions), IS tests, CASE.
#include "core/expr/builders.hpp"
#include "core/expr/coerce.hpp"
#include "core/expr/nodes.hpp"

namespace ananas::expr {

using namespace detail;

namespace {

void require_boolean(const CompiledExprPtr& e, const char* what, const SourceLocation& loc) {
  TypeId id = e->type().id;
  if (id != TypeId::Boolean && id != TypeId::Null)
    type_error(loc, std::string(what) + " needs BOOLEAN operands, not " + type_family_name(e->type()));
}

// AND: FALSE wins over NULL; OR: TRUE wins over NULL. The right side is not
// evaluated once the left decides (so a failing right side cannot fail the row).
template <bool kIsAnd>
class JunctionNode final : public CompiledExpr {
 public:
  JunctionNode(Type t, CompiledExprPtr a, CompiledExprPtr b) : CompiledExpr(std::move(t)), a_(std::move(a)), b_(std::move(b)) {}
  Value eval(const Value* row, EvalContext& ctx) const override {
    constexpr bool kDecisive = !kIsAnd;  // the value that decides: FALSE for AND, TRUE for OR
    Value x = a_->eval(row, ctx);
    if (!x.is_null() && x.as_bool() == kDecisive) return x;
    Value y = b_->eval(row, ctx);
    if (!y.is_null() && y.as_bool() == kDecisive) return y;
    if (x.is_null() || y.is_null()) return Value::null();
    return Value::boolean(!kDecisive);
  }

 private:
  CompiledExprPtr a_, b_;
};

class CaseNode final : public CompiledExpr {
 public:
  CaseNode(Type t, std::vector<WhenThen> branches, CompiledExprPtr otherwise)
      : CompiledExpr(std::move(t)), branches_(std::move(branches)), otherwise_(std::move(otherwise)) {}
  Value eval(const Value* row, EvalContext& ctx) const override {
    for (const WhenThen& b : branches_)
      if (is_true(b.when->eval(row, ctx))) return b.then->eval(row, ctx);
    return otherwise_ ? otherwise_->eval(row, ctx) : Value::null();
  }

 private:
  std::vector<WhenThen> branches_;
  CompiledExprPtr otherwise_;
};

}  // namespace

CompiledExprPtr logical_and(CompiledExprPtr left, CompiledExprPtr right, const SourceLocation& loc) {
  require_boolean(left, "AND", loc);
  require_boolean(right, "AND", loc);
  Type t = Type::boolean().with_nullable(left->type().nullable || right->type().nullable);
  return std::make_shared<JunctionNode<true>>(t, std::move(left), std::move(right));
}

CompiledExprPtr logical_or(CompiledExprPtr left, CompiledExprPtr right, const SourceLocation& loc) {
  require_boolean(left, "OR", loc);
  require_boolean(right, "OR", loc);
  Type t = Type::boolean().with_nullable(left->type().nullable || right->type().nullable);
  return std::make_shared<JunctionNode<false>>(t, std::move(left), std::move(right));
}

CompiledExprPtr logical_not(CompiledExprPtr operand, const SourceLocation& loc) {
  require_boolean(operand, "NOT", loc);
  Type t = Type::boolean().with_nullable(operand->type().nullable);
  return make_unary(t, std::move(operand), [](const Value& v, EvalContext&) { return Value::boolean(!v.as_bool()); });
}

CompiledExprPtr is_test(IsTest test, CompiledExprPtr operand, const SourceLocation& loc) {
  if (test != IsTest::Null && test != IsTest::NotNull) require_boolean(operand, "IS TRUE/FALSE/UNKNOWN", loc);
  Type t = Type::boolean().with_nullable(false);
  auto node = [&](auto f) {
    return make_nary(t, {std::move(operand)}, [f](const Value* v, size_t, EvalContext&) { return Value::boolean(f(v[0])); },
                     false, loc);
  };
  switch (test) {
    case IsTest::Null:
    case IsTest::Unknown: return node([](const Value& v) { return v.is_null(); });
    case IsTest::NotNull:
    case IsTest::NotUnknown: return node([](const Value& v) { return !v.is_null(); });
    case IsTest::True: return node([](const Value& v) { return !v.is_null() && v.as_bool(); });
    case IsTest::NotTrue: return node([](const Value& v) { return v.is_null() || !v.as_bool(); });
    case IsTest::False: return node([](const Value& v) { return !v.is_null() && !v.as_bool(); });
    case IsTest::NotFalse: return node([](const Value& v) { return v.is_null() || v.as_bool(); });
  }
  type_error(loc, "unsupported IS test");
}

CompiledExprPtr case_when(std::vector<WhenThen> branches, CompiledExprPtr otherwise, const SourceLocation& loc) {
  if (branches.empty()) type_error(loc, "CASE needs at least one WHEN");
  std::optional<Type> result = branches[0].then->type();
  auto merge = [&](const CompiledExprPtr& e) {
    auto next = common_type(*result, e->type());
    if (!next)
      type_error(loc, "CASE branches have incompatible types " + type_family_name(*result) + " and " +
                          type_family_name(e->type()));
    result = next;
  };
  for (const WhenThen& b : branches) {
    require_boolean(b.when, "CASE WHEN", loc);
    merge(b.then);
  }
  if (otherwise) merge(otherwise);
  Type t = result->with_time_attr(TimeAttr::None);
  if (!otherwise) t.nullable = true;
  for (WhenThen& b : branches) b.then = coerce(b.then, t);
  if (otherwise) otherwise = coerce(otherwise, t);
  return std::make_shared<CaseNode>(t, std::move(branches), std::move(otherwise));
}

}  // namespace ananas::expr
