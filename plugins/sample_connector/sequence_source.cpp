// A sample connector plugin: the `sequence` source emits {"n": 0}, {"n": 1},
// ... on one partition, keyless, with CreateTime timestamps. It shows the
// whole plugin contract: implement SourceConnector (or SinkConnector), and
// export ananas_register_connectors to add each connector's description
// (options, capabilities, validation) and factory to the host's registry.
// The `lines` sink (lines_sink.hpp) is the sink half of the sample.
//
// Options: count (records before end of input, default 10), topic (default
// the table name).
#include <charconv>

#include "plugins/sample_connector/lines_sink.hpp"

#include "connectors/connector_registry.hpp"

namespace {

using namespace ananas::connectors;

// The `count` option; throws OptionError naming it when it is not a count.
int64_t count_option(const Options& options) {
  int64_t count = 10;
  if (auto c = options.find("count"); c != options.end()) {
    const std::string& s = c->second;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), count);
    if (ec != std::errc() || p != s.data() + s.size() || count < 0)
      throw OptionError("count", "expected a non-negative integer, got '" + s + "'");
  }
  return count;
}

class SequenceSource : public SourceConnector {
 public:
  SequenceSource(const Options& options, const ConnectorContext& context) : count_(count_option(options)) {
    auto t = options.find("topic");
    topic_ = t != options.end() ? t->second : context.table;
  }

  RawBatch poll(size_t max_records, std::chrono::milliseconds) override {
    RawBatchBuilder builder;
    int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    while (next_ < count_ && builder.size() < max_records && !paused_) {
      std::string value = "{\"n\": " + std::to_string(next_) + "}";
      builder.add(topic_, 0, next_, now, TimestampType::CreateTime, std::nullopt, value);
      ++next_;
    }
    RawBatch batch = builder.finish();
    batch.end_of_input = next_ >= count_;
    return batch;
  }
  void pause() override { paused_ = true; }
  void resume() override { paused_ = false; }
  std::vector<PartitionId> partitions() const override { return {PartitionId{topic_, 0}}; }
  void commit(const PartitionOffsets&) override {}  // regenerated from 0 on restart: nothing to keep
  std::map<PartitionId, int64_t> lag() const override { return {{PartitionId{topic_, 0}, count_ - next_}}; }
  void close() override {}

 private:
  std::string topic_;
  int64_t count_;
  int64_t next_ = 0;
  bool paused_ = false;
};

}  // namespace

extern "C" __attribute__((visibility("default"))) void ananas_register_connectors(ConnectorRegistry& registry) {
  ConnectorCapabilities bounded;
  bounded.bounded = true;  // ends after `count` records
  // Not resumable: a restart regenerates from 0, so it has no position to honour.
  registry.add_source({"sequence", "sample plugin: {\"n\": 0}, {\"n\": 1}, ...", {"count", "topic"}, {}, bounded,
                       [](const Options& o) { count_option(o); }},
                      [](const Options& o, const ConnectorContext& c) -> std::unique_ptr<SourceConnector> {
                        return std::make_unique<SequenceSource>(o, c);
                      });
  registry.add_sink({"lines", "sample plugin: appends 'key<TAB>value' lines to 'path'", {"path"}, {}, {},
                     sample::validate_lines_options},
                    [](const Options& o, const ConnectorContext&) -> std::unique_ptr<SinkConnector> {
                      return std::make_unique<sample::LinesSink>(o);
                    });
}
