#pragma once
// How an operator reports a row it could not process (an EvalError from an
// expression, a NULL rowtime). The row produces no output and changes no
// state; the host decides what happens next from the pipeline's `on_error`
// policy (skip and count, fail the pipeline, or send it to a dead-letter topic),
// which is why the operator hands back the batch and row index rather than
// deciding itself.
#include <functional>
#include <stdexcept>
#include <string>

#include "core/batch.hpp"

namespace ananas::ops {

struct RowError {
  const Batch* batch = nullptr;  // the input batch the row belongs to
  size_t row = 0;                // index of the failing row in that batch
  std::string message;
};

using RowErrorHandler = std::function<void(const RowError&)>;

// Thrown when a row fails and no handler was configured: failing loudly is the
// only safe default (silently dropping the row would lose data).
struct RowFailure : std::runtime_error {
  RowFailure(size_t row_index, const std::string& message)
      : std::runtime_error("row " + std::to_string(row_index) + ": " + message), row(row_index) {}
  size_t row;
};

inline void report_row_error(const RowErrorHandler& handler, const Batch& batch, size_t row, const std::string& message) {
  if (!handler) throw RowFailure(row, message);
  handler(RowError{&batch, row, message});
}

}  // namespace ananas::ops
