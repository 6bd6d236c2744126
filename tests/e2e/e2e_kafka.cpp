#include "e2e_kafka.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace ananas::e2e {

std::string ananas_binary() { return ANANAS_BINARY; }
std::string example(const std::string& file) { return std::string(ANANAS_SOURCE_DIR) + "/pipelines/examples/" + file; }

BrokerProcess::BrokerProcess(const ScratchDir& dir, int partitions, const std::vector<std::string>& topics,
                             const std::vector<std::string>& absent_topics) {
  auto joined = [](const std::vector<std::string>& names) {
    std::string list;
    for (const auto& t : names) list += (list.empty() ? "" : ",") + t;
    return list;
  };
  std::vector<std::string> argv = {ananas_binary(), "broker", "--partitions", std::to_string(partitions)};
  if (!topics.empty()) argv.insert(argv.end(), {"--topics", joined(topics)});
  if (!absent_topics.empty()) argv.insert(argv.end(), {"--absent-topics", joined(absent_topics)});
  process_ = std::make_unique<Process>(argv, dir.file("broker.out"), dir.file("broker.err"));
  auto b = process_->wait_for_line("bootstrap: ", 20s);
  if (!b) throw std::runtime_error("ananas broker printed no bootstrap line: " + process_->err());
  bootstrap_ = *b;
}

