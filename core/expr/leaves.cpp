// Literals, columns, ROW field access and subscripts.
#include <algorithm>

#include "core/batch.hpp"  // deep_copy
#include "core/expr/builders.hpp"
#include "core/expr/nodes.hpp"
#include "core/expr/utf8.hpp"

namespace ananas::expr {

namespace detail {

LiteralNode::LiteralNode(const Value& v, Type t) : CompiledExpr(std::move(t)), storage_(std::make_shared<Arena>(256)) {
  value_ = ananas::deep_copy(v, *storage_);
  out_of_line_ = v.kind == ValueKind::String || v.kind == ValueKind::BigDecimal || v.kind == ValueKind::Array ||
                 v.kind == ValueKind::Row || v.kind == ValueKind::Map;
}

Value LiteralNode::copied(EvalContext& ctx) const { return ananas::deep_copy(value_, arena_of(ctx)); }

void check_arg_count(size_t n, const SourceLocation& loc) {
  if (n > kMaxNaryArgs)
    type_error(loc, "too many arguments (" + std::to_string(n) + "); at most " +
                        std::to_string(kMaxNaryArgs) + " are supported");
}

}  // namespace detail

using namespace detail;

CompiledExprPtr literal(const Value& v, const Type& type) {
  Type t = type;
  if (!v.is_null()) t.nullable = false;
  return std::make_shared<LiteralNode>(v, t);
}

CompiledExprPtr string_literal(std::string_view text) {
  int32_t n = static_cast<int32_t>(utf8::count(text));
  // Calcite types '' as CHAR(0); keep it a valid CHAR length for printing.
  return literal(Value::string(text), Type::char_type(n).with_nullable(false));
}

CompiledExprPtr null_literal(const Type& type) { return std::make_shared<LiteralNode>(Value::null(), type.with_nullable(true)); }

CompiledExprPtr column(size_t index, const Type& type) { return std::make_shared<ColumnNode>(index, type); }

CompiledExprPtr field_access(CompiledExprPtr base, std::string_view field, const SourceLocation& loc) {
  const Type& bt = base->type();
  if (bt.id != TypeId::Row)
    type_error(loc, "cannot access field '" + std::string(field) + "' of a value of type " + bt.to_string());
  auto it = std::find(bt.field_names.begin(), bt.field_names.end(), field);
  if (it == bt.field_names.end()) {
    std::string hint = closest_match(std::string(field), bt.field_names);
    type_error(loc, "unknown field '" + std::string(field) + "' in " + bt.to_string() +
                        (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
  }
  size_t index = static_cast<size_t>(it - bt.field_names.begin());
  Type t = bt.children[index];
  if (bt.nullable) t.nullable = true;
  return make_unary(t, std::move(base), [index](const Value& row, EvalContext&) {
    return index < row.len ? row.elements()[index] : Value::null();
  });
}

CompiledExprPtr subscript(CompiledExprPtr base, CompiledExprPtr index, const SourceLocation& loc) {
  const Type& bt = base->type();
  if (bt.id == TypeId::Array) {
    if (!index->type().is_integer() && index->type().id != TypeId::Null)
      type_error(loc, "an array index must be an integer, not " + type_family_name(index->type()));
    return make_binary(bt.children[0].with_nullable(true), std::move(base), std::move(index),
                       [](const Value& a, const Value& i, EvalContext&) {
                         int64_t k = i.as_int();
                         if (k < 1 || k > static_cast<int64_t>(a.len)) return Value::null();
                         return a.elements()[static_cast<size_t>(k - 1)];
                       });
  }
  if (bt.id == TypeId::Map) {
    const Type& key_type = bt.children[0];
    auto common = common_type(key_type, index->type());
    if (!common)
      type_error(loc, "cannot look up a key of type " + type_family_name(index->type()) + " in " + bt.to_string());
    bool string_keys = key_type.is_character();
    return make_binary(bt.children[1].with_nullable(true), std::move(base), std::move(index),
                       [string_keys](const Value& m, const Value& k, EvalContext&) {
                         auto kv = m.elements();
                         for (size_t i = 0; i + 1 < kv.size(); i += 2) {
                           const Value& key = kv[i];
                           if (key.is_null()) continue;
                           bool eq = string_keys ? key.as_string() == k.as_string() : key.u.i == k.u.i;
                           if (eq) return kv[i + 1];
                         }
                         return Value::null();
                       });
  }
  type_error(loc, "cannot subscript a value of type " + bt.to_string());
}

}  // namespace ananas::expr
