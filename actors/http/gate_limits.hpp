#pragma once
// The bounds the connection gate (connection_gate.hpp) puts on clients.
// The defaults are the worker's; tests shorten them.
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace ananas::rt::http {

struct GateLimits {
  // A connection must deliver a whole request head within this of opening,
  // or of its previous answer (keep-alive); else it is closed, unanswered.
  std::chrono::milliseconds head_timeout{5000};
  // The body, once the head is in, must have arrived within this.
  std::chrono::milliseconds body_timeout{30000};
  // Each wait for the client to take more of an answer.
  std::chrono::milliseconds write_timeout{5000};
  // After an answer the gate gives itself (401, 413...), how long the rest
  // of what the client still sends is read and dropped before closing, so
  // that the client reads the answer instead of a connection reset.
  std::chrono::milliseconds linger{2000};
  size_t max_head_bytes = 16 * 1024;          // request line and headers: 431 beyond
  uint64_t max_body_bytes = 16 * 1024 * 1024;  // Content-Length: 413 beyond
  size_t max_connections = 512;               // open at once, all clients together
  size_t max_connections_per_client = 64;     // open at once from one address
  size_t max_requests_per_connection = 100;   // then the answer says Connection: close
};

}  // namespace ananas::rt::http
