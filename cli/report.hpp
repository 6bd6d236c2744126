#pragma once
// How commands report problems in the user's input: `file:line:col: message`
// on stderr, warnings prefixed `warning:`.
#include <iostream>

#include "core/diagnostic.hpp"

namespace ananas::cli {

inline void print_warnings(const Warnings& warnings, std::ostream& os = std::cerr) {
  for (const auto& w : warnings) os << w.to_string() << "\n";
}

}  // namespace ananas::cli
