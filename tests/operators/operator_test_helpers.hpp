#pragma once
// Test scaffolding for the operator suite: literal rows, compact row rendering
// ("+I(7,Ann,🍌 banana)"), timestamps, and two trivial CompiledExpr test doubles
// (a column reference and a lambda) so operators can be tested without the SQL
// expression compiler.
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/batch.hpp"
#include "core/expr/compiled_expr.hpp"
#include "core/schema.hpp"
#include "operators/operator.hpp"

namespace optest {

using namespace ananas;

// A literal cell: NULL, integer, double, string, array or row.
struct Cell {
  enum class K { Null, Int, Real, Str, Bool, Array, Row } k = K::Null;
  int64_t i = 0;
  uint32_t nano_of_milli = 0;  // Int: a timestamp's nanoseconds below its millisecond
  double d = 0;
  std::string s;
  std::vector<Cell> elems;
};
inline Cell null() { return {}; }
inline Cell i(int64_t v) { Cell c; c.k = Cell::K::Int; c.i = v; return c; }
// A timestamp with nanoseconds below the millisecond (Value::timestamp).
inline Cell precise(int64_t millis, uint32_t nano_of_milli) { Cell c = i(millis); c.nano_of_milli = nano_of_milli; return c; }
inline Cell real(double v) { Cell c; c.k = Cell::K::Real; c.d = v; return c; }
inline Cell s(std::string v) { Cell c; c.k = Cell::K::Str; c.s = std::move(v); return c; }
inline Cell b(bool v) { Cell c; c.k = Cell::K::Bool; c.i = v; return c; }
inline Cell arr(std::vector<Cell> e) { Cell c; c.k = Cell::K::Array; c.elems = std::move(e); return c; }
inline Cell row(std::vector<Cell> e) { Cell c; c.k = Cell::K::Row; c.elems = std::move(e); return c; }

inline Value to_value(const Cell& c, Arena& a) {
  switch (c.k) {
    case Cell::K::Null: return Value::null();
    case Cell::K::Int: return Value::timestamp(c.i, c.nano_of_milli);
    case Cell::K::Real: return Value::real(c.d);
    case Cell::K::Bool: return Value::boolean(c.i != 0);
    case Cell::K::Str: return Value::string(a.copy(c.s));
    case Cell::K::Array:
    case Cell::K::Row: {
      Value* e = a.allocate_array<Value>(c.elems.size());
      for (size_t n = 0; n < c.elems.size(); ++n) e[n] = to_value(c.elems[n], a);
      auto len = static_cast<uint32_t>(c.elems.size());
      return c.k == Cell::K::Array ? Value::array(e, len) : Value::row(e, len);
    }
  }
  return Value::null();
}

struct Row {
  RowKind kind = RowKind::Insert;
  std::vector<Cell> cells;
  Row(std::vector<Cell> c) : cells(std::move(c)) {}  // NOLINT: implicit for brevity in tables
  Row(RowKind k, std::vector<Cell> c) : kind(k), cells(std::move(c)) {}
};

inline BatchPtr batch(size_t width, const std::vector<Row>& rows) {
  auto out = std::make_shared<Batch>(width, rows.size());
  for (const auto& r : rows) {
    Value* dst = out->append_row(r.kind);
    for (size_t c = 0; c < width && c < r.cells.size(); ++c) dst[c] = to_value(r.cells[c], out->arena());
  }
  return out;
}

inline std::string show(const Value& v) {
  switch (v.kind) {
    case ValueKind::Null: return "NULL";
    case ValueKind::Bool: return v.as_bool() ? "TRUE" : "FALSE";
    case ValueKind::Int:  // a timestamp's nanoseconds below the millisecond as "+Nns"
      return std::to_string(v.as_int()) + (v.nano_of_milli() ? "+" + std::to_string(v.nano_of_milli()) + "ns" : "");
    case ValueKind::Double: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", v.as_double());
      return buf;
    }
    case ValueKind::Decimal:
    case ValueKind::BigDecimal: return "dec:" + std::to_string(static_cast<long long>(v.unscaled()));
    case ValueKind::String: return std::string(v.as_string());
    case ValueKind::Array:
    case ValueKind::Row:
    case ValueKind::Map: {
      std::string out = v.kind == ValueKind::Row ? "(" : "[";
      bool first = true;
      for (const auto& e : v.elements()) {
        if (!first) out += ",";
        first = false;
        out += show(e);
      }
      return out + (v.kind == ValueKind::Row ? ")" : "]");
    }
  }
  return "?";
}

