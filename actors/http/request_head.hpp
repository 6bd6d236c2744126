#pragma once
// The head of an HTTP/1.1 request (request line and header fields, up to the
// empty line), read by the connection gate before any worker thread sees the
// connection. It holds what the gate decides on without reading the body:
// the path (which thread lane answers, whether a token is needed), the
// Authorization header, and where the request ends (Content-Length), so that
// a request never reads into the next one's bytes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace ananas::rt::http {

struct RequestHead {
  std::string method;
  std::string target;                        // as sent: path and query
  std::string path;                          // the target up to '?'
  size_t head_bytes = 0;                     // through the empty line
  uint64_t content_length = 0;               // 0 without a Content-Length
  std::optional<std::string> authorization;  // the Authorization header's value
};

// Why a head is refused: the status to answer and a message for the client.
struct HeadError {
  int status = 400;
  std::string message;
};

// Where the head ends in `bytes` (just past "\r\n\r\n"), searching from
// `from` (bytes before it were searched already), or npos.
size_t find_head_end(std::string_view bytes, size_t from = 0);

// Parses a complete head (`head` ends with "\r\n\r\n"). Refuses, rather than
// guesses at, what could make the gate and httplib disagree on where the
// request ends: several different Content-Length values, a Content-Length
// that is not a number, a Transfer-Encoding (411: send a Content-Length).
std::variant<RequestHead, HeadError> parse_request_head(std::string_view head);

}  // namespace ananas::rt::http
