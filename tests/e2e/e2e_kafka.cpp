#include "e2e_kafka.hpp"

#include <signal.h>

#include <sstream>
#include <stdexcept>
#include <thread>

namespace ananas::e2e {

std::string ananas_binary() { return ANANAS_BINARY; }
std::string example(const std::string& file) { return std::string(ANANAS_SOURCE_DIR) + "/pipelines/examples/" + file; }

BrokerProcess::BrokerProcess(const ScratchDir& dir, int partitions, const std::vector<std::string>& topics) {
  std::string list;
  for (const auto& t : topics) list += (list.empty() ? "" : ",") + t;
  process_ = std::make_unique<Process>(
      std::vector<std::string>{ananas_binary(), "broker", "--partitions", std::to_string(partitions), "--topics", list},
      dir.file("broker.out"), dir.file("broker.err"));
  auto b = process_->wait_for_line("bootstrap: ", 20s);
  if (!b) throw std::runtime_error("ananas broker printed no bootstrap line: " + process_->err());
  bootstrap_ = *b;
}

WorkerProcess::WorkerProcess(const ScratchDir& dir, const std::string& tag, const std::string& bootstrap,
                             const std::vector<std::string>& files) {
  std::vector<std::string> argv = {ananas_binary(), "run", "--bootstrap-servers", bootstrap, "--http-port", "0"};
  argv.insert(argv.end(), files.begin(), files.end());
  process_ = std::make_unique<Process>(argv, dir.file(tag + ".out"), dir.file(tag + ".err"));
  auto m = process_->wait_for_line("metrics: ", 30s);
  if (!m) throw std::runtime_error("ananas run printed no metrics address; stderr:\n" + process_->err());
  base_url_ = m->substr(0, m->rfind("/metrics"));
}

void generate(const std::string& bootstrap, double rate, int count, int start_id) {
  Result r = run({ananas_binary(), "generate", "--bootstrap-servers", bootstrap, "--topic", "pizzas", "--rate",
                  std::to_string(rate), "--count", std::to_string(count), "--start-id", std::to_string(start_id)},
                 120s);
  if (r.exit_code != 0) throw std::runtime_error("ananas generate failed: " + r.err);
}

int generate_window_aligned(const std::string& bootstrap, int first_id, int window_ms, int busy_ms,
                            const std::vector<int>& rates) {
  using Clock = std::chrono::system_clock;
  int total = 0;
  int step = 0;
  for (int rate : rates) {
    const auto now_ms = std::chrono::duration_cast<Millis>(Clock::now().time_since_epoch()).count();
    const auto next_window = (now_ms / window_ms + 1) * window_ms;
    std::this_thread::sleep_for(Millis(next_window + 20 - now_ms));
    const int count = rate * busy_ms / 1000;
    generate(bootstrap, rate, count, first_id + 10000 * step++);
    total += count;
  }
  return total;
}

int generate_trending_orders(const std::string& bootstrap, int first_id) {
  return generate_window_aligned(bootstrap, first_id, 1000, 600, {100, 250, 600, 1200, 500, 200, 80});
}

int generate_window_aligned_trend(const std::string& bootstrap, int first_id) {
  return generate_window_aligned(bootstrap, first_id, 5000, 4000, {20, 60, 150, 40, 10});
}

std::unique_ptr<Process> start_generate(const ScratchDir& dir, const std::string& tag, const std::string& bootstrap,
                                        double rate, int count, int start_id) {
  return std::make_unique<Process>(
      std::vector<std::string>{ananas_binary(), "generate", "--bootstrap-servers", bootstrap, "--topic", "pizzas",
                               "--rate", std::to_string(rate), "--count", std::to_string(count), "--start-id",
                               std::to_string(start_id)},
      dir.file(tag + ".out"), dir.file(tag + ".err"));
}

void produce_flush_orders(const std::string& bootstrap, int partitions) {
  for (int p = 0; p < partitions; ++p) {
    const std::string value = "{\"id\": " + std::to_string(2000000000 + p) +
                              ", \"shop\": \"flush\", \"name\": \"flush\", \"phoneNumber\": \"\", \"address\": \"\", "
                              "\"pizzas\": [], \"timestamp\": 0}";
    Result r = run({"kcat", "-b", bootstrap, "-P", "-t", "pizzas", "-p", std::to_string(p), "-K", "\t"}, 30s,
                   "{\"shop\": \"flush\"}\t" + value + "\n");
    if (r.exit_code != 0) throw std::runtime_error("kcat -P failed: " + r.err);
  }
}

std::vector<nlohmann::json> kcat_dump(const std::string& bootstrap, const std::string& topic,
                                      const std::string& dump_file) {
  Result r = run({"kcat", "-b", bootstrap, "-C", "-t", topic, "-J", "-e", "-q"}, 60s);
  if (r.exit_code != 0) throw std::runtime_error("kcat -C -t " + topic + " failed: " + r.err);
  if (!dump_file.empty()) write_text(dump_file, r.out);
  std::vector<nlohmann::json> out;
  for (const auto& line : lines_of(r.out))
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

std::vector<size_t> wait_until_stable(const std::string& bootstrap, const std::vector<std::string>& topics,
                                      Millis quiet, Millis timeout) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<size_t> last;
  auto last_change = start;
  for (;;) {
    std::vector<size_t> counts;
    for (const auto& t : topics) counts.push_back(kcat_dump(bootstrap, t).size());
    const auto now = std::chrono::steady_clock::now();
    if (counts != last) {
      last = counts;
      last_change = now;
    } else if (now - last_change >= quiet) {
      return counts;
    }
    if (now - start >= timeout) return counts;
    std::this_thread::sleep_for(1s);
  }
}

static std::pair<int, std::string> curl(std::vector<std::string> argv) {
  argv.insert(argv.begin() + 1, {"-s", "-w", "\n%{http_code}", "--max-time", "10"});
  Result r = run(argv, 20s);
  const size_t nl = r.out.rfind('\n');
  if (r.exit_code != 0 || nl == std::string::npos) return {0, ""};
  return {std::atoi(r.out.c_str() + nl + 1), r.out.substr(0, nl)};
}

std::pair<int, std::string> http_get(const std::string& url) { return curl({"curl", url}); }

std::pair<int, std::string> http_post(const std::string& url, const std::string& body, const std::string& content_type) {
  ScratchDir dir("post");
  write_text(dir.file("body"), body);
  return curl({"curl", "-X", "POST", "-H", "Content-Type: " + content_type, "--data-binary", "@" + dir.file("body"), url});
}

double metric_sum(const std::string& exposition, const std::string& name, const std::string& label_filter) {
  double sum = 0;
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind(name, 0) != 0) continue;
    const char next = line.size() > name.size() ? line[name.size()] : '\0';
    if (next != '{' && next != ' ') continue;  // another metric sharing the prefix
    if (!label_filter.empty() && line.find(label_filter) == std::string::npos) continue;
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

}  // namespace ananas::e2e
