#pragma once
// The evaluation interface of a bound, type-checked SQL expression. Parsing
// and binding happen once when a pipeline is built; evaluation runs per row
// and allocates only when it creates strings (into the context's arena).
#include <cstdint>
#include <memory>
#include <stdexcept>

#include "core/arena.hpp"
#include "core/types.hpp"
#include "core/value.hpp"

namespace ananas::expr {

struct EvalContext {
  Arena* arena = nullptr;            // results that need memory (||, CAST to STRING, LISTAGG) go here
  const void* navigation = nullptr;  // MATCH_RECOGNIZE: the partial match a DEFINE/MEASURES is evaluated on
  int64_t proctime_millis = 0;       // PROCTIME(), CURRENT_TIMESTAMP, NOW()
};

// A runtime failure of one row (integer division by zero, a failed CAST).
// The host applies the pipeline's error policy to the row that caused it.
struct EvalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class CompiledExpr {
 public:
  explicit CompiledExpr(Type type) : type_(std::move(type)) {}
  virtual ~CompiledExpr() = default;
  // `row` is the input row's cells, in the input schema's column order.
  virtual Value eval(const Value* row, EvalContext& ctx) const = 0;
  const Type& type() const { return type_; }

 protected:
  Type type_;
};

using CompiledExprPtr = std::shared_ptr<const CompiledExpr>;

// SQL's three-valued WHERE/HAVING/DEFINE test: only TRUE keeps a row.
inline bool is_true(const Value& v) { return v.kind == ValueKind::Bool && v.as_bool(); }

}  // namespace ananas::expr
