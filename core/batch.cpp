#include "core/batch.hpp"

#include <algorithm>

namespace ananas {

std::string_view row_kind_name(RowKind k) {
  switch (k) {
    case RowKind::Insert: return "+I";
    case RowKind::UpdateBefore: return "-U";
    case RowKind::UpdateAfter: return "+U";
    case RowKind::Delete: return "-D";
  }
  return "?";
}

Batch::Batch(size_t num_columns, size_t expected_rows)
    : num_columns_(num_columns), arena_(std::make_unique<Arena>()) {
  reserve(expected_rows);
}

Value* Batch::append_row(RowKind kind) {
  kinds_.push_back(kind);
  cells_.resize(cells_.size() + num_columns_);
  return cells_.data() + cells_.size() - num_columns_;
}

void Batch::append_row(const Value* values, RowKind kind) {
  kinds_.push_back(kind);
  cells_.insert(cells_.end(), values, values + num_columns_);
}

void Batch::reserve(size_t rows) {
  kinds_.reserve(rows);
  cells_.reserve(rows * num_columns_);
}

void Batch::clear() {
  kinds_.clear();
  cells_.clear();
  retained_.clear();
  origin_.reset();
  origin_rows_.clear();
  processing_time_ms_ = 0;
  arena_ = std::make_unique<Arena>();
}

void Batch::retain(BatchPtr other) {
  if (!other) return;
  if (processing_time_ms_ == 0) processing_time_ms_ = other->processing_time_ms_;
  for (const auto& r : retained_)
    if (r == other) return;
  retained_.push_back(std::move(other));
}

size_t Batch::bytes_owned() const {
  return cells_.capacity() * sizeof(Value) + kinds_.capacity() + arena_->bytes_reserved();
}

std::unique_ptr<Batch> Batch::clone() const {
  deep_copies_.fetch_add(1, std::memory_order_relaxed);
  auto out = std::make_unique<Batch>(num_columns_, num_rows());
  out->processing_time_ms_ = processing_time_ms_;
  out->origin_ = origin_;
  out->origin_rows_ = origin_rows_;
  for (size_t r = 0; r < num_rows(); ++r) {
    Value* dst = out->append_row(kinds_[r]);
    const Value* src = row(r);
    for (size_t c = 0; c < num_columns_; ++c) dst[c] = deep_copy(src[c], out->arena());
  }
  return out;
}

Value deep_copy(const Value& v, Arena& arena) {
  switch (v.kind) {
    case ValueKind::String:
      return Value::string(arena.copy(v.as_string()));
    case ValueKind::BigDecimal: {
      auto* p = arena.allocate_array<__int128>(1);
      *p = *v.u.big;
      return Value::big_decimal(p);
    }
    case ValueKind::Array:
    case ValueKind::Row:
    case ValueKind::Map: {
      auto src = v.elements();
      Value* dst = arena.allocate_array<Value>(src.size());
      for (size_t i = 0; i < src.size(); ++i) dst[i] = deep_copy(src[i], arena);
      Value out = v;
      out.u.elems = dst;
      return out;
    }
    default:
      return v;
  }
}

}  // namespace ananas
