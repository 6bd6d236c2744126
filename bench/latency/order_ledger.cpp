#include "bench/latency/order_ledger.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <stdexcept>

namespace ananas::bench {

int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::optional<int64_t> parse_id(std::string_view json) {
  size_t at = json.find("\"id\"");
  if (at == std::string_view::npos) return std::nullopt;
  size_t i = at + 4;
  while (i < json.size() && (json[i] == ' ' || json[i] == ':')) ++i;
  if (i >= json.size() || json[i] < '0' || json[i] > '9') return std::nullopt;
  int64_t v = 0;
  while (i < json.size() && json[i] >= '0' && json[i] <= '9') v = v * 10 + (json[i++] - '0');
  return v;
}

OrderLedger::OrderLedger(int64_t first_id, size_t capacity)
    : first_id_(first_id),
      capacity_(capacity),
      sent_ns_(new std::atomic<int64_t>[capacity]),
      first_ns_(new std::atomic<int64_t>[capacity]),
      expects_(capacity, 0) {
  for (size_t i = 0; i < capacity; ++i) {
    sent_ns_[i].store(0, std::memory_order_relaxed);
    first_ns_[i].store(0, std::memory_order_relaxed);
  }
}

void OrderLedger::handed(int64_t id, int64_t now_ns, bool expects_output) {
  const int64_t i = id - first_id_;
  if (i < 0 || static_cast<size_t>(i) >= capacity_) return;
  expects_[static_cast<size_t>(i)] = expects_output;
  sent_ns_[i].store(now_ns, std::memory_order_release);
  handed_.fetch_add(1, std::memory_order_relaxed);
}

void OrderLedger::consumed(int64_t id, int64_t now_ns) {
  const int64_t i = id - first_id_;
  if (i < 0 || static_cast<size_t>(i) >= capacity_) return;
  if (first_ns_[i].load(std::memory_order_relaxed) == 0) first_ns_[i].store(now_ns, std::memory_order_relaxed);
}

LatencySummary OrderLedger::summary(size_t skip) const {
  LatencySummary s;
  std::vector<double> ms;
  const size_t n = std::min(handed_.load(), capacity_);
  for (size_t i = skip; i < n; ++i) {
    const int64_t sent = sent_ns_[i].load(std::memory_order_acquire);
    if (sent == 0) continue;
    ++s.orders;
    const int64_t first = first_ns_[i].load(std::memory_order_relaxed);
    if (expects_[i]) ++s.expected;
    if (first == 0) continue;
    if (!expects_[i]) ++s.unexpected;
    ++s.matched;
    ms.push_back(static_cast<double>(first - sent) / 1e6);
  }
  return with_percentiles(s, std::move(ms));
}

LatencySummary with_percentiles(LatencySummary counts, std::vector<double> ms) {
  LatencySummary s = counts;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  auto rank = [&](double q) {  // nearest rank
    size_t k = static_cast<size_t>(std::ceil(q * static_cast<double>(ms.size())));
    return ms[std::clamp<size_t>(k, 1, ms.size()) - 1];
  };
  s.p50_ms = rank(0.50);
  s.p99_ms = rank(0.99);
  s.p999_ms = rank(0.999);
  s.max_ms = ms.back();
  double sum = 0;
  for (double v : ms) sum += v;
  s.mean_ms = sum / static_cast<double>(ms.size());
  return s;
}

}  // namespace ananas::bench

namespace ananas::bench {

void OrderLedger::dump(const std::string& path, size_t skip) const {
  std::ofstream out(path);
  if (!out) throw std::runtime_error(path + ": cannot write");
  const size_t n = std::min(handed_.load(), capacity_);
  const int64_t origin = n ? sent_ns_[0].load() : 0;
  for (size_t i = skip; i < n; ++i) {
    const int64_t sent = sent_ns_[i].load(std::memory_order_acquire), first = first_ns_[i].load();
    if (sent == 0 || first == 0) continue;
    out << i << ' ' << static_cast<double>(sent - origin) / 1e6 << ' ' << static_cast<double>(first - sent) / 1e6
        << '\n';
  }
}

}  // namespace ananas::bench
