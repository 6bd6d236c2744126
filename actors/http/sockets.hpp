#pragma once
// The few socket calls the connection gate needs, with errors as messages.
#include <string>

struct sockaddr;

namespace ananas::rt::http {

struct Endpoint {
  std::string ip;  // numeric: 127.0.0.1, ::1
  int port = 0;
};

Endpoint endpoint_of(const sockaddr* address);
Endpoint local_endpoint(int fd);

// A non-blocking listening socket on host:port (port 0: any free one), with
// SO_REUSEADDR for a quick restart and without SO_REUSEPORT (which would let
// a second worker share the port silently). Throws std::runtime_error
// "cannot listen on host:port: reason".
int listen_on(const std::string& host, int port);

// A small answer written without waiting (the socket is non-blocking): the
// gate's own refusals fit in the socket's buffer of a new connection; if they
// do not, the client gets the close alone.
void send_now(int fd, const std::string& bytes);

}  // namespace ananas::rt::http
