#include "state/checkpoint_record.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "state/state_error.hpp"

namespace ananas::state {
namespace {

std::string hex(uint64_t v) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

uint64_t parse_hex(const std::string& s) {
  size_t used = 0;
  const uint64_t v = std::stoull(s, &used, 16);
  if (used != s.size() || s.empty()) throw std::invalid_argument("not a hex number: " + s);
  return v;
}

}  // namespace

std::string checkpoint_record_key(const std::string& pipeline, const std::optional<StateShard>& shard) {
  return shard ? pipeline + "#" + std::to_string(shard->index) : pipeline;
}

std::optional<uint32_t> shard_of_record_key(std::string_view key, const std::string& pipeline) {
  if (key.size() <= pipeline.size() + 1 || key.substr(0, pipeline.size()) != pipeline || key[pipeline.size()] != '#')
    return std::nullopt;
  uint32_t index = 0;
  for (char c : key.substr(pipeline.size() + 1)) {
    if (c < '0' || c > '9' || index > 100000) return std::nullopt;
    index = index * 10 + static_cast<uint32_t>(c - '0');
  }
  return index;
}

std::string encode_checkpoint_record(const CheckpointRecord& r) {
  nlohmann::ordered_json j;
  j["format"] = kCheckpointRecordFormat;
  j["pipeline"] = r.pipeline;
  if (r.shard) j["shard"] = {{"index", r.shard->index}, {"count", r.shard->count}};
  j["checkpoint"] = r.id;
  j["completed_at_ms"] = r.completed_at_ms;
  j["state_bytes"] = r.state_bytes;
  j["written_bytes"] = r.written_bytes;
  j["sources"] = nlohmann::ordered_json::object();
  for (const auto& [node, pos] : r.positions) j["sources"][node] = pos;
  j["operators"] = nlohmann::ordered_json::object();
  for (const auto& [node, op] : r.operators) {
    nlohmann::ordered_json o;
    o["kind"] = op.layout.kind;
    o["state_version"] = op.layout.version;
    o["fingerprint"] = hex(op.layout.fingerprint);
    o["key_groups"] = op.layout.key_groups;
    o["parallelism"] = op.parallelism;
    o["changelog"] = op.changelog;
    o["partitions"] = nlohmann::ordered_json::array();
    for (const auto& [p, range] : op.partitions)
      o["partitions"].push_back({{"partition", p}, {"start", range.start}, {"end", range.end}});
    j["operators"][node] = std::move(o);
  }
  return j.dump();
}

CheckpointRecord decode_checkpoint_record(std::string_view json, const std::string& where) {
  try {
    const auto j = nlohmann::json::parse(json);
    if (j.at("format").get<int>() != kCheckpointRecordFormat)
      throw StateError("checkpoint record format " + j.at("format").dump() + " at " + where + ", this build reads " +
                       std::to_string(kCheckpointRecordFormat));
    CheckpointRecord r;
    r.pipeline = j.at("pipeline").get<std::string>();
    if (j.contains("shard")) {
      const auto& s = j.at("shard");
      r.shard = StateShard{s.at("index").get<uint32_t>(), s.at("count").get<uint32_t>()};
      if (r.shard->count == 0 || r.shard->index >= r.shard->count) throw std::invalid_argument("bad shard " + s.dump());
    }
    r.id = j.at("checkpoint").get<uint64_t>();
    r.completed_at_ms = j.at("completed_at_ms").get<int64_t>();
    r.state_bytes = j.value("state_bytes", uint64_t{0});
    r.written_bytes = j.value("written_bytes", uint64_t{0});
    for (const auto& [node, pos] : j.at("sources").items()) r.positions[node] = pos.get<std::string>();
    for (const auto& [node, o] : j.at("operators").items()) {
      OperatorRecord op;
      op.layout.kind = o.at("kind").get<std::string>();
      op.layout.version = o.at("state_version").get<uint32_t>();
      op.layout.fingerprint = parse_hex(o.at("fingerprint").get<std::string>());
      op.layout.key_groups = o.at("key_groups").get<uint32_t>();
      op.parallelism = o.at("parallelism").get<uint32_t>();
      op.changelog = o.at("changelog").get<std::string>();
      for (const auto& p : o.at("partitions")) {
        PartitionRange range{p.at("start").get<int64_t>(), p.at("end").get<int64_t>()};
        if (range.start < 0 || range.end < range.start) throw std::invalid_argument("bad offset range");
        op.partitions[p.at("partition").get<int32_t>()] = range;
      }
      if (op.parallelism == 0) throw std::invalid_argument("operator '" + node + "' with parallelism 0");
      r.operators[node] = std::move(op);
    }
    return r;
  } catch (const StateError&) {
    throw;
  } catch (const std::exception& e) {
    throw StateError("corrupt checkpoint record at " + where + ": " + e.what());
  }
}

}  // namespace ananas::state
