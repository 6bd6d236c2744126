#pragma once
// FailureKind (pipeline_status.hpp) as a CAF error category: an actor that
// fails ends with error{kind, "ananas", message}, so whoever monitors it
// reads the kind and the human message apart. Internal (CAF types).
#include <string>

#include "actors/internal/messages.hpp"
#include "actors/pipeline_status.hpp"

namespace ananas::rt {

inline constexpr caf::atom_value kFailureCategory = caf::atom("ananas");

// Found by CAF through ADL: `caf::error e = make_error(FailureKind::SinkFailed, "...")`.
inline caf::error make_error(FailureKind kind, std::string message) {
  return caf::error{static_cast<uint8_t>(kind), kFailureCategory, caf::make_message(std::move(message))};
}

// A failure read back from an actor's exit reason.
struct Failure {
  FailureKind kind = FailureKind::ActorExited;
  std::string message;
};

// An error of our category gives its kind and message; anything else (CAF's
// own reasons: killed, unreachable, ...) is ActorExited with CAF's rendering.
inline Failure read_failure(const caf::error& reason, const caf::actor_system& sys) {
  if (!reason) return {FailureKind::ActorExited, "exited unexpectedly"};
  if (reason.category() == kFailureCategory && reason.code() >= 1 &&
      reason.code() <= static_cast<uint8_t>(kLastFailureKind)) {
    Failure f{static_cast<FailureKind>(reason.code()), {}};
    if (reason.context().match_elements<std::string>()) f.message = reason.context().get_as<std::string>(0);
    return f;
  }
  return {FailureKind::ActorExited, sys.render(reason)};
}

// Lets the actor system render our errors as "operator_failed: <message>".
inline void add_failure_category(caf::actor_system_config& cfg) {
  cfg.add_error_category(kFailureCategory, [](uint8_t code, caf::atom_value, const caf::message& ctx) {
    std::string out = code >= 1 && code <= static_cast<uint8_t>(kLastFailureKind)
                          ? std::string(failure_kind_name(static_cast<FailureKind>(code)))
                          : "ananas error " + std::to_string(code);
    if (ctx.match_elements<std::string>()) out += ": " + ctx.get_as<std::string>(0);
    return out;
  });
}

}  // namespace ananas::rt
