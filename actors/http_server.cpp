#include "actors/http_server.hpp"

#include <stdexcept>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "actors/http/connection_gate.hpp"
#include "core/diagnostic.hpp"

namespace ananas::rt {
namespace {

using nlohmann::json;

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(2), "application/json");
}

// Kafka Connect's error body.
void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, json{{"error_code", status}, {"message", message}});
}

void not_found(httplib::Response& res, const std::string& name) {
  send_error(res, 404, "pipeline '" + name + "' not found");
}

json info_json(const PipelineInfo& info) {
  json nodes = json::array();
  for (const auto& n : info.nodes) {
    json j{{"name", n.name}, {"type", std::string(node_kind_name(n.kind))}, {"parallelism", n.parallelism},
           {"inputs", n.inputs}};
    if (!n.topic.empty()) j["topic"] = n.topic;
    nodes.push_back(std::move(j));
  }
  return json{{"name", info.name}, {"definition", info.definition}, {"nodes", std::move(nodes)}};
}

json checkpoints_json(const CheckpointStatus& c) {
  json j{{"storage", c.storage},
         {"last_completed", c.last_completed},
         {"restored_from", c.restored_from},
         {"failed", c.failed}};
  if (!c.topic.empty()) j["topic"] = c.topic;
  if (c.completed_at_ms > 0) {
    j["completed_at_ms"] = c.completed_at_ms;
    j["duration_ms"] = c.duration_ms;
    j["size_bytes"] = c.size_bytes;
    j["state_bytes"] = c.state_bytes;
  }
  if (!c.last_failure.empty()) j["last_failure"] = c.last_failure;
  return j;
}

json status_json(const PipelineStatus& s, const std::string& worker_id) {
  json pipeline{{"state", std::string(state_name(s.state))}, {"worker_id", worker_id}};
  if (!s.trace.empty()) pipeline["trace"] = s.trace;
  if (s.failure_kind) pipeline["failure_kind"] = std::string(failure_kind_name(*s.failure_kind));
  if (!s.failures_by_kind.empty()) {
    json by_kind = json::object();
    for (const auto& [kind, n] : s.failures_by_kind) by_kind[std::string(failure_kind_name(kind))] = n;
    pipeline["failures"] = std::move(by_kind);
  }
  json actors = json::array();
  for (const auto& a : s.actors) {
    json j{{"id", a.node + "-" + std::to_string(a.instance)},
           {"node", a.node},
           {"type", std::string(node_kind_name(a.kind))},
           {"instance", a.instance},
           {"state", std::string(state_name(a.state))},
           {"worker_id", worker_id},
           {"failures", a.failures}};
    if (!a.trace.empty()) j["trace"] = a.trace;
    if (a.failure_kind) j["failure_kind"] = std::string(failure_kind_name(*a.failure_kind));
    actors.push_back(std::move(j));
  }
  json sources = json::object();
  for (const auto& [node, h] : s.sources) {
    json j{{"connected", h.connected}};
    if (!h.waiting_for.empty()) j["waiting_for"] = h.waiting_for;
    if (!h.watermark_held_by.empty()) {
      json held = json::array();
      for (const auto& p : h.watermark_held_by)
        held.push_back({{"topic", p.topic}, {"partition", p.partition}, {"quiet_since_ms", p.quiet_since_ms}});
      j["watermark_held_by"] = std::move(held);
    }
    sources[node] = std::move(j);
  }
  if (s.placement) {
    pipeline["placement"] = {{"group", s.placement->group},
                             {"runs_here", s.placement->runs_here},
                             {"since_ms", s.placement->since_ms}};
    if (!s.placement->partitions.empty()) pipeline["placement"]["partitions"] = s.placement->partitions;
    if (!s.placement->key_groups.empty()) pipeline["placement"]["key_groups"] = s.placement->key_groups;
  }
  if (s.definition) {
    pipeline["definition"] = {{"file", s.definition->file}};
    if (!s.definition->problem.empty()) {
      pipeline["definition"]["problem"] = s.definition->problem;
      pipeline["definition"]["problem_since_ms"] = s.definition->problem_since_ms;
    }
  }
  return json{{"name", s.name},
              {"pipeline", std::move(pipeline)},
              {"restarts", s.restarts},
              {"restart_strategy", s.restart_strategy},
              {"last_checkpoint", s.last_checkpoint},
              {"checkpoints", checkpoints_json(s.checkpoints)},
              {"sources_connected", s.sources_connected},
              {"sources", std::move(sources)},
              {"actors", std::move(actors)}};
}

