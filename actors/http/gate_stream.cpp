#include "actors/http/gate_stream.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>

#include "actors/http/sockets.hpp"

namespace ananas::rt::http {

using Clock = std::chrono::steady_clock;

GateStream::GateStream(GatedConnection& connection, const GateLimits& limits, const std::atomic<bool>& stopping)
    : c_(connection),
      limits_(limits),
      stopping_(stopping),
      end_(connection.head.head_bytes + connection.head.content_length),
      body_deadline_(Clock::now() + limits.body_timeout) {}

bool GateStream::wait_for(short events, Clock::time_point deadline) const {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0 || stopping_) return false;
    pollfd p{c_.fd, events, 0};
    // In slices, to notice a stop.
    const int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 200)));
    if (n > 0) return true;  // ready, or an error the next call reports
    if (n < 0 && errno != EINTR) return false;
  }
}

bool GateStream::is_readable() const {
  if (pos_ >= end_) return false;
  return pos_ < c_.buffer.size() || wait_for(POLLIN, body_deadline_);
}

bool GateStream::is_writable() const { return wait_for(POLLOUT, Clock::now() + limits_.write_timeout); }

ssize_t GateStream::read(char* ptr, size_t size) {
  if (pos_ >= end_) return 0;  // this request ends here
  size = static_cast<size_t>(std::min<uint64_t>(size, end_ - pos_));
  if (pos_ < c_.buffer.size()) {
    const size_t n = std::min(size, c_.buffer.size() - static_cast<size_t>(pos_));
    std::memcpy(ptr, c_.buffer.data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  for (;;) {
    const ssize_t n = ::recv(c_.fd, ptr, size, 0);
    if (n > 0) {
      pos_ += static_cast<uint64_t>(n);
      return n;
    }
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) break;  // closed mid-body, or broken
    if (errno != EINTR && !wait_for(POLLIN, body_deadline_)) break;                    // too slow
  }
  failed_ = true;
  return -1;
}

ssize_t GateStream::write(const char* ptr, size_t size) {
  for (;;) {
    const ssize_t n = ::send(c_.fd, ptr, size, MSG_NOSIGNAL);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    if ((errno == EAGAIN || errno == EWOULDBLOCK) && wait_for(POLLOUT, Clock::now() + limits_.write_timeout)) continue;
    failed_ = true;
    return -1;
  }
}

void GateStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = c_.client;
  port = c_.client_port;
}

void GateStream::get_local_ip_and_port(std::string& ip, int& port) const {
  Endpoint local = local_endpoint(c_.fd);
  ip = std::move(local.ip);
  port = local.port;
}

bool GateStream::finish() {
  if (pos_ >= c_.buffer.size()) c_.buffer.clear();
  else c_.buffer.erase(0, static_cast<size_t>(pos_));
  c_.searched = 0;
  return !failed_ && pos_ == end_;
}

}  // namespace ananas::rt::http
