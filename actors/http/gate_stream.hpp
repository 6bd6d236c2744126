#pragma once
// httplib's view of one request on a gated connection (httplib::Stream):
// the bytes the gate already holds, then the socket, never past the end of
// the request (head + Content-Length), so that httplib reads exactly one
// request and the next one's bytes stay with the connection. Reads wait at
// most until the body deadline, writes at most the write timeout each; a
// client that is too slow makes the stream fail and the connection close, and
// so does the gate stopping (a stop waits for no slow client).
#include <atomic>
#include <chrono>
#include <string>

#include <httplib.h>

#include "actors/http/gate_limits.hpp"
#include "actors/http/gated_connection.hpp"

namespace ananas::rt::http {

class GateStream final : public httplib::Stream {
 public:
  GateStream(GatedConnection& connection, const GateLimits& limits, const std::atomic<bool>& stopping);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  // httplib (built without CPPHTTPLIB_USE_POLL) answers 500 to a stream whose
  // socket number is FD_SETSIZE or more, because its select() could not wait
  // on it. This stream never lets httplib wait on the socket (it polls
  // itself), so it names none.
  socket_t socket() const override { return INVALID_SOCKET; }

  // Drops the request's bytes from the connection's buffer. True when the
  // request was read to its end and nothing failed: the connection may serve
  // another request.
  bool finish();

 private:
  bool wait_for(short events, std::chrono::steady_clock::time_point deadline) const;

  GatedConnection& c_;
  const GateLimits& limits_;
  const std::atomic<bool>& stopping_;
  uint64_t end_;     // head + body: where this request ends
  uint64_t pos_ = 0;  // read so far
  std::chrono::steady_clock::time_point body_deadline_;
  bool failed_ = false;
};

}  // namespace ananas::rt::http
