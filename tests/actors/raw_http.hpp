#pragma once
// HTTP over plain sockets, for tests that need what a client library hides:
// connections left idle or half-sent, a chosen source address (any
// 127.x.y.z is this machine, so one test can be several clients), requests
// written exactly as given. Every wait is bounded.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ananas::rt::testing {

// A connected socket to 127.0.0.1:port from `source` (an address of the
// loopback network), or -1. Reads give up after 10 s.
inline int connect_from(int port, const char* source = "127.0.0.1") {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  ::inet_pton(AF_INET, source, &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline bool send_all(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

struct RawResponse {
  int status = 0;  // 0: no answer
  std::string head;
  std::string body;
  bool has_header(const std::string& line) const { return head.find("\r\n" + line + "\r\n") != std::string::npos; }
};

// Reads one answer (head, then Content-Length bytes of body) from `fd`, and
// not a byte more: answers sent back to back are read one call each.
inline RawResponse read_response(int fd) {
  RawResponse r;
  std::string head;
  char byte = 0;
  while (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0) {
    if (::recv(fd, &byte, 1, 0) != 1) return r;
    head += byte;
  }
  r.head = head.substr(0, head.size() - 2);
  size_t length = 0;
  if (const size_t at = r.head.find("Content-Length: "); at != std::string::npos)
    length = std::strtoul(r.head.c_str() + at + 16, nullptr, 10);
  r.body.resize(length);
  for (size_t got = 0; got < length;) {
    const ssize_t n = ::recv(fd, r.body.data() + got, length - got, 0);
    if (n <= 0) return r;
    got += static_cast<size_t>(n);
  }
  if (r.head.rfind("HTTP/1.1 ", 0) == 0) r.status = std::atoi(r.head.c_str() + 9);
  return r;
}

// Sends `request` as written on a new connection and reads the answer.
inline RawResponse raw_request(int port, const std::string& request, const char* source = "127.0.0.1") {
  const int fd = connect_from(port, source);
  if (fd < 0) return {};
  RawResponse r = send_all(fd, request) ? read_response(fd) : RawResponse{};
  ::close(fd);
  return r;
}

// Whether the server closed `fd` (end of stream or reset) within `within`;
// bytes it sent first are skipped.
inline bool closed_by_server(int fd, std::chrono::milliseconds within = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  char buf[4096];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno == ECONNRESET)) return true;
  }
}

// Raises the soft limit of open files to `wanted` (or the hard limit): a
// test that holds hundreds of connections holds both ends of each.
inline void allow_open_files(rlim_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted) return;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace ananas::rt::testing