json reload_json(const ReloadReport& r) {
  json errors = json::array();
  for (const auto& e : r.errors) {
    json j{{"file", e.file}, {"message", e.message}};
    if (!e.pipeline.empty()) j["pipeline"] = e.pipeline;
    errors.push_back(std::move(j));
  }
  return json{{"started", r.started},     {"stopped", r.stopped}, {"restarted", r.restarted},
              {"unchanged", r.unchanged}, {"errors", errors},     {"at_ms", r.at_ms}};
}

}  // namespace

// Control calls take no body, and Kafka Connect's documentation sends none
// (`curl -X PUT .../pause`): httplib would answer 400 to a PUT or POST
// without Content-Length if it read the body itself, so these routes take a
// content reader and read only a body that was announced, to discard it.
void discard_body(const httplib::Request& req, const httplib::ContentReader& body) {
  if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding"))
    body([](const char*, size_t) { return true; });
}

// httplib's routing without its listener: the connection gate accepts the
// connections and hands this one request at a time.
class Router : public httplib::Server {
 public:
  bool answer(httplib::Stream& stream, bool close_connection, bool& connection_closed) {
    return process_request(stream, close_connection, connection_closed, nullptr);
  }
};

// The gate's lanes: each kind of request has threads of its own.
enum Lane : size_t { kProbeLane, kMetricsLane, kRestLane };

std::vector<http::LaneSpec> lanes() {
  return {{"probes", 1},   // /healthz, /readyz: tiny answers, never blocked
          {"metrics", 1},  // a scrape never waits behind a REST call
          {"rest", 4}};    // a DELETE drains its pipeline for up to ~10 s
}

http::DirectAnswer unauthorized(http::AuthResult why) {
  const bool invalid = why == http::AuthResult::Invalid;
  http::DirectAnswer a = http::error_answer(
      401, invalid ? "the bearer token is not valid"
                   : "this request needs the worker's bearer token (http.auth.token): Authorization: Bearer <token>");
  // RFC 6750 3: the scheme, and for a wrong token why.
  a.headers.emplace_back("WWW-Authenticate",
                         invalid ? R"(Bearer realm="ananas", error="invalid_token")" : R"(Bearer realm="ananas")");
  return a;
}

struct HttpServer::Impl {
  Worker& worker;
  PipelineTranslator translate;
  HttpOptions options;
  http::BearerAuth auth;
  Router server;
  http::ConnectionGate gate;
  std::shared_ptr<Reloader> reloader;  // set before start, read-only afterwards

  Impl(Worker& w, PipelineTranslator t, HttpOptions o)
      : worker(w),
        translate(std::move(t)),
        options(std::move(o)),
        auth(options.auth),
        gate(options.limits, lanes(), [this](const http::RequestHead& h) { return route(h); },
             [this](httplib::Stream& s, bool close, bool& closed) { return server.answer(s, close, closed); }) {
    routes();
  }

  // Decided from the head alone, before any of the body is read.
  std::variant<size_t, http::DirectAnswer> route(const http::RequestHead& head) const {
    if (const auto result = auth.check(head.path, head.authorization); result != http::AuthResult::Allowed)
      return unauthorized(result);
    if (head.path == "/healthz" || head.path == "/readyz") return size_t{kProbeLane};
    if (head.path == "/metrics") return size_t{kMetricsLane};
    return size_t{kRestLane};
  }

