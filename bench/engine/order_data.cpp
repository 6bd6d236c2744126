#include "bench/engine/order_data.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <stdexcept>

namespace ananas::bench {

namespace {

constexpr int64_t kDefaultStepMs = 10;

// The generator writes `"timestamp": 1700000000000` (json.dumps spacing); a
// plain scan is enough here because loading is not part of what is measured.
bool find_timestamp(std::string_view value, int64_t& out) {
  static constexpr std::string_view kMember = "\"timestamp\":";
  size_t at = value.rfind(kMember);
  if (at == std::string_view::npos) return false;
  size_t p = at + kMember.size();
  while (p < value.size() && value[p] == ' ') ++p;
  auto [end, ec] = std::from_chars(value.data() + p, value.data() + value.size(), out);
  return ec == std::errc() && end != value.data() + p;
}

}  // namespace

size_t OrderData::value_bytes() const {
  size_t n = 0;
  for (const auto& r : records) n += r.size;
  return n;
}

std::string_view with_id_offset(std::string_view value, int64_t id_offset, std::string& scratch) {
  static constexpr std::string_view kMember = "{\"id\": ";
  if (id_offset == 0 || value.substr(0, kMember.size()) != kMember) return value;
  int64_t id = 0;
  const char* digits = value.data() + kMember.size();
  auto [end, ec] = std::from_chars(digits, value.data() + value.size(), id);
  if (ec != std::errc()) return value;
  scratch.assign(kMember);
  scratch += std::to_string(id + id_offset);
  scratch.append(end, value.data() + value.size());
  return scratch;
}

OrderData load_orders(const std::string& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open the order file");
  OrderData data;
  std::string line;
  size_t line_no = 0;
  int64_t previous_ts = 1700000000000 - kDefaultStepMs;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    std::string_view value = line;
    if (size_t tab = value.find('\t'); tab != std::string_view::npos) value.remove_prefix(tab + 1);
    if (value.empty() || value.front() != '{' || value.back() != '}')
      throw std::runtime_error(path + ":" + std::to_string(line_no) +
                               ": expected a JSON object (`ananas generate --output` lines, or values only)");
    OrderRecord r;
    r.offset = data.bytes.size();
    r.size = value.size();
    if (!find_timestamp(value, r.timestamp_ms)) r.timestamp_ms = previous_ts + kDefaultStepMs;
    previous_ts = r.timestamp_ms;
    data.bytes.append(value);
    data.records.push_back(r);
    if (limit && data.records.size() == limit) break;
  }
  if (in.bad()) throw std::runtime_error(path + ": read error after line " + std::to_string(line_no));
  if (data.records.empty()) throw std::runtime_error(path + ": no orders in the file");
  int64_t lo = data.records.front().timestamp_ms, hi = lo;
  for (const auto& r : data.records) {
    lo = std::min(lo, r.timestamp_ms);
    hi = std::max(hi, r.timestamp_ms);
  }
  data.time_span_ms = hi - lo + kDefaultStepMs;
  return data;
}

}  // namespace ananas::bench