WorkerProcess::WorkerProcess(const ScratchDir& dir, const std::string& tag, const std::string& bootstrap,
                             const std::vector<std::string>& files, const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv = {ananas_binary(), "run", "--bootstrap-servers", bootstrap, "--http-port", "0"};
  argv.insert(argv.end(), files.begin(), files.end());
  process_ = std::make_unique<Process>(argv, dir.file(tag + ".out"), dir.file(tag + ".err"), env);
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

PacedProducer::PacedProducer(const ScratchDir& dir, const std::string& bootstrap, const std::string& topic,
                             std::vector<std::string> values, std::vector<int> rates_per_second)
    : values_(std::move(values)), rates_(std::move(rates_per_second)), fifo_(dir.file("paced-" + topic + ".fifo")) {
  if (rates_.empty()) throw std::invalid_argument("PacedProducer: no rates");
  if (mkfifo(fifo_.c_str(), 0600) != 0) throw std::runtime_error("mkfifo " + fifo_ + ": " + std::strerror(errno));
  // The child opens the FIFO as its stdin before exec, and blocks there until
  // the feeding thread opens the other end.
  kcat_ = std::make_unique<Process>(
      std::vector<std::string>{"kcat", "-P", "-b", bootstrap, "-t", topic, "-X", "sticky.partitioning.linger.ms=0"},
      dir.file("paced-" + topic + ".out"), dir.file("paced-" + topic + ".err"), std::map<std::string, std::string>{},
      fifo_);
  thread_ = std::thread([this] { feed(); });
}

PacedProducer::~PacedProducer() {
  stop_ = true;
  if (!fed_) kcat_->kill_now();  // a write blocked on a stalled kcat fails instead of hanging the join
  if (thread_.joinable()) thread_.join();
}

void PacedProducer::feed() {
  // A kcat that died must show as an error here, not kill the test with SIGPIPE.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  int fd = -1;
  // O_NONBLOCK: ENXIO until kcat has it open. O_CLOEXEC: a process the test
  // starts meanwhile (a worker) must not inherit the write end, or kcat would
  // never see the end of its input.
  for (int tries = 0; fd < 0 && tries < 200 && !stop_; ++tries) {
    fd = open(fifo_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) std::this_thread::sleep_for(50ms);
  }
  if (fd < 0) {
    error_ = "kcat -P never opened " + fifo_;
    fed_ = true;
    return;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  auto write_all = [&](const std::string& text) {
    size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  };
  using Clock = std::chrono::system_clock;
  constexpr int kSlots = 16;  // per second, 50 ms apart: the second's records go out in its first 800 ms
  const auto now_ms = std::chrono::duration_cast<Millis>(Clock::now().time_since_epoch()).count();
  const Clock::time_point first_second{Millis((now_ms / 1000 + 1) * 1000)};
  std::this_thread::sleep_until(first_second);
  const auto started = std::chrono::steady_clock::now();
  size_t next = 0;
  for (size_t second = 0; next < values_.size() && !stop_; ++second) {
    const int rate = rates_[second % rates_.size()];
    for (int slot = 0; slot < kSlots && next < values_.size() && !stop_; ++slot) {
      std::this_thread::sleep_until(first_second + std::chrono::seconds(second) + Millis(50 * slot));
      const size_t count = static_cast<size_t>(rate * (slot + 1) / kSlots - rate * slot / kSlots);
      std::string chunk;
      for (size_t i = 0; i < count && next < values_.size(); ++i, ++next) chunk += values_[next] + "\n";
      if (!write_all(chunk)) {
        error_ = "kcat -P stopped reading after " + std::to_string(next) + " records: " + kcat_->err();
        close(fd);
        fed_ = true;
        return;
      }
      written_ = next;
    }
  }
  seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  close(fd);  // end of input: kcat delivers what it has and exits
  fed_ = true;
}

std::string PacedProducer::finish(Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!fed_ && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
  if (!fed_) {
    stop_ = true;
    kcat_->kill_now();
    thread_.join();
    return "the paced feed did not end in time (" + std::to_string(written_) + " of " +
           std::to_string(values_.size()) + " records written)";
  }
  thread_.join();
  if (!error_.empty()) return error_;
  const auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
  const auto code = kcat_->wait(std::max(left, Millis(1000)));
  if (code != 0)
    return "kcat -P " + (code ? "exited with " + std::to_string(*code) : std::string("did not exit")) + ": " +
           kcat_->err();
  return "";
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

size_t kcat_dump_to_file(const std::string& bootstrap, const std::string& topic, const std::string& dump_file) {
  Process kcat({"kcat", "-b", bootstrap, "-C", "-t", topic, "-J", "-e", "-q"}, dump_file, dump_file + ".err");
  const auto code = kcat.wait(120s);
  if (code != 0)
    throw std::runtime_error("kcat -C -t " + topic + " failed (" + (code ? std::to_string(*code) : "timed out") +
                             "): " + read_text(dump_file + ".err"));
  std::ifstream in(dump_file);
  size_t records = 0;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) ++records;
  return records;
}

std::vector<PartitionOffsets> partition_offsets(const std::string& bootstrap, const std::string& topic, int partitions) {
  std::vector<PartitionOffsets> out(static_cast<size_t>(partitions));
  for (const char* which : {"-2", "-1"}) {  // the first offsets, then the next ones
    std::vector<std::string> argv = {"kcat", "-b", bootstrap, "-Q"};
    for (int p = 0; p < partitions; ++p) argv.insert(argv.end(), {"-t", topic + ":" + std::to_string(p) + ":" + which});
    Result r = run(argv, 30s);
    if (r.exit_code != 0) throw std::runtime_error("kcat -Q -t " + topic + " failed: " + r.err);
    int found = 0;
    for (const auto& line : lines_of(r.out)) {  // "<topic> [<partition>] offset <n>"
      std::istringstream words(line);
      std::string name, bracketed, word;
      int64_t offset = 0;
      if (!(words >> name >> bracketed >> word >> offset) || name != topic || word != "offset") continue;
      const int p = std::atoi(bracketed.c_str() + 1);
      if (p < 0 || p >= partitions) continue;
      (which[1] == '2' ? out[static_cast<size_t>(p)].first : out[static_cast<size_t>(p)].next) = offset;
      ++found;
    }
    if (found != partitions)
      throw std::runtime_error("kcat -Q -t " + topic + " answered " + std::to_string(found) + " of " +
                               std::to_string(partitions) + " partitions:\n" + r.out + r.err);
  }
  return out;
}

std::map<std::string, int> topic_partitions(const std::string& bootstrap) {
  Result r = run({"kcat", "-b", bootstrap, "-L"}, 30s);
  if (r.exit_code != 0) throw std::runtime_error("kcat -L failed: " + r.err);
  std::map<std::string, int> out;
  for (const auto& line : lines_of(r.out)) {  // '  topic "<name>" with <n> partitions:'
    const size_t open = line.find("topic \""), close = line.find("\" with ");
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    out[line.substr(open + 7, close - open - 7)] = std::atoi(line.c_str() + close + 7);
  }
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
