// ARRAY[...], ROW(...), MAP[...]: nested values built into the evaluation arena.
#include "core/expr/builders.hpp"
#include "core/expr/coerce.hpp"
#include "core/expr/nodes.hpp"

namespace ananas::expr {

using namespace detail;

namespace {

class NestedNode final : public CompiledExpr {
 public:
  NestedNode(Type t, std::vector<CompiledExprPtr> items, ValueKind kind)
      : CompiledExpr(std::move(t)), items_(std::move(items)), kind_(kind) {}
  Value eval(const Value* row, EvalContext& ctx) const override {
    Value* out = arena_of(ctx).allocate_array<Value>(items_.size());
    for (size_t i = 0; i < items_.size(); ++i) out[i] = items_[i]->eval(row, ctx);
    uint32_t n = static_cast<uint32_t>(items_.size());
    if (kind_ == ValueKind::Array) return Value::array(out, n);
    if (kind_ == ValueKind::Row) return Value::row(out, n);
    return Value::map(out, n / 2);
  }

 private:
  std::vector<CompiledExprPtr> items_;
  ValueKind kind_;
};

Type common_of(const std::vector<CompiledExprPtr>& items, size_t start, size_t step, const char* what,
               const SourceLocation& loc) {
  std::optional<Type> t = items[start]->type();
  for (size_t i = start + step; i < items.size(); i += step) {
    auto next = common_type(*t, items[i]->type());
    if (!next)
      type_error(loc, std::string(what) + " mixes incompatible types " + type_family_name(*t) + " and " +
                          type_family_name(items[i]->type()));
    t = next;
  }
  return t->with_time_attr(TimeAttr::None);
}

}  // namespace

CompiledExprPtr array_constructor(std::vector<CompiledExprPtr> elements, const SourceLocation& loc) {
  if (elements.empty()) type_error(loc, "ARRAY[] needs at least one element");
  Type element = common_of(elements, 0, 1, "ARRAY", loc);
  for (auto& e : elements) e = coerce(e, element);
  return std::make_shared<NestedNode>(Type::array(element).with_nullable(false), std::move(elements), ValueKind::Array);
}

CompiledExprPtr row_constructor(std::vector<CompiledExprPtr> fields, std::vector<std::string> names,
                                const SourceLocation& loc) {
  if (fields.empty()) type_error(loc, "ROW() needs at least one field");
  std::vector<Type> types;
  for (size_t i = 0; i < fields.size(); ++i) {
    types.push_back(fields[i]->type().with_time_attr(TimeAttr::None));
    if (names.size() <= i) names.push_back("EXPR$" + std::to_string(i));
  }
  names.resize(fields.size());
  return std::make_shared<NestedNode>(Type::row(std::move(names), std::move(types)).with_nullable(false), std::move(fields),
                                      ValueKind::Row);
}

CompiledExprPtr map_constructor(std::vector<CompiledExprPtr> kv, const SourceLocation& loc) {
  if (kv.empty() || kv.size() % 2 != 0) type_error(loc, "MAP[...] needs key/value pairs");
  Type key = common_of(kv, 0, 2, "MAP keys", loc);
  Type value = common_of(kv, 1, 2, "MAP values", loc);
  for (size_t i = 0; i < kv.size(); ++i) kv[i] = coerce(kv[i], i % 2 == 0 ? key : value);
  return std::make_shared<NestedNode>(Type::map(key, value).with_nullable(false), std::move(kv), ValueKind::Map);
}

}  // namespace ananas::expr
