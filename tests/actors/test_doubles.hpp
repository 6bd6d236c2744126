#pragma once
// In-memory implementations of the runtime's plugin points (SourceDriver,
// SinkDriver, ops::Operator) for the actor tests. Batches are two BIGINT
// columns (key, value). Shared state lives in structs the test keeps, so it
// survives the restarts that recreate drivers and operators.
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "actors/pipeline_graph.hpp"
#include "actors/sink_driver.hpp"
#include "actors/source_driver.hpp"
#include "actors/worker.hpp"
#include "core/batch.hpp"
#include "operators/operator.hpp"

namespace ananas::rt::testing {

inline BatchPtr make_batch(const std::vector<std::pair<int64_t, int64_t>>& rows) {
  auto b = std::make_shared<Batch>(2, rows.size());
  for (auto [k, v] : rows) {
    Value* r = b->append_row();
    r[0] = Value::integer(k);
    r[1] = Value::integer(v);
  }
  return b;
}

inline Schema two_bigints() { return Schema{{{"k", Type::bigint()}, {"v", Type::bigint()}}}; }

template <class Pred>
bool wait_until(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

// A list of batches, each with the watermark the source reports after it.
// The position is the index of the next batch; commit() records it and a
// reopened driver without a checkpoint position starts at the last commit.
struct SourceData {
  std::vector<BatchPtr> batches;
  std::vector<int64_t> watermarks;   // same length as batches, or empty
  bool bounded = false;              // end_of_input after the last batch
  std::chrono::milliseconds delay{0};  // per poll, to slow the source down
  std::mutex mu;
  std::vector<std::string> opened_at;  // "" when opened without a checkpoint position
  std::vector<std::string> commits;
  std::atomic<size_t> polled{0};       // batches handed out (all attempts)
  std::function<void(size_t)> on_poll;  // called with the index handed out
};

class VectorSource : public SourceDriver {
 public:
  explicit VectorSource(std::shared_ptr<SourceData> d) : d_(std::move(d)) {}
  void open(const std::optional<std::string>& position) override {
    std::lock_guard lock(d_->mu);
    d_->opened_at.push_back(position.value_or(""));
    if (position)
      next_ = std::stoul(*position);
    else if (!d_->commits.empty())
      next_ = std::stoul(d_->commits.back());
  }
  SourcePoll poll(std::chrono::milliseconds timeout) override {
    SourcePoll p;
    if (d_->delay.count()) std::this_thread::sleep_for(d_->delay);
    if (next_ >= d_->batches.size()) {
      if (d_->bounded) {
        p.end_of_input = true;
      } else {
        std::this_thread::sleep_for(std::min(timeout, std::chrono::milliseconds(5)));
      }
      return p;
    }
    if (d_->on_poll) d_->on_poll(next_);
    p.batch = d_->batches[next_];
    if (!d_->watermarks.empty()) p.watermark = d_->watermarks[next_];
    p.lag.push_back({"in", 0, static_cast<int64_t>(d_->batches.size() - next_ - 1)});
    ++next_;
    d_->polled.fetch_add(1);
    return p;
  }
  std::string position() const override { return std::to_string(next_); }
  void commit(const std::string& position, bool /*final*/) override {
    std::lock_guard lock(d_->mu);
    d_->commits.push_back(position);
  }

 private:
  std::shared_ptr<SourceData> d_;
  size_t next_ = 0;
};

struct SinkData {
  std::mutex mu;
  std::vector<BatchPtr> batches;
  std::vector<std::pair<int64_t, int64_t>> rows;
  std::atomic<size_t> written{0};  // batches
  std::atomic<size_t> flushes{0};
  std::chrono::milliseconds delay{0};  // per write: a slow sink

  std::vector<std::pair<int64_t, int64_t>> snapshot_rows() {
    std::lock_guard lock(mu);
    return rows;
  }
};

class CollectSink : public SinkDriver {
 public:
  explicit CollectSink(std::shared_ptr<SinkData> d) : d_(std::move(d)) {}
  void open() override {}
  uint64_t write(const BatchPtr& b) override {
    if (d_->delay.count()) std::this_thread::sleep_for(d_->delay);
    std::lock_guard lock(d_->mu);
    d_->batches.push_back(b);
    for (size_t r = 0; r < b->num_rows(); ++r) d_->rows.emplace_back(b->at(r, 0).as_int(), b->at(r, 1).as_int());
    d_->written.fetch_add(1);
    return b->num_rows();
  }
  void flush() override { d_->flushes.fetch_add(1); }

 private:
  std::shared_ptr<SinkData> d_;
};

// Forwards its input batch itself: zero-copy.
class PassThrough : public ops::Operator {
 public:
  std::string_view kind() const override { return "pass"; }
  const Schema& output_schema() const override { return schema_; }
  void process(const BatchPtr& in, std::vector<BatchPtr>& out) override { out.push_back(in); }

 private:
  Schema schema_ = two_bigints();
};

// Running sum per key: emits (key, sum so far) per row, an upsert stream whose
// last value per key is the total. Its state is snapshotted, so a restart from
// a checkpoint plus replay gives the same totals (without restore they would
// restart from 0; without replay rows would be missing).
class RunningSum : public ops::Operator {
 public:
  explicit RunningSum(std::function<void(int64_t, int64_t)> inspect = {}) : inspect_(std::move(inspect)) {}
  std::string_view kind() const override { return "sum"; }
  const Schema& output_schema() const override { return schema_; }
  void process(const BatchPtr& in, std::vector<BatchPtr>& out) override {
    std::vector<std::pair<int64_t, int64_t>> rows;
    for (size_t r = 0; r < in->num_rows(); ++r) {
      const int64_t k = in->at(r, 0).as_int(), v = in->at(r, 1).as_int();
      if (inspect_) inspect_(k, v);
      rows.emplace_back(k, sums_[k] += v);
    }
    out.push_back(make_batch(rows));
  }

 protected:
  // Keyed by column 0, as the graph partitions it: each sum goes to its key's group.
  void save_keyed(ops::KeyedStateWriter& w) const override {
    for (auto [k, s] : sums_) {
      std::string key;
      encode_value(Value::integer(k), key);
      auto& out = w.entry(key_group_of(key, key_groups()), key);
      out.i64(k);
      out.i64(s);
    }
  }
  void clear_state() override { sums_.clear(); }
  void restore_key_group(uint32_t /*key_group*/, StateReader& r) override {
    while (!r.at_end()) {
      const int64_t k = r.i64();
      sums_[k] = r.i64();
    }
  }

 private:
  Schema schema_ = two_bigints();
  std::map<int64_t, int64_t> sums_;
  std::function<void(int64_t, int64_t)> inspect_;
};

// Replaces each row's value with the instance id it was given, and records
// the watermarks it sees.
class TagInstance : public ops::Operator {
 public:
  TagInstance(int64_t id, std::shared_ptr<std::mutex> mu, std::shared_ptr<std::map<int64_t, int64_t>> last_wm)
      : id_(id), mu_(std::move(mu)), last_wm_(std::move(last_wm)) {}
  std::string_view kind() const override { return "tag"; }
  const Schema& output_schema() const override { return schema_; }
  void process(const BatchPtr& in, std::vector<BatchPtr>& out) override {
    std::vector<std::pair<int64_t, int64_t>> rows;
    for (size_t r = 0; r < in->num_rows(); ++r) rows.emplace_back(in->at(r, 0).as_int(), id_);
    out.push_back(make_batch(rows));
  }
  void on_watermark(int64_t wm, std::vector<BatchPtr>&) override {
    std::lock_guard lock(*mu_);
    (*last_wm_)[id_] = wm;
  }

 private:
  Schema schema_ = two_bigints();
  int64_t id_;
  std::shared_ptr<std::mutex> mu_;
  std::shared_ptr<std::map<int64_t, int64_t>> last_wm_;
};

// Records every watermark it is given.
class WatermarkRecorder : public ops::Operator {
 public:
  explicit WatermarkRecorder(std::shared_ptr<std::mutex> mu, std::shared_ptr<std::vector<int64_t>> seen)
      : mu_(std::move(mu)), seen_(std::move(seen)) {}
  std::string_view kind() const override { return "wm"; }
  const Schema& output_schema() const override { return schema_; }
  void process(const BatchPtr& in, std::vector<BatchPtr>& out) override { out.push_back(in); }
  void on_watermark(int64_t wm, std::vector<BatchPtr>&) override {
    std::lock_guard lock(*mu_);
    seen_->push_back(wm);
  }

 private:
  Schema schema_ = two_bigints();
  std::shared_ptr<std::mutex> mu_;
  std::shared_ptr<std::vector<int64_t>> seen_;
};

inline NodeSpec source_node(std::string name, std::shared_ptr<SourceData> d) {
  NodeSpec n;
  n.name = std::move(name);
  n.kind = NodeKind::Source;
  n.topic = "in";
  n.make_source = [d] { return std::make_unique<VectorSource>(d); };
  return n;
}

inline NodeSpec operator_node(std::string name, std::vector<std::string> inputs,
                              std::function<ops::OperatorPtr()> make, int parallelism = 1,
                              std::vector<size_t> keys = {}) {
  NodeSpec n;
  n.name = std::move(name);
  n.kind = NodeKind::Operator;
  n.inputs = std::move(inputs);
  n.make_operator = std::move(make);
  n.parallelism = parallelism;
  n.key_columns = std::move(keys);
  return n;
}

inline NodeSpec sink_node(std::string name, std::vector<std::string> inputs, std::shared_ptr<SinkData> d) {
  NodeSpec n;
  n.name = std::move(name);
  n.kind = NodeKind::Sink;
  n.inputs = std::move(inputs);
  n.topic = "out";
  n.make_sink = [d] { return std::make_unique<CollectSink>(d); };
  return n;
}

// Small, fast defaults for tests: 4 scheduler threads are plenty.
inline WorkerConfig test_worker_config() {
  WorkerConfig c;
  c.threads = 2;
  c.max_throughput = 50;
  return c;
}

}  // namespace ananas::rt::testing
