#pragma once
// Small operators and hosts that make the graph semantics visible as a log of
// events ("b:3" a batch whose first value is 3, "w:10" a watermark, ...).
#include <memory>
#include <string>
#include <vector>

#include "dataflow/operator_task.hpp"
#include "dataflow/sink_task.hpp"
#include "dataflow/source_task.hpp"

namespace dftest {

using namespace ananas;

inline Schema one_bigint() { return Schema{{{"v", Type::bigint()}}}; }

inline BatchPtr ints(std::vector<int64_t> values) {
  auto b = std::make_shared<Batch>(1, values.size());
  for (int64_t v : values) b->append_row()[0] = Value::integer(v);
  return b;
}

inline std::vector<int64_t> values_of(const Batch& b) {
  std::vector<int64_t> out;
  for (size_t r = 0; r < b.num_rows(); ++r) out.push_back(b.row(r)[0].as_int());
  return out;
}

inline std::string show(const Batch& b) {
  std::string s;
  for (int64_t v : values_of(b)) s += (s.empty() ? "" : ",") + std::to_string(v);
  return s;
}

// Adds `delta` to every value.
class AddOp : public ops::Operator {
 public:
  explicit AddOp(int64_t delta) : delta_(delta) {}
  std::string_view kind() const override { return "add"; }
  const Schema& output_schema() const override { return schema_; }
  void process(const BatchPtr& in, std::vector<BatchPtr>& out) override {
    std::vector<int64_t> v = values_of(*in);
    for (auto& x : v) x += delta_;
    out.push_back(ints(v));
  }

 private:
  int64_t delta_;
  Schema schema_ = one_bigint();
};

// Holds its input rows until the watermark passes them (value = event time),
// then emits them: the smallest stateful operator that has results to fire.
class HoldUntilWatermark : public ops::Operator {
 public:
  std::string_view kind() const override { return "hold"; }
  const Schema& output_schema() const override { return schema_; }
  void process(const BatchPtr& in, std::vector<BatchPtr>& /*out*/) override {
    for (int64_t v : values_of(*in)) held_.push_back(v);
  }
  void on_watermark(int64_t wm, std::vector<BatchPtr>& out) override {
    std::vector<int64_t> ready, keep;
    for (int64_t v : held_) (v <= wm ? ready : keep).push_back(v);
    held_ = keep;
    if (!ready.empty()) out.push_back(ints(ready));
    out.push_back(ints({}));  // an empty result is never emitted
  }
  void snapshot(StateWriter& w) const override {
    w.u64(held_.size());
    for (int64_t v : held_) w.i64(v);
  }
  ops::OperatorStats stats() const override { return {0, held_.size(), 0, 0, 0}; }

 private:
  std::vector<int64_t> held_;
  Schema schema_ = one_bigint();
};

inline std::string wm_text(int64_t wm) {
  if (wm == ops::kMaxWatermark) return "+inf";
  return std::to_string(wm);
}

struct OperatorLog : dataflow::OperatorHost {
  std::vector<std::string> log;
  dataflow::OperatorTask* task = nullptr;  // to snapshot at checkpoint
  void emit_batch(const BatchPtr& b) override { log.push_back("b:" + show(*b)); }
  void emit_watermark(int64_t wm) override { log.push_back("w:" + wm_text(wm)); }
  void emit_barrier(uint64_t id) override { log.push_back("barrier:" + std::to_string(id)); }
  void checkpoint(uint64_t id) override {
    // The state as the operator wrote it (HoldUntilWatermark: count, values).
    StateWriter w;
    task->op().snapshot(w);
    const std::string state = w.take();
    std::string held;
    if (!state.empty()) {
      StateReader r(state);
      for (uint64_t n = r.u64(); n > 0; --n) held += (held.empty() ? "" : ",") + std::to_string(r.i64());
    }
    log.push_back("snapshot:" + std::to_string(id) + ":[" + held + "]");
  }
  void consumed(const dataflow::Consumed& c) override {
    log.push_back("consumed:" + std::to_string(c.input) + "#" + std::to_string(c.ticket));
  }
};

struct SinkLog : dataflow::SinkHost {
  std::vector<std::string> log;
  void write(const BatchPtr& b) override { log.push_back("write:" + show(*b)); }
  void on_watermark(int64_t wm) override { log.push_back("w:" + wm_text(wm)); }
  void on_barrier(uint64_t id) override { log.push_back("flush:" + std::to_string(id)); }
  void consumed(const dataflow::Consumed& c) override {
    log.push_back("consumed:" + std::to_string(c.input) + "#" + std::to_string(c.ticket));
  }
};

}  // namespace dftest