  void routes() {
    // What the answers' Keep-Alive header tells clients; the gate enforces it.
    const auto& limits = options.limits;
    server.set_keep_alive_max_count(limits.max_requests_per_connection);
    server.set_keep_alive_timeout(std::max<time_t>(1, std::chrono::duration_cast<std::chrono::seconds>(limits.head_timeout).count()));
    server.set_payload_max_length(limits.max_body_bytes);  // the gate answers 413 first; a second line
    server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
      send_json(res, 200, json{{"status", "UP"}});
    });
    server.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
      const bool ready = worker.ready();
      send_json(res, ready ? 200 : 503, json{{"status", ready ? "READY" : "NOT_READY"}});
    });
    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(worker.metrics().serialize(), "text/plain; version=0.0.4");
    });

    server.Get("/pipelines", [this](const httplib::Request& req, httplib::Response& res) {
      const auto names = worker.names();
      // ?expand=status / ?expand=info, as Kafka Connect's GET /connectors.
      bool with_status = false, with_info = false;
      for (auto [it, end] = req.params.equal_range("expand"); it != end; ++it) {
        with_status |= it->second == "status";
        with_info |= it->second == "info";
      }
      if (!with_status && !with_info) return send_json(res, 200, names);
      json out = json::object();
      for (const auto& n : names) {
        json entry = json::object();
        if (auto s = worker.status(n); s && with_status) entry["status"] = status_json(*s, worker.config().worker_id);
        if (auto i = worker.info(n); i && with_info) entry["info"] = info_json(*i);
        out[n] = std::move(entry);
      }
      send_json(res, 200, out);
    });

    server.Post("/pipelines", [this](const httplib::Request& req, httplib::Response& res) { create(req, res); });

    server.Get(R"(/pipelines/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string name = req.matches[1];
      auto i = worker.info(name);
      if (!i) return not_found(res, name);
      send_json(res, 200, info_json(*i));
    });
    server.Get(R"(/pipelines/([^/]+)/status)", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string name = req.matches[1];
      auto s = worker.status(name);
      if (!s) return not_found(res, name);
      send_json(res, 200, status_json(*s, worker.config().worker_id));
    });
    server.Put(R"(/pipelines/([^/]+)/pause)", [this](const httplib::Request& req, httplib::Response& res,
                                                      const httplib::ContentReader& body) {
      discard_body(req, body);
      const std::string name = req.matches[1];
      if (!worker.pause(name)) return not_found(res, name);
      res.status = 202;
    });
    server.Put(R"(/pipelines/([^/]+)/resume)", [this](const httplib::Request& req, httplib::Response& res,
                                                      const httplib::ContentReader& body) {
      discard_body(req, body);
      const std::string name = req.matches[1];
      if (!worker.resume(name)) return not_found(res, name);
      res.status = 202;
    });
    server.Post(R"(/pipelines/([^/]+)/restart)", [this](const httplib::Request& req, httplib::Response& res,
                                                      const httplib::ContentReader& body) {
      discard_body(req, body);
      const std::string name = req.matches[1];
      if (!worker.restart(name)) return not_found(res, name);
      res.status = 204;
    });
    server.Delete(R"(/pipelines/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string name = req.matches[1];
      if (!worker.remove(name)) return not_found(res, name);
      res.status = 204;
    });

    // Reads the pipeline files again: the same reconcile as the folder watch.
    server.Post("/reload", [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& body) {
      discard_body(req, body);
      if (!reloader) return send_error(res, 404, "this worker was started without pipeline files or folders to reload");
      send_json(res, 200, reload_json(reloader->reload()));
    });
    server.Get("/reload", [this](const httplib::Request&, httplib::Response& res) {
      if (!reloader) return send_error(res, 404, "this worker was started without pipeline files or folders to reload");
      const auto last = reloader->last();
      if (!last) return send_error(res, 404, "no reload yet");
      send_json(res, 200, reload_json(*last));
    });

    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "internal error";
      try {
        std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      send_error(res, 500, what);
    });
  }

  void create(const httplib::Request& req, httplib::Response& res) {
    if (req.body.empty()) return send_error(res, 400, "empty body: expected pipeline YAML, SQL or application JSON");
    std::vector<PipelineGraph> graphs;
    try {
      graphs = translate(req.body, req.get_header_value("Content-Type"));
    } catch (const InputError& e) {
      return send_error(res, 400, e.what());
    } catch (const std::invalid_argument& e) {
      return send_error(res, 400, e.what());
    }
    if (graphs.empty()) return send_error(res, 400, "the body defines no pipeline");
    for (const auto& g : graphs)
      if (worker.info(g.name)) return send_error(res, 409, "pipeline '" + g.name + "' already exists");
    json created = json::array();
    for (auto& g : graphs) {
      const std::string name = g.name;
      try {
        worker.add(std::move(g));
      } catch (const PipelineExists& e) {
        return send_error(res, 409, e.what());  // lost a race with another POST
      } catch (const std::invalid_argument& e) {
        return send_error(res, 400, e.what());
      }
      if (auto i = worker.info(name)) created.push_back(info_json(*i));
    }
    res.set_header("Location", "/pipelines/" + created[0]["name"].get<std::string>());
    // One pipeline: its description, as Kafka Connect answers; several (a SQL
    // file with several INSERTs): the list.
    send_json(res, 201, created.size() == 1 ? created[0] : created);
  }
};

HttpServer::HttpServer(Worker& worker, PipelineTranslator translate, HttpOptions options)
    : impl_(std::make_unique<Impl>(worker, std::move(translate), std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::set_reloader(std::shared_ptr<Reloader> reloader) { impl_->reloader = std::move(reloader); }

int HttpServer::start() {
  port_ = impl_->gate.start(impl_->options.host, impl_->options.port);
  return port_;
}

void HttpServer::stop() { impl_->gate.stop(); }

}  // namespace ananas::rt
