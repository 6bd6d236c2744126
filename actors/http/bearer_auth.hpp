#pragma once
// The REST API's optional bearer token (worker config http.auth.token or
// ANANAS_HTTP_AUTH_TOKEN). When one is set, every request needs
// `Authorization: Bearer <token>` except the health probes (a kubelet sends
// no token) and, if http.auth.metrics is false, /metrics (a scraper that
// cannot send one). The token is compared in constant time, so the time of
// an answer tells nothing about how much of a guess was right.
#include <optional>
#include <string>
#include <string_view>

namespace ananas::rt::http {

struct AuthOptions {
  std::string token;              // empty: no authentication
  bool metrics_need_token = true;  // http.auth.metrics
};

enum class AuthResult {
  Allowed,
  Missing,  // no bearer credentials: 401
  Invalid,  // a bearer token that is not the one: 401 with error="invalid_token"
};

class BearerAuth {
 public:
  explicit BearerAuth(AuthOptions options) : options_(std::move(options)) {}
  bool enabled() const { return !options_.token.empty(); }
  // `authorization`: the Authorization header's value, if sent.
  AuthResult check(std::string_view path, const std::optional<std::string>& authorization) const;
  // Whether `path` is answered without a token.
  bool is_open(std::string_view path) const;

 private:
  AuthOptions options_;
};

// Compares in a time that depends only on presented.size(): never on where
// the first difference is, nor on the expected token's length or bytes.
bool constant_time_equal(std::string_view presented, std::string_view expected);

// Why a token is refused as a worker config value ("" when it is fine): a
// bearer token is visible ASCII without spaces (RFC 6750's b64token is
// narrower; any visible character is accepted).
std::string token_problem(std::string_view token);

}  // namespace ananas::rt::http
