// `ananas pipelines list|show|status|pause|resume|restart|delete|create|reload`: the
// worker's REST API (Kafka Connect's conventions on /pipelines, see
// docs/running.md) from the command line, as `rpk` is Redpanda's. Tables for
// people, `--output json` (the worker's own answers) for scripts.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/rest_client.hpp"
#include "cli/table.hpp"
#include "core/diagnostic.hpp"
#include "core/timefmt.hpp"
#include "pipelines/input_files.hpp"

namespace ananas::cli {

namespace {

using nlohmann::json;

const std::vector<std::string> kSubcommands = {"list",    "show",   "status", "pause", "resume",
                                               "restart", "delete", "create", "reload"};

// The member `key` of `j`, or an empty object/array: never a temporary, so
// that loops over it are safe.
const json& member(const json& j, const char* key) {
  static const json none;
  if (!j.is_object()) return none;
  auto it = j.find(key);
  return it == j.end() ? none : *it;
}

std::string text(const json& j, const char* key, const std::string& fallback = "") {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return fallback;
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

std::string iso_utc(int64_t epoch_ms) {
  std::string out = format_timestamp_sql(epoch_ms, 3);
  if (size_t space = out.find(' '); space != std::string::npos) out[space] = 'T';
  return out + "Z";
}

std::string joined(const json& list, const std::string& separator = ", ") {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& e : list) out += (out.empty() ? "" : separator) + (e.is_string() ? e.get<std::string>() : e.dump());
  return out;
}

// "pizzas/2 (quiet since 09:28:34Z)" for each partition holding a source's watermark back.
std::string held_by(const json& source) {
  std::string out;
  if (!source.contains("watermark_held_by")) return out;
  for (const auto& p : source["watermark_held_by"]) {
    out += (out.empty() ? "" : ", ") + text(p, "topic") + "/" + text(p, "partition");
    if (p.contains("quiet_since_ms") && p["quiet_since_ms"].is_number())
      out += " (quiet since " + iso_utc(p["quiet_since_ms"].get<int64_t>()) + ")";
  }
  return out;
}

// What most needs saying about a pipeline in one cell: its failure, a source
// waiting for its topic, a watermark held back.
std::string note_of(const json& status) {
  const json& p = member(status, "pipeline");
  if (p.contains("failure_kind")) return text(p, "failure_kind") + ": " + text(p, "trace");
  for (const auto& [node, source] : member(status, "sources").items()) {
    if (source.contains("waiting_for")) return node + " waiting: " + text(source, "waiting_for");
    if (std::string held = held_by(source); !held.empty()) return node + " watermark held by " + held;
  }
  if (p.contains("placement") && !p["placement"].value("runs_here", true)) return "runs on another worker of the group";
  return "";
}

void print_list(const json& all, std::ostream& os) {
  Table t({"NAME", "STATE", "RESTARTS", "CHECKPOINT", "SOURCES", "NOTE"});
  for (const auto& [name, entry] : all.items()) {
    const json& s = member(entry, "status");
    t.add({name, text(member(s, "pipeline"), "state", "?"), text(s, "restarts", "0"),
           text(s, "last_checkpoint", "-"), s.value("sources_connected", false) ? "connected" : "not connected",
           note_of(s)});
  }
  if (t.empty()) os << "no pipelines (add one: ananas pipelines create FILE)\n";
  else t.print(os);
}

void print_show(const json& info, std::ostream& os) {
  os << "pipeline: " << text(info, "name") << "\n\n";
  Table t({"NODE", "TYPE", "PARALLELISM", "INPUTS", "TOPIC"});
  for (const auto& n : member(info, "nodes"))
    t.add({text(n, "name"), text(n, "type"), text(n, "parallelism"), joined(member(n, "inputs")),
           text(n, "topic")});
  t.print(os);
}

void print_status(const json& s, std::ostream& os) {
  const json& p = member(s, "pipeline");
  Table head({"PIPELINE", text(s, "name")});
  head.add({"state", text(p, "state")});
  head.add({"worker", text(p, "worker_id")});
  if (p.contains("placement")) {
    const json& pl = p["placement"];
    head.add({"group", text(pl, "group") + (pl.value("runs_here", false) ? " (runs here)" : " (runs elsewhere)")});
    // A split pipeline's share here, and a sharded keyed part's key groups.
    auto listed = [&](const char* key) {
      std::string out;
      for (const auto& v : pl[key]) out += (out.empty() ? "" : ", ") + v.get<std::string>();
      return out;
    };
    if (pl.contains("partitions") && pl["partitions"].is_array()) head.add({"partitions", listed("partitions")});
    if (pl.contains("key_groups") && pl["key_groups"].is_array()) head.add({"key groups", listed("key_groups")});
  }
  head.add({"restarts", text(s, "restarts", "0") + " (" + text(s, "restart_strategy") + ")"});
  const json& c = member(s, "checkpoints");
  std::string checkpoint = text(s, "last_checkpoint", "none");
  if (c.contains("completed_at_ms"))
    checkpoint += " at " + iso_utc(c["completed_at_ms"].get<int64_t>()) + ", " + text(c, "duration_ms") + " ms, " +
                  text(c, "size_bytes") + " bytes written";
  checkpoint += " (storage " + text(c, "storage", "?") + ")";
  head.add({"checkpoint", checkpoint});
  if (c.contains("last_failure")) head.add({"checkpoint failure", text(c, "last_failure")});
  if (p.contains("failure_kind")) head.add({"failure", text(p, "failure_kind") + ": " + text(p, "trace")});
  if (p.contains("failures")) {
    std::string by_kind;
    for (const auto& [kind, n] : p["failures"].items()) by_kind += (by_kind.empty() ? "" : ", ") + kind + " " + n.dump();
    head.add({"failures", by_kind});
  }
  head.print(os);

  os << "\n";
  Table sources({"SOURCE", "CONNECTED", "WAITING FOR", "WATERMARK HELD BY"});
  for (const auto& [node, src] : member(s, "sources").items())
    sources.add({node, src.value("connected", false) ? "yes" : "no", text(src, "waiting_for"), held_by(src)});
  if (!sources.empty()) {
    sources.print(os);
    os << "\n";
  }
  Table actors({"ACTOR", "TYPE", "STATE", "FAILURES", "LAST FAILURE"});
  for (const auto& a : member(s, "actors"))
    actors.add({text(a, "id"), text(a, "type"), text(a, "state"), text(a, "failures", "0"),
                a.contains("failure_kind") ? text(a, "failure_kind") + ": " + text(a, "trace") : ""});
  actors.print(os);
}

// Content-Type of a pipeline file, named as `ananas run FILE` names it (SQL
// and application JSON after the file; YAML names itself).
std::string content_type_of(const std::string& path, const std::string& name) {
  switch (pipeline::kind_of_path(path)) {
    case pipeline::InputKind::Yaml: return "application/yaml";
    case pipeline::InputKind::Sql: return "application/sql; name=" + name;
    case pipeline::InputKind::ApplicationJson: return "application/json; name=" + name;
  }
  return "";
}

// The worker names a body's "file" after the pipeline (`x.sql:3:7: ...`):
// point the message at the file the user gave instead.
std::string located_in(const std::string& message, const std::string& path) {
  const size_t colon = message.find(':');
  const std::string ext = std::filesystem::path(path).extension().string();
  if (colon == std::string::npos || message.find(' ') < colon || ext.empty()) return message;
  const std::string file = message.substr(0, colon);
  if (file.size() < ext.size() || file.compare(file.size() - ext.size(), ext.size(), ext) != 0) return message;
  return path + message.substr(colon);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path}, "cannot read file");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// POST /reload's answer: one row per pipeline and what the reload did to it;
// the files it could not apply go to `err`.
void print_reload(const json& r, std::ostream& out, std::ostream& err) {
  Table t({"PIPELINE", "RELOAD"});
  for (const char* action : {"started", "restarted", "stopped", "unchanged"})
    for (const auto& name : member(r, action)) t.add({name.get<std::string>(), action});
  t.print(out);
  for (const auto& e : member(r, "errors")) err << text(e, "message") << "\n";
}

// One pipeline name, the subcommand's only argument.
const std::string& the_name(const Args& args, const std::string& sub) {
  if (args.rest().size() != 2) throw UsageError(sub + " takes one pipeline NAME (see --help)");
  return args.rest()[1];
}

int run_pipelines(int argc, char** argv) {
  Args args("ananas pipelines list|show|status|pause|resume|restart|delete|create|reload [NAME|FILE...] [--url URL] "
            "[--output table|json]",
            "Talks to a running worker (`ananas run`) over its REST API:\n"
            "  list            every pipeline with its state, restarts, last checkpoint, sources, what to look at\n"
            "  show NAME       its operator graph (--definition: the pipeline YAML it runs)\n"
            "  status NAME     state, restarts, checkpoints and failures; each source (connected, waiting for a\n"
            "                  topic, watermark held back by a silent partition) and each actor\n"
            "  pause NAME, resume NAME   stop and restart reading its sources (state and positions kept)\n"
            "  restart NAME    restart it from its last checkpoint (also revives a FAILED pipeline)\n"
            "  delete NAME     drain it (final checkpoint) and remove it\n"
            "  create FILE...  add pipelines: YAML, Flink SQL (.sql) or application JSON (.json), each checked by\n"
            "                  the worker as `ananas run` checks files; SQL and JSON are named after their file\n"
            "                  (--name for one file)\n"
            "  reload          reread the worker's pipeline files and apply what changed (POST /reload): each\n"
            "                  pipeline started, restarted, stopped or unchanged; a file it could not apply is\n"
            "                  printed with its location and the exit code is 1\n"
            "\n"
            "The worker: --url, else the environment variable ANANAS_URL, else http://127.0.0.1:8083 (its\n"
            "default http.host and http.port). --output json prints the worker's JSON answers. A worker with\n"
            "http.auth.token needs it: the client sends $ANANAS_HTTP_AUTH_TOKEN as a bearer token.\n"
            "Exit codes: 0 done, 1 the worker refused (an unknown pipeline, a bad file, a name in use) or\n"
            "cannot be reached, 2 usage error. See docs/running.md, \"ananas pipelines\".");
  args.option("url", "URL", "the worker's REST address (default: $ANANAS_URL, else http://127.0.0.1:8083)", "u")
      .option("output", "FORMAT", "table or json", "o", "table")
      .option("name", "NAME", "create: the name of one SQL or JSON pipeline (default: its file's name)")
      .flag("definition", "show: print the pipeline YAML the worker runs")
      .positionals("SUBCOMMAND [NAME|FILE...]", "what to do, and to which pipeline", 1);
  if (!args.parse(argc, argv, std::cout)) return kExitOk;

  const std::string sub = args.rest()[0];
  if (std::find(kSubcommands.begin(), kSubcommands.end(), sub) == kSubcommands.end()) {
    const std::string hint = closest_match(sub, kSubcommands);
    throw UsageError("unknown subcommand '" + sub + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                     "; expected one of list, show, status, pause, resume, restart, delete, create, reload");
  }
  const std::string format = args.get("output");
  if (format != "table" && format != "json") throw UsageError("--output must be table or json, got '" + format + "'");
  const bool as_json = format == "json";
  std::optional<RestClient> client(worker_client(args.get_optional("url")));

  try {
    if (sub == "list") {
      if (args.rest().size() != 1) throw UsageError("list takes no argument");
      const json all = client->get("/pipelines?expand=status").json();
      if (as_json) std::cout << all.dump(2) << "\n";
      else print_list(all, std::cout);
      return kExitOk;
    }
    if (sub == "reload") {
      if (args.rest().size() != 1) throw UsageError("reload takes no argument");
      const json r = client->post("/reload").json();
      if (as_json) std::cout << r.dump(2) << "\n";
      else print_reload(r, std::cout, std::cerr);
      return member(r, "errors").empty() ? kExitOk : kExitInvalid;
    }
    if (sub == "create") {
      const std::vector<std::string> files(args.rest().begin() + 1, args.rest().end());
      if (files.empty()) throw UsageError("create needs at least one pipeline FILE");
      if (args.has("name") && files.size() != 1) throw UsageError("--name names one file's pipeline");
      json created = json::array();
      Table t({"CREATED", "NODES", "FROM"});
      for (const auto& file : files) {
        const std::string name = args.has("name") ? args.get("name") : pipeline::pipeline_name_from_path(file);
        const std::string type = content_type_of(file, name);
        json answer;
        try {
          answer = client->post("/pipelines", read_file(file), type).json();
        } catch (const RestError& e) {
          if (e.status == 400) throw InputError({}, located_in(e.worker_message, file));
          throw;
        }
        // One pipeline: its description; a SQL file of several INSERTs: the list.
        for (const auto& p : answer.is_array() ? answer : json::array({answer})) {
          t.add({text(p, "name"), std::to_string(member(p, "nodes").size()), file});
          created.push_back(p);
        }
      }
      if (as_json) std::cout << created.dump(2) << "\n";
      else t.print(std::cout);
      return kExitOk;
    }

    const std::string& name = the_name(args, sub);
    const std::string path = "/pipelines/" + url_segment(name);
    if (sub == "show" || sub == "status") {
      const json answer = client->get(sub == "show" ? path : path + "/status").json();
      if (as_json) std::cout << answer.dump(2) << "\n";
      else if (sub == "show" && args.has("definition")) std::cout << text(answer, "definition");
      else if (sub == "show") print_show(answer, std::cout);
      else print_status(answer, std::cout);
      return kExitOk;
    }
    std::string done;
    if (sub == "pause") {
      client->put(path + "/pause");
      done = "pausing: its sources stop reading (PAUSED once they have)";
    } else if (sub == "resume") {
      client->put(path + "/resume");
      done = "resuming: its sources read again";
    } else if (sub == "restart") {
      client->post(path + "/restart");
      done = "restarting from its last checkpoint";
    } else {
      client->del(path);
      done = "deleted: drained (final checkpoint) and removed";
    }
    if (as_json) std::cout << json{{"name", name}, {"action", sub}, {"result", "ok"}}.dump(2) << "\n";
    else std::cout << "pipeline '" << name << "' " << done << "\n";
    return kExitOk;
  } catch (const RestError& e) {
    std::cerr << "ananas pipelines " << sub << ": " << e.what() << "\n";
    return kExitInvalid;
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitInvalid;
  }
}

}  // namespace

ANANAS_COMMAND(pipelines, "pipelines", "list, inspect and control a running worker's pipelines (REST API client)",
               run_pipelines);

}  // namespace ananas::cli
