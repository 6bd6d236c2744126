// What the connection gate reads from a request head, and the bearer check,
// without sockets.
#include <catch2/catch.hpp>

#include <limits>

#include "actors/http/bearer_auth.hpp"
#include "actors/http/request_head.hpp"

using namespace ananas::rt::http;

namespace {

RequestHead head_of(const std::string& text) {
  auto parsed = parse_request_head(text);
  if (auto* e = std::get_if<HeadError>(&parsed)) FAIL("refused: " << e->status << " " << e->message);
  return std::get<RequestHead>(parsed);
}

HeadError error_of(const std::string& text) {
  auto parsed = parse_request_head(text);
  REQUIRE(std::holds_alternative<HeadError>(parsed));
  return std::get<HeadError>(parsed);
}

}  // namespace

TEST_CASE("the head's end is found across the reads it arrived in", "[http]") {
  const std::string head = "GET / HTTP/1.1\r\nHost: x\r\n\r\nbody";
  CHECK(find_head_end(head) == head.size() - 4);
  CHECK(find_head_end(head, 25) == head.size() - 4);  // searched up to the middle of "\r\n\r\n"
  CHECK(find_head_end("GET / HTTP/1.1\r\nHost: x\r\n") == std::string::npos);
  CHECK(find_head_end("GET / HTTP/1.1\n\n") == std::string::npos);  // bare LF: httplib would not end the head there either
}

TEST_CASE("a request head gives the path, the body's length and the credentials", "[http]") {
  const RequestHead h = head_of(
      "POST /pipelines?expand=status HTTP/1.1\r\nHost: x\r\ncontent-length: 42\r\n"
      "Authorization: Bearer abc\r\nAuthorization: Bearer second\r\n\r\n");
  CHECK(h.method == "POST");
  CHECK(h.target == "/pipelines?expand=status");
  CHECK(h.path == "/pipelines");
  CHECK(h.content_length == 42);
  CHECK(h.authorization == "Bearer abc");  // the first, as httplib reads it
  CHECK(head_of("GET /healthz HTTP/1.0\r\n\r\n").content_length == 0);
  CHECK(head_of("PUT /x HTTP/1.1\r\nContent-Length: 7\r\nContent-Length: 7\r\n\r\n").content_length == 7);
  // Too large to count is still a length, one that any limit refuses.
  CHECK(head_of("POST /x HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n").content_length ==
        std::numeric_limits<uint64_t>::max());
}

TEST_CASE("a head that could be framed two ways is refused", "[http]") {
  CHECK(error_of("POST /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n").message ==
        "conflicting Content-Length headers");
  for (const char* bad : {"-1", "+1", "1e3", "0x10", "", "1 2"})
    CHECK(error_of(std::string("POST /x HTTP/1.1\r\nContent-Length: ") + bad + "\r\n\r\n").message ==
          "Content-Length is not a number");
  const HeadError chunked = error_of("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
  CHECK(chunked.status == 411);
  CHECK(error_of("GET /x HTTP/1.1\r\nno colon here\r\n\r\n").message == "malformed header line (expected Name: value)");
  CHECK(error_of("GET /x HTTP/1.1\r\n folded: line\r\n\r\n").status == 400);
  CHECK(error_of("GET  /x HTTP/1.1\r\n\r\n").status == 400);
  CHECK(error_of("GET /x\r\n\r\n").status == 400);
  CHECK(error_of("GET /x HTTP/2\r\n\r\n").message == "unsupported HTTP version (HTTP/1.1 or 1.0 expected)");
  CHECK(error_of("G{T /x HTTP/1.1\r\n\r\n").message == "malformed request line: bad method");
}

TEST_CASE("the bearer check opens the probes, and /metrics when configured", "[http]") {
  const BearerAuth none(AuthOptions{});
  CHECK(none.check("/pipelines", std::nullopt) == AuthResult::Allowed);

  const BearerAuth auth(AuthOptions{"t0ken", true});
  CHECK(auth.check("/healthz", std::nullopt) == AuthResult::Allowed);
  CHECK(auth.check("/readyz", std::nullopt) == AuthResult::Allowed);
  CHECK(auth.check("/metrics", std::nullopt) == AuthResult::Missing);
  CHECK(auth.check("/healthz/", std::nullopt) == AuthResult::Missing);  // only the exact paths
  CHECK(auth.check("/pipelines", std::string("Bearer t0ken")) == AuthResult::Allowed);
  CHECK(auth.check("/pipelines", std::string("BEARER  t0ken")) == AuthResult::Allowed);
  CHECK(auth.check("/pipelines", std::string("Bearer t0ke")) == AuthResult::Invalid);
  CHECK(auth.check("/pipelines", std::string("Bearer t0kenn")) == AuthResult::Invalid);
  CHECK(auth.check("/pipelines", std::string("Bearer ")) == AuthResult::Missing);
  CHECK(auth.check("/pipelines", std::string("Bearert0ken")) == AuthResult::Missing);
  CHECK(auth.check("/pipelines", std::string("Basic dDBrZW4=")) == AuthResult::Missing);

  const BearerAuth open_metrics(AuthOptions{"t0ken", false});
  CHECK(open_metrics.check("/metrics", std::nullopt) == AuthResult::Allowed);
  CHECK(open_metrics.check("/pipelines", std::nullopt) == AuthResult::Missing);
}

TEST_CASE("tokens are compared whole, whatever their lengths", "[http]") {
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abd", "abc"));
  CHECK_FALSE(constant_time_equal("ab", "abc"));
  CHECK_FALSE(constant_time_equal("abcabc", "abc"));  // cycling over the expected token is no match
  CHECK_FALSE(constant_time_equal("", "abc"));
  CHECK_FALSE(constant_time_equal("", ""));  // no token configured never matches
  CHECK(token_problem("0123456789abcdef-_.~+/=") == "");
  CHECK(token_problem("with space") != "");
  CHECK(token_problem("tab\there") != "");
  CHECK(token_problem("caf\xc3\xa9") != "");
}
