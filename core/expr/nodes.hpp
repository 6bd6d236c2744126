#pragma once
// Internal building blocks of the builders (not for callers outside core/expr).
// Every node does one virtual call per child; the per-type work is a lambda
// baked into the node's class at build time, so evaluation never switches on
// types per row.
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/expr/compiled_expr.hpp"

namespace ananas::expr::detail {

[[noreturn]] inline void type_error(const SourceLocation& loc, std::string message) {
  throw InputError(loc, std::move(message));
}

inline Arena& arena_of(EvalContext& ctx) {
  if (ctx.arena == nullptr) throw EvalError("internal error: expression evaluated without an arena for its results");
  return *ctx.arena;
}

// memcmp/memcpy that accept the null data pointer of an empty string.
inline bool same_bytes(const char* a, const char* b, size_t n) { return n == 0 || std::memcmp(a, b, n) == 0; }
inline void copy_bytes(char* dst, const char* src, size_t n) {
  if (n) std::memcpy(dst, src, n);
}

// Copies `s` into the context's arena and returns it as a string value.
inline Value arena_string(EvalContext& ctx, std::string_view s) { return Value::string(arena_of(ctx).copy(s)); }

// An input cell. Kept as a named class so builders can recognise `column op literal`.
class ColumnNode final : public CompiledExpr {
 public:
  ColumnNode(size_t index, Type t) : CompiledExpr(std::move(t)), index_(index) {}
  Value eval(const Value* row, EvalContext&) const override { return row[index_]; }
  size_t index() const { return index_; }

 private:
  size_t index_;
};

// A constant; owns the bytes its value points to. A constant with out-of-line
// bytes (a string, a big decimal, a nested value) is copied into the result
// arena when evaluated: output batches must not point into an expression,
// which may be destroyed while they are still in flight.
class LiteralNode final : public CompiledExpr {
 public:
  LiteralNode(const Value& v, Type t);
  Value eval(const Value*, EvalContext& ctx) const override { return out_of_line_ ? copied(ctx) : value_; }
  // The stored value, for builders that inspect constants at build time.
  const Value& value() const { return value_; }

 private:
  Value copied(EvalContext& ctx) const;

  Value value_;
  bool out_of_line_ = false;
  std::shared_ptr<Arena> storage_;
};

inline const ColumnNode* as_column(const CompiledExprPtr& e) { return dynamic_cast<const ColumnNode*>(e.get()); }
inline const LiteralNode* as_literal(const CompiledExprPtr& e) { return dynamic_cast<const LiteralNode*>(e.get()); }

// NULL in, NULL out; `f(value, ctx)` otherwise.
template <class F>
class UnaryNode final : public CompiledExpr {
 public:
  UnaryNode(Type t, CompiledExprPtr a, F f) : CompiledExpr(std::move(t)), a_(std::move(a)), f_(std::move(f)) {}
  Value eval(const Value* row, EvalContext& ctx) const override {
    Value v = a_->eval(row, ctx);
    if (v.is_null()) return v;
    return f_(v, ctx);
  }

 private:
  CompiledExprPtr a_;
  F f_;
};

template <class F>
class BinaryNode final : public CompiledExpr {
 public:
  BinaryNode(Type t, CompiledExprPtr a, CompiledExprPtr b, F f)
      : CompiledExpr(std::move(t)), a_(std::move(a)), b_(std::move(b)), f_(std::move(f)) {}
  Value eval(const Value* row, EvalContext& ctx) const override {
    Value x = a_->eval(row, ctx);
    if (x.is_null()) return x;
    Value y = b_->eval(row, ctx);
    if (y.is_null()) return y;
    return f_(x, y, ctx);
  }

 private:
  CompiledExprPtr a_, b_;
  F f_;
};

// The most arguments a NaryNode takes. Outside the template: naming a member
// of NaryNode<X> instantiates its eval() for X (clang), which needs a real F.
inline constexpr size_t kMaxNaryArgs = 16;

// All arguments evaluated into a small buffer; `f(args, n, ctx)` decides about NULLs itself.
template <class F>
class NaryNode final : public CompiledExpr {
 public:
  NaryNode(Type t, std::vector<CompiledExprPtr> args, F f, bool null_in_null_out)
      : CompiledExpr(std::move(t)), args_(std::move(args)), f_(std::move(f)), strict_(null_in_null_out) {}
  Value eval(const Value* row, EvalContext& ctx) const override {
    Value buf[kMaxArgs];
    size_t n = args_.size();
    for (size_t i = 0; i < n; ++i) {
      buf[i] = args_[i]->eval(row, ctx);
      if (strict_ && buf[i].is_null()) return Value::null();
    }
    return f_(static_cast<const Value*>(buf), n, ctx);
  }
  static constexpr size_t kMaxArgs = kMaxNaryArgs;

 private:
  std::vector<CompiledExprPtr> args_;
  F f_;
  bool strict_;
};

template <class F>
CompiledExprPtr make_unary(Type t, CompiledExprPtr a, F f) {
  return std::make_shared<UnaryNode<F>>(std::move(t), std::move(a), std::move(f));
}
template <class F>
CompiledExprPtr make_binary(Type t, CompiledExprPtr a, CompiledExprPtr b, F f) {
  return std::make_shared<BinaryNode<F>>(std::move(t), std::move(a), std::move(b), std::move(f));
}
// Throws InputError at `loc` when there are more arguments than a node can hold.
void check_arg_count(size_t n, const SourceLocation& loc);
template <class F>
CompiledExprPtr make_nary(Type t, std::vector<CompiledExprPtr> args, F f, bool null_in_null_out,
                          const SourceLocation& loc) {
  check_arg_count(args.size(), loc);
  return std::make_shared<NaryNode<F>>(std::move(t), std::move(args), std::move(f), null_in_null_out);
}

// Result nullability when any input makes the result NULL.
inline bool any_nullable(const std::vector<CompiledExprPtr>& args) {
  for (const auto& a : args)
    if (a->type().nullable) return true;
  return false;
}

}  // namespace ananas::expr::detail
