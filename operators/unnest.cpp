#include "operators/unnest.hpp"

#include <algorithm>
#include <stdexcept>

namespace ananas::ops {

UnnestOperator::UnnestOperator(UnnestConfig config) : config_(std::move(config)) {
  if (!config_.collection) throw std::invalid_argument("UNNEST needs an argument");
  const Type& t = config_.collection->type();
  std::vector<Column> element;
  if (t.id == TypeId::Array) {
    const Type& e = t.children.at(0);
    if (e.id == TypeId::Row) {
      shape_ = Shape::Row;
      // A NULL element becomes all-NULL fields, so fields of a nullable element are nullable.
      for (size_t i = 0; i < e.children.size(); ++i)
        element.push_back({e.field_names[i], e.nullable ? e.children[i].with_nullable(true) : e.children[i]});
    } else {
      element.push_back({"f0", e});
    }
  } else if (t.id == TypeId::Map) {
    shape_ = Shape::Map;
    element.push_back({"f0", t.children.at(0)});
    element.push_back({"f1", t.children.at(1)});
  } else {
    throw std::invalid_argument("UNNEST expects an ARRAY or MAP argument, got " + t.to_string());
  }
  element_width_ = element.size();
  if (config_.with_ordinality) element.push_back({"ordinality", Type::integer().with_nullable(false)});
  if (config_.left_outer)
    for (auto& c : element) c.type = c.type.with_nullable(true);
  if (!config_.element_names.empty()) {
    if (config_.element_names.size() != element.size())
      throw std::invalid_argument("UNNEST alias lists " + std::to_string(config_.element_names.size()) +
                                  " column names but the unnested relation has " + std::to_string(element.size()) +
                                  " columns");
    for (size_t i = 0; i < element.size(); ++i) element[i].name = config_.element_names[i];
  }
  output_ = config_.input;
  for (auto& c : element) output_.columns.push_back(std::move(c));
}

// Reserves the output for the rows per input row seen so far (plus 1/8), so
// that a batch's cells grow once instead of by repeated reallocation: each
// regrowth copies every cell so far into fresh pages that must be faulted in,
// which was the largest item of the worker's profile on the tutorial's
// double UNNEST. Capped: one batch of huge arrays must not make every later
// batch reserve gigabytes.
size_t UnnestOperator::expected_output_rows(size_t input_rows) const {
  constexpr size_t kMaxReservedRows = size_t{1} << 20;
  if (stats_.rows_in == 0) return input_rows;
  const double per_row = static_cast<double>(stats_.rows_out) / static_cast<double>(stats_.rows_in);
  const double expected = static_cast<double>(input_rows) * per_row * 1.125 + 1;
  return std::min(kMaxReservedRows, static_cast<size_t>(expected));
}

void UnnestOperator::process(const BatchPtr& input, std::vector<BatchPtr>& out) {
  if (!input || input->empty()) return;
  const size_t reserved_rows = expected_output_rows(input->num_rows());
  stats_.rows_in += input->num_rows();
  const size_t in_width = input->num_columns();
  auto result = std::make_shared<Batch>(output_.size(), reserved_rows);
  result->retain(input);
  result->set_origin(input->origin());
  expr::EvalContext ctx;
  ctx.arena = &result->arena();

  // Each output row is assembled in a scratch row (hot in cache) and then
  // copied once into the batch: appending a NULL row and filling it would
  // write every cell twice, the first time into cold memory (that memset was
  // ~6% of the worker's profile on the tutorial's double UNNEST).
  scratch_row_.assign(output_.size(), Value{});
  Value* const el = scratch_row_.data() + in_width;
  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    Value collection;
    try {
      collection = config_.collection->eval(row, ctx);
    } catch (const expr::EvalError& e) {
      report_row_error(config_.on_row_error, *input, r, e.what());
      continue;
    }
    const size_t count = collection.is_null() ? 0 : shape_ == Shape::Map ? collection.len : collection.elements().size();
    if (count == 0 && config_.left_outer) {
      Value* dst = result->append_row(input->kind(r));  // the element columns stay NULL
      result->trace_from(*input, r);
      for (size_t c = 0; c < in_width; ++c) dst[c] = row[c];
      continue;
    }
    if (count == 0) continue;
    auto elems = collection.elements();
    std::copy(row, row + in_width, scratch_row_.begin());
    for (size_t i = 0; i < count; ++i) {
      switch (shape_) {
        case Shape::Scalar: el[0] = elems[i]; break;
        case Shape::Map: el[0] = elems[2 * i]; el[1] = elems[2 * i + 1]; break;
        case Shape::Row: {
          // A NULL element (or a shorter row) leaves the fields NULL.
          std::fill(el, el + element_width_, Value{});
          const Value& e = elems[i];
          if (e.is_null()) break;
          auto fields = e.elements();
          for (size_t f = 0; f < element_width_ && f < fields.size(); ++f) el[f] = fields[f];
          break;
        }
      }
      if (config_.with_ordinality) el[element_width_] = Value::integer(static_cast<int64_t>(i) + 1);
      result->append_row(scratch_row_.data(), input->kind(r));
      result->trace_from(*input, r);
    }
  }
  if (result->empty()) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

}  // namespace ananas::ops
