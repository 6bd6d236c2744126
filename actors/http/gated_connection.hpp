#pragma once
// One client connection as the connection gate keeps it: the socket, the
// client's address (the unit of the per-client limit) and the bytes received
// but not yet served. The gate's thread owns it while it waits for a request
// head; a lane thread owns it while that request is answered.
#include <chrono>
#include <cstdint>
#include <string>

#include "actors/http/request_head.hpp"

namespace ananas::rt::http {

struct GatedConnection {
  using Clock = std::chrono::steady_clock;
  enum class State { Waiting, Busy, Lingering };

  int fd = -1;
  std::string client;  // the peer's IP address, without the port
  int client_port = 0;
  uint64_t serial = 0;  // admission order: among idle connections, the oldest is evicted first
  State state = State::Waiting;
  std::string buffer;        // received, not yet served (the next head, perhaps part of its body)
  size_t searched = 0;       // the head's end was looked for in buffer[0, searched)
  Clock::time_point deadline;  // Waiting: the head must be complete; Lingering: close
  RequestHead head;            // Busy: the request being answered
  size_t requests = 0;         // answered on this connection
};

}  // namespace ananas::rt::http
