#include "actors/http/bearer_auth.hpp"

#include <cctype>

namespace ananas::rt::http {
namespace {

// "Bearer <token>": the scheme is case-insensitive (RFC 9110 11.1), then one
// or more spaces.
std::optional<std::string_view> bearer_token(std::string_view value) {
  constexpr std::string_view scheme = "bearer";
  if (value.size() <= scheme.size()) return std::nullopt;
  for (size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(value[i])) != scheme[i]) return std::nullopt;
  if (value[scheme.size()] != ' ') return std::nullopt;
  value.remove_prefix(scheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (value.empty()) return std::nullopt;
  return value;
}

}  // namespace

bool constant_time_equal(std::string_view presented, std::string_view expected) {
  if (expected.empty()) return false;
  // Every presented byte is compared, against the expected byte at the same
  // place (cycling, so a longer guess reads no memory it should not); a
  // length difference alone is a mismatch. No branch depends on the bytes.
  unsigned diff = presented.size() == expected.size() ? 0u : 1u;
  for (size_t i = 0; i < presented.size(); ++i)
    diff |= static_cast<unsigned char>(presented[i]) ^ static_cast<unsigned char>(expected[i % expected.size()]);
  return diff == 0;
}

std::string token_problem(std::string_view token) {
  for (char c : token)
    if (c <= ' ' || c == 0x7f || static_cast<unsigned char>(c) >= 0x80)
      return "a bearer token must be visible ASCII characters without spaces";
  return "";
}

bool BearerAuth::is_open(std::string_view path) const {
  if (!enabled()) return true;
  if (path == "/healthz" || path == "/readyz") return true;
  return path == "/metrics" && !options_.metrics_need_token;
}

AuthResult BearerAuth::check(std::string_view path, const std::optional<std::string>& authorization) const {
  if (is_open(path)) return AuthResult::Allowed;
  if (!authorization) return AuthResult::Missing;
  const auto token = bearer_token(*authorization);
  if (!token) return AuthResult::Missing;
  return constant_time_equal(*token, options_.token) ? AuthResult::Allowed : AuthResult::Invalid;
}

}  // namespace ananas::rt::http