inline std::string show_row(const Batch& b, size_t r) {
  std::string out = std::string(row_kind_name(b.kind(r))) + "(";
  for (size_t c = 0; c < b.num_columns(); ++c) {
    if (c) out += ",";
    out += show(b.at(r, c));
  }
  return out + ")";
}

inline std::vector<std::string> rows_of(const std::vector<BatchPtr>& batches) {
  std::vector<std::string> out;
  for (const auto& b : batches)
    for (size_t r = 0; r < b->num_rows(); ++r) out.push_back(show_row(*b, r));
  return out;
}

// Epoch millis of "YYYY-MM-DD HH:MM:SS[.mmm]" read as UTC.
inline int64_t ts(const std::string& text) {
  std::tm tm{};
  int ms = 0;
  std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d.%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
              &tm.tm_sec, &ms);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  if (text.find('.') != std::string::npos) {
    std::string frac = text.substr(text.find('.') + 1);
    while (frac.size() < 3) frac += "0";
    ms = std::stoi(frac.substr(0, 3));
  }
  return static_cast<int64_t>(timegm(&tm)) * 1000 + ms;
}

class ColumnExpr final : public expr::CompiledExpr {
 public:
  ColumnExpr(size_t index, Type t) : CompiledExpr(std::move(t)), index_(index) {}
  Value eval(const Value* row, expr::EvalContext&) const override { return row[index_]; }

 private:
  size_t index_;
};

using Fn = std::function<Value(const Value*, expr::EvalContext&)>;
class LambdaExpr final : public expr::CompiledExpr {
 public:
  LambdaExpr(Type t, Fn fn) : CompiledExpr(std::move(t)), fn_(std::move(fn)) {}
  Value eval(const Value* row, expr::EvalContext& ctx) const override { return fn_(row, ctx); }

 private:
  Fn fn_;
};

inline expr::CompiledExprPtr col(const Schema& schema, const std::string& name) {
  auto idx = schema.find(name);
  if (!idx) throw std::invalid_argument("test: no column " + name);
  return std::make_shared<ColumnExpr>(*idx, schema[*idx].type);
}
inline expr::CompiledExprPtr fn(Type t, Fn f) { return std::make_shared<LambdaExpr>(std::move(t), std::move(f)); }

// `column IN (strings...)` with SQL's NULL semantics.
inline expr::CompiledExprPtr in_list(const Schema& schema, const std::string& name, std::vector<std::string> options) {
  size_t idx = *schema.find(name);
  return fn(Type::boolean(), [idx, options](const Value* row, expr::EvalContext&) {
    if (row[idx].is_null()) return Value::null();
    for (const auto& o : options)
      if (row[idx].as_string() == o) return Value::boolean(true);
    return Value::boolean(false);
  });
}

// Runs batches then an optional watermark through an operator and collects the output rows.
inline std::vector<std::string> run(ops::Operator& op, const std::vector<BatchPtr>& inputs) {
  std::vector<BatchPtr> out;
  for (const auto& in : inputs) op.process(in, out);
  return rows_of(out);
}
inline std::vector<std::string> fire(ops::Operator& op, int64_t watermark) {
  std::vector<BatchPtr> out;
  op.on_watermark(watermark, out);
  return rows_of(out);
}

}  // namespace optest
