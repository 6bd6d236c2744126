#pragma once
// The worker's REST API as a client sees it (`ananas pipelines`): one call
// per request, JSON answers, and an error that says what went wrong in the
// user's terms, whether the worker could not be reached or refused the call.
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace ananas::cli {

// The worker's default address: `ananas run` serves on 127.0.0.1:8083
// (http.host, http.port) unless configured otherwise.
inline constexpr const char* kDefaultWorkerUrl = "http://127.0.0.1:8083";

// The call could not be made or the worker refused it; what() is the message
// for the user (the worker's own `message` when it sent one).
struct RestError : std::runtime_error {
  RestError(const std::string& message, int status, std::string worker_message = "")
      : std::runtime_error(message), status(status), worker_message(std::move(worker_message)) {}
  int status;                  // the HTTP status, 0 when no answer came
  std::string worker_message;  // the worker's `message` alone ("" when no answer came)
};

struct RestResponse {
  int status = 0;
  std::string body;
  nlohmann::json json() const;  // the body parsed; null for an empty body
};

class RestClient {
 public:
  // `url`: http://host[:port] (a path prefix is kept). Throws
  // std::invalid_argument for anything else (https needs a TLS build).
  // `token`: sent as `Authorization: Bearer <token>` when not empty (a worker
  // with http.auth.token needs it).
  explicit RestClient(const std::string& url, std::string token = "");
  const std::string& url() const { return url_; }

  // Each returns a 2xx answer or throws RestError.
  RestResponse get(const std::string& path) const;
  RestResponse put(const std::string& path) const;
  RestResponse post(const std::string& path, const std::string& body = "", const std::string& content_type = "") const;
  RestResponse del(const std::string& path) const;

 private:
  template <class Call>
  RestResponse call(const std::string& method, const std::string& path, Call&& send) const;

  std::string url_, host_, prefix_, token_;
  int port_ = 80;
};

// The client of the worker a command talks to: `url_flag` (--url), else
// $ANANAS_URL, else kDefaultWorkerUrl; $ANANAS_HTTP_AUTH_TOKEN as its bearer
// token (the worker's own variable: where it is set for the worker, the
// client finds it too; no flag, a command line is visible to every user).
// Throws UsageError (cli/args.hpp) for a URL it cannot use.
RestClient worker_client(const std::optional<std::string>& url_flag);

// `name` as one URL path segment (percent-encoded).
std::string url_segment(const std::string& name);

}  // namespace ananas::cli
