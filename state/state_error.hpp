#pragma once
// Durable state could not be written, read or used. The message says which
// pipeline, topic or operator, and what to do about it.
#include <stdexcept>

namespace ananas::state {

struct StateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace ananas::state
