#pragma once
// Keeps idle, slow and half-open clients away from the threads that answer
// requests.
//
// httplib's own server hands every accepted connection to a pool thread,
// which then blocks reading the request line, for up to its keep-alive and
// read timeouts (5 s each): eight silent connections held its whole pool and
// /healthz went unanswered. Here one thread accepts every connection and
// waits, with poll(), until the connection has sent a complete request head
// (request line and headers). Only then does a thread take it, from the lane
// the head's path chooses, so that health probes, /metrics and the REST API
// each have threads of their own and none waits behind another. Between two
// requests of a keep-alive connection, the connection goes back to the gate.
//
// What the gate bounds (GateLimits):
//   - a head must be complete within head_timeout of the connection opening
//     or of its previous answer: idle, half-open and slow connections are
//     closed, unanswered;
//   - open connections per client address and in all: a new connection over
//     either limit closes the oldest idle one (the same client's first);
//     only when none is idle is the new one refused (503);
//   - the head's size (431), and the body's size (413, answered from the
//     head, before any of the body is read);
//   - the body must arrive within body_timeout; each write of an answer
//     waits at most write_timeout.
// The requests themselves are answered by httplib's routing (Serve), on the
// lane's thread.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <httplib.h>

#include "actors/http/gate_limits.hpp"
#include "actors/http/request_head.hpp"

namespace ananas::rt::http {

// An answer the gate writes itself, then closes the connection.
struct DirectAnswer {
  int status = 400;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // JSON
};

// Kafka Connect's error body: {"error_code": status, "message": ...}.
DirectAnswer error_answer(int status, const std::string& message);

struct LaneSpec {
  std::string name;  // names the threads
  size_t threads = 1;
};

// From a request's head: the lane that answers it (an index into the lanes
// given to the gate), or the answer the gate gives at once.
using Route = std::function<std::variant<size_t, DirectAnswer>(const RequestHead&)>;
// Reads one request from `stream` and answers it (httplib's
// Server::process_request): false when the answer could not be written.
using Serve = std::function<bool(httplib::Stream& stream, bool close_connection, bool& connection_closed)>;

class ConnectionGate {
 public:
  ConnectionGate(GateLimits limits, std::vector<LaneSpec> lanes, Route route, Serve serve);
  ~ConnectionGate();  // stop()
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  // Listens on host:port (0: any free port), starts the gate's and the
  // lanes' threads, and returns the port. Throws std::runtime_error
  // "cannot listen on host:port: reason".
  int start(const std::string& host, int port);
  // Stops accepting, closes idle and queued connections, and waits for the
  // requests being answered.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ananas::rt::http
