// COALESCE, IFNULL, NULLIF, IF, GREATEST, LEAST.
#include "core/decimal.hpp"
#include "core/expr/builders.hpp"
#include "core/expr/coerce.hpp"
#include "core/expr/comparison.hpp"
#include "core/expr/functions.hpp"
#include "core/expr/nodes.hpp"

namespace ananas::expr {

using namespace detail;

namespace {

Type common_of(const Args& args, const char* fn, const SourceLocation& loc) {
  std::optional<Type> t = args[0]->type();
  for (size_t i = 1; i < args.size(); ++i) {
    auto next = common_type(*t, args[i]->type());
    if (!next)
      type_error(loc, std::string(fn) + " arguments have incompatible types " + type_family_name(*t) + " and " +
                          type_family_name(args[i]->type()));
    t = next;
  }
  return t->with_time_attr(TimeAttr::None);
}

// NULL only if every argument is.
CompiledExprPtr build_coalesce(Args& args, const SourceLocation& loc) {
  Type t = common_of(args, "COALESCE", loc);
  bool all_nullable = true;
  for (auto& a : args) all_nullable = all_nullable && a->type().nullable;
  t.nullable = all_nullable;
  Args coerced;
  for (auto& a : args) coerced.push_back(coerce(a, t));
  // Lazy: later arguments are not evaluated once one is non-NULL.
  class CoalesceNode final : public CompiledExpr {
   public:
    CoalesceNode(Type type, Args a) : CompiledExpr(std::move(type)), args_(std::move(a)) {}
    Value eval(const Value* row, EvalContext& ctx) const override {
      for (const auto& a : args_) {
        Value v = a->eval(row, ctx);
        if (!v.is_null()) return v;
      }
      return Value::null();
    }

   private:
    Args args_;
  };
  return std::make_shared<CoalesceNode>(t, std::move(coerced));
}

CompiledExprPtr build_nullif(Args& args, const SourceLocation& loc) {
  Type t = args[0]->type().with_nullable(true);
  std::vector<WhenThen> branches;
  branches.push_back({compare(CompareOp::Equal, args[0], args[1], loc), null_literal(t)});
  return case_when(std::move(branches), args[0], loc);
}

CompiledExprPtr build_if(Args& args, const SourceLocation& loc) {
  std::vector<WhenThen> branches;
  branches.push_back({args[0], args[1]});
  return case_when(std::move(branches), args[2], loc);
}

// GREATEST/LEAST: NULL if any argument is NULL (Flink 1.19).
CompiledExprPtr extreme(Args& args, const SourceLocation& loc, bool greatest) {
  const char* fn = greatest ? "GREATEST" : "LEAST";
  Type t = common_of(args, fn, loc);
  t.nullable = nullable_args(args);
  Args coerced;
  for (auto& a : args) coerced.push_back(coerce(a, t));
  auto prepared = prepare_comparison(coerced);
  if (!prepared) type_error(loc, std::string(fn) + " cannot compare values of type " + type_family_name(t));
  CompareKind kind = prepared->kind;
  int scale = t.id == TypeId::Decimal ? t.scale : 0;
  return make_nary(t, std::move(coerced), [kind, scale, greatest](const Value* v, size_t n, EvalContext&) {
    size_t best = 0;
    for (size_t i = 1; i < n; ++i) {
      int c = 0;
      switch (kind) {
        case CompareKind::Int: c = compare_int_values(v[i], v[best]); break;
        case CompareKind::Bool: c = int{v[i].as_bool()} - int{v[best].as_bool()}; break;
        case CompareKind::Double: c = v[i].as_double() < v[best].as_double() ? -1 : (v[i].as_double() > v[best].as_double() ? 1 : 0); break;
        case CompareKind::Decimal: c = decimal_compare(v[i].unscaled(), scale, v[best].unscaled(), scale); break;
        case CompareKind::String: c = v[i].as_string().compare(v[best].as_string()); break;
      }
      if (greatest ? c > 0 : c < 0) best = i;
    }
    return v[best];
  }, true, loc);
}
CompiledExprPtr build_greatest(Args& a, const SourceLocation& l) { return extreme(a, l, true); }
CompiledExprPtr build_least(Args& a, const SourceLocation& l) { return extreme(a, l, false); }

const FunctionDef kConditionalFunctions[] = {
    {"COALESCE", 1, -1, build_coalesce}, {"IFNULL", 2, 2, build_coalesce}, {"NULLIF", 2, 2, build_nullif},
    {"IF", 3, 3, build_if},             {"GREATEST", 1, -1, build_greatest}, {"LEAST", 1, -1, build_least},
};

}  // namespace

namespace detail {
std::span<const FunctionDef> conditional_functions() { return kConditionalFunctions; }
}  // namespace detail

}  // namespace ananas::expr
