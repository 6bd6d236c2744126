#include "cli/rest_client.hpp"

#include <httplib.h>

#include <cstdlib>
#include <regex>

#include "cli/args.hpp"

namespace ananas::cli {

namespace {

// How long a call may take: a DELETE waits for the pipeline's drain (at
// most ~12 s on the worker's side); connecting should be immediate on a LAN.
constexpr time_t kConnectSeconds = 5;
constexpr time_t kReadSeconds = 60;

std::string unreachable(const std::string& url, httplib::Error e) {
  std::string why;
  switch (e) {
    case httplib::Error::Connection: why = "connection refused or address unreachable"; break;
    case httplib::Error::ConnectionTimeout: why = "no connection within " + std::to_string(kConnectSeconds) + " s"; break;
    case httplib::Error::Read: why = "no complete answer within " + std::to_string(kReadSeconds) + " s"; break;
    case httplib::Error::Write: why = "the request could not be sent"; break;
    default: why = httplib::to_string(e); break;
  }
  return "cannot reach the worker at " + url + " (" + why +
         "): is `ananas run` serving there? Point at it with --url or ANANAS_URL";
}

}  // namespace

nlohmann::json RestResponse::json() const {
  if (body.empty()) return nullptr;
  return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
}

RestClient::RestClient(const std::string& url, std::string token) : url_(url), token_(std::move(token)) {
  static const std::regex shape(R"(http://([^/:\s]+|\[[0-9a-fA-F:.]+\])(:(\d{1,5}))?(/.*)?)");
  std::smatch m;
  if (!std::regex_match(url, m, shape))
    throw std::invalid_argument("--url must look like http://HOST[:PORT], got '" + url + "'");
  host_ = m[1].str();
  if (m[3].matched) port_ = std::stoi(m[3].str());
  if (port_ < 1 || port_ > 65535) throw std::invalid_argument("--url: port out of range in '" + url + "'");
  prefix_ = m[4].str();
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  while (!url_.empty() && url_.back() == '/') url_.pop_back();
}

template <class Call>
RestResponse RestClient::call(const std::string& method, const std::string& path, Call&& send) const {
  httplib::Client client(host_, port_);
  client.set_connection_timeout(kConnectSeconds);
  client.set_read_timeout(kReadSeconds);
  if (!token_.empty()) client.set_bearer_token_auth(token_);
  httplib::Result r = send(client, prefix_ + path);
  if (!r) throw RestError(unreachable(url_, r.error()), 0);
  RestResponse out{r->status, r->body};
  if (out.status >= 200 && out.status < 300) return out;
  // Kafka Connect's error body: {"error_code": 404, "message": "..."}.
  const nlohmann::json j = out.json();
  std::string message = j.is_object() && j.contains("message") && j["message"].is_string()
                            ? j["message"].get<std::string>()
                            : out.body;
  if (message.empty()) message = "no message";
  if (out.status == 401)
    message += token_.empty() ? " (set ANANAS_HTTP_AUTH_TOKEN to the worker's http.auth.token)"
                              : " (ANANAS_HTTP_AUTH_TOKEN is not the worker's http.auth.token)";
  throw RestError(method + " " + path + ": HTTP " + std::to_string(out.status) + ": " + message, out.status, message);
}

RestResponse RestClient::get(const std::string& path) const {
  return call("GET", path, [](httplib::Client& c, const std::string& p) { return c.Get(p); });
}
RestResponse RestClient::put(const std::string& path) const {
  return call("PUT", path, [](httplib::Client& c, const std::string& p) { return c.Put(p); });
}
RestResponse RestClient::post(const std::string& path, const std::string& body, const std::string& content_type) const {
  return call("POST", path, [&](httplib::Client& c, const std::string& p) {
    return body.empty() && content_type.empty() ? c.Post(p) : c.Post(p, body, content_type);
  });
}
RestResponse RestClient::del(const std::string& path) const {
  return call("DELETE", path, [](httplib::Client& c, const std::string& p) { return c.Delete(p); });
}

RestClient worker_client(const std::optional<std::string>& url_flag) {
  std::string url = kDefaultWorkerUrl;
  if (const char* env = std::getenv("ANANAS_URL"); env && *env) url = env;
  if (url_flag) url = *url_flag;
  const char* token = std::getenv("ANANAS_HTTP_AUTH_TOKEN");
  try {
    return RestClient(url, token ? token : "");
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

std::string url_segment(const std::string& name) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace ananas::cli
