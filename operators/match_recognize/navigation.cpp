#include "operators/match_recognize/navigation.hpp"

#include <stdexcept>

#include "operators/owned_value.hpp"

namespace ananas::ops::mr {

namespace {

const MatchContext& match_of(const expr::EvalContext& ctx) {
  if (ctx.navigation == nullptr) throw expr::EvalError("pattern navigation evaluated outside MATCH_RECOGNIZE");
  return *static_cast<const MatchContext*>(ctx.navigation);
}

class ColumnRef final : public expr::CompiledExpr {
 public:
  ColumnRef(size_t column, Type type) : CompiledExpr(std::move(type)), column_(column) {}
  Value eval(const Value* row, expr::EvalContext&) const override { return row[column_]; }

 private:
  size_t column_;
};

class Navigate final : public expr::CompiledExpr {
 public:
  Navigate(int var, size_t offset, bool from_end, expr::CompiledExprPtr inner)
      : CompiledExpr(inner->type().with_nullable(true).with_time_attr(TimeAttr::None)),
        var_(var), offset_(offset), from_end_(from_end), inner_(std::move(inner)) {}

  Value eval(const Value*, expr::EvalContext& ctx) const override {
    const MatchContext& m = match_of(ctx);
    const Value* row = from_end_ ? m.list_from_end(var_, offset_) : m.list_at(var_, offset_);
    return row ? inner_->eval(row, ctx) : Value::null();
  }

 private:
  int var_;
  size_t offset_;
  bool from_end_;
  expr::CompiledExprPtr inner_;
};

Type aggregate_type(MatchAggregate kind, const expr::CompiledExprPtr& inner) {
  switch (kind) {
    case MatchAggregate::Count: return Type::bigint().with_nullable(false);
    case MatchAggregate::ListAgg: return Type::string();
    default: break;
  }
  if (!inner) throw std::invalid_argument("aggregate needs an argument");
  Type t = inner->type().with_nullable(true).with_time_attr(TimeAttr::None);
  bool ok = kind == MatchAggregate::Min || kind == MatchAggregate::Max ? !t.is_nested() : t.is_numeric();
  if (!ok) throw std::invalid_argument("aggregate does not accept " + t.to_string());
  // SUM/AVG/MIN/MAX keep the argument's type (AVG of integers is an integer, truncated).
  return t;
}

class Aggregate final : public expr::CompiledExpr {
 public:
  Aggregate(MatchAggregate kind, int var, expr::CompiledExprPtr inner, std::string separator)
      : CompiledExpr(aggregate_type(kind, inner)), kind_(kind), var_(var), inner_(std::move(inner)),
        separator_(std::move(separator)) {}

  Value eval(const Value*, expr::EvalContext& ctx) const override {
    const MatchContext& m = match_of(ctx);
    const size_t n = m.list_size(var_);
    int64_t count = 0;
    __int128 int_sum = 0;
    double real_sum = 0;
    bool real = false;
    std::string text;
    bool any_text = false;
    OwnedValue best;
    for (size_t i = 0; i < n; ++i) {
      const Value* row = m.list_at(var_, i);
      if (!inner_) {  // COUNT(*)
        ++count;
        continue;
      }
      Value v = inner_->eval(row, ctx);
      if (v.is_null()) continue;
      ++count;
      switch (kind_) {
        case MatchAggregate::Sum:
        case MatchAggregate::Avg:
          if (v.kind == ValueKind::Double) real = true, real_sum += v.as_double();
          else if (v.kind == ValueKind::Int) int_sum += v.as_int();
          else int_sum += v.unscaled();
          break;
        case MatchAggregate::Min:
        case MatchAggregate::Max: {
          OwnedValue o = OwnedValue::from(v);
          if (best.is_null() || (kind_ == MatchAggregate::Min ? o < best : best < o)) best = std::move(o);
          break;
        }
        case MatchAggregate::ListAgg:
          if (any_text) text += separator_;
          text += v.as_string();
          any_text = true;
          break;
        case MatchAggregate::Count: break;
      }
    }
    switch (kind_) {
      case MatchAggregate::Count: return Value::integer(count);
      case MatchAggregate::ListAgg:
        return any_text ? Value::string(ctx.arena ? ctx.arena->copy(text) : throw expr::EvalError("LISTAGG needs an arena"))
                        : Value::null();
      case MatchAggregate::Min:
      case MatchAggregate::Max: {
        if (best.is_null()) return Value::null();
        if (!ctx.arena) throw expr::EvalError("MIN/MAX needs an arena");
        return best.to_value(*ctx.arena);
      }
      case MatchAggregate::Sum:
      case MatchAggregate::Avg: break;
    }
    if (count == 0) return Value::null();
    if (real) return Value::real(kind_ == MatchAggregate::Sum ? real_sum : real_sum / static_cast<double>(count));
    __int128 result = kind_ == MatchAggregate::Sum ? int_sum : int_sum / count;  // integer AVG truncates
    if (type_.id == TypeId::Decimal) {
      if (result > INT64_MAX || result < INT64_MIN) throw expr::EvalError("DECIMAL aggregate overflow");
      return Value::decimal(static_cast<int64_t>(result));
    }
    return Value::integer(static_cast<int64_t>(result));  // integer overflow wraps, as in Flink
  }

 private:
  MatchAggregate kind_;
  int var_;
  expr::CompiledExprPtr inner_;
  std::string separator_;
};

}  // namespace

expr::CompiledExprPtr make_column(size_t column, Type type) { return std::make_shared<ColumnRef>(column, std::move(type)); }

expr::CompiledExprPtr make_last(int var, size_t offset, expr::CompiledExprPtr inner) {
  return std::make_shared<Navigate>(var, offset, true, std::move(inner));
}

expr::CompiledExprPtr make_first(int var, size_t offset, expr::CompiledExprPtr inner) {
  return std::make_shared<Navigate>(var, offset, false, std::move(inner));
}

expr::CompiledExprPtr make_aggregate(MatchAggregate kind, int var, expr::CompiledExprPtr inner, std::string separator) {
  return std::make_shared<Aggregate>(kind, var, std::move(inner), std::move(separator));
}

}  // namespace ananas::ops::mr
