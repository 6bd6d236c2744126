#include "actors/http/request_head.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

namespace ananas::rt::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A token character of RFC 9110 (method and header names).
bool is_tchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_tchar); }

HeadError bad(std::string message) { return HeadError{400, std::move(message)}; }

}  // namespace

size_t find_head_end(std::string_view bytes, size_t from) {
  // The terminator may straddle what was searched and what arrived since.
  const size_t start = from >= 3 ? from - 3 : 0;
  const size_t at = bytes.find("\r\n\r\n", start);
  return at == std::string_view::npos ? std::string_view::npos : at + 4;
}

std::variant<RequestHead, HeadError> parse_request_head(std::string_view head) {
  RequestHead out;
  out.head_bytes = head.size();
  size_t line_end = head.find("\r\n");
  const std::string_view request_line = head.substr(0, line_end);
  // METHOD SP request-target SP HTTP-version
  const size_t sp1 = request_line.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : request_line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || request_line.find(' ', sp2 + 1) != std::string_view::npos)
    return bad("malformed request line: expected METHOD TARGET HTTP/1.1");
  const std::string_view method = request_line.substr(0, sp1);
  const std::string_view target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = request_line.substr(sp2 + 1);
  if (!is_token(method)) return bad("malformed request line: bad method");
  if (target.empty()) return bad("malformed request line: empty target");
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return bad("unsupported HTTP version (HTTP/1.1 or 1.0 expected)");
  out.method = method;
  out.target = target;
  out.path = target.substr(0, target.find('?'));

  std::optional<uint64_t> length;
  for (size_t pos = line_end + 2; pos < head.size();) {
    line_end = head.find("\r\n", pos);
    const std::string_view line = head.substr(pos, line_end - pos);
    pos = line_end + 2;
    if (line.empty()) break;  // the empty line that ends the head
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon)))
      return bad("malformed header line (expected Name: value)");
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Length")) {
      uint64_t n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || end != value.data() + value.size() || (ec != std::errc() && ec != std::errc::result_out_of_range))
        return bad("Content-Length is not a number");
      if (ec == std::errc::result_out_of_range) n = std::numeric_limits<uint64_t>::max();  // too large either way
      if (length && *length != n) return bad("conflicting Content-Length headers");
      length = n;
    } else if (iequals(name, "Transfer-Encoding")) {
      return HeadError{411, "Transfer-Encoding is not supported: send the body with a Content-Length"};
    } else if (iequals(name, "Authorization") && !out.authorization) {
      out.authorization = std::string(value);
    }
  }
  out.content_length = length.value_or(0);
  return out;
}

}  // namespace ananas::rt::http
