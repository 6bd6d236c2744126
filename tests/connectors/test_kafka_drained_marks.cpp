// A split Kafka source's marks in its group's committed offsets: the next
// reader of a partition learns whether the last one drained it (a graceful
// move) or may have read past its committed offset (a crash), which a keyed
// exchange folding rows into partial aggregates must know
// (connectors/kafka/drained_marks.hpp).
#include <map>
#include <memory>
#include <set>

#include "connectors/embedded_broker.hpp"
#include "connectors/kafka/kafka_source.hpp"
#include "kafka_test_support.hpp"

using namespace ananas::connectors;
using namespace ananas::connectors::kafka;
using namespace ananas::test;
using namespace std::chrono_literals;

namespace {

const PartitionId kP0{"in", 0}, kP1{"in", 1};

struct Reader {
  std::map<PartitionId, bool> drained;  // what on_partition_start said
  std::unique_ptr<KafkaSource> source;
  size_t records = 0;  // read so far
};

// A reader of partitions 0 and 1 of `in` in group `marks-group`, as a worker
// of a group opens them; returns once it has started both.
std::unique_ptr<Reader> open_reader(const std::string& bs) {
  auto r = std::make_unique<Reader>();
  Options options = {{"topic", "in"}, {"properties.bootstrap.servers", bs}, {"scan.startup.mode", "earliest-offset"},
                     {"properties.group.id", "marks-group"}};
  ConnectorContext context{"p", "t", {}};
  context.owned = std::make_shared<const std::set<PartitionId>>(std::set<PartitionId>{kP0, kP1});
  context.on_partition_start = [reader = r.get()](const PartitionId& p, bool drained) { reader->drained[p] = drained; };
  r->source = std::make_unique<KafkaSource>(options, context, std::nullopt);
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (r->drained.size() < 2 && std::chrono::steady_clock::now() < deadline)
    r->records += r->source->poll(100, 100ms).records.size();
  return r;
}

// Every record the reader got, polling for 2 s more.
size_t read_all(Reader& r) {
  for (int i = 0; i < 10; ++i) r.records += r.source->poll(100, 200ms).records.size();
  return r.records;
}

}  // namespace

TEST_CASE("a split kafka source tells whether each partition's last reader drained it", "[two-phase]") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  const std::string bs = broker.start(2, {"in"});
  kcat_produce(bs, "in", "a:1\nb:2\nc:3\n", 0);

  // Never read by anyone: nothing of it can have been sent.
  auto first = open_reader(bs);
  CHECK(first->drained == std::map<PartitionId, bool>{{kP0, true}, {kP1, true}});
  CHECK(read_all(*first) == 3);
  first.reset();  // dies without a commit: it may have sent what it read

  auto second = open_reader(bs);
  CHECK(second->drained == std::map<PartitionId, bool>{{kP0, false}, {kP1, false}});
  CHECK(read_all(*second) == 3);  // its predecessor's start, where it marked them
  second->source->commit({{kP0, 3}, {kP1, 0}});  // a periodic checkpoint: it reads on
  second->source->close();
  second.reset();

  auto third = open_reader(bs);
  CHECK(third->drained == std::map<PartitionId, bool>{{kP0, false}, {kP1, false}});
  CHECK(read_all(*third) == 0);
  third->source->commit_drained({{kP0, 3}, {kP1, 0}});  // a drain's final commit
  third->source->close();
  third.reset();

  auto fourth = open_reader(bs);
  CHECK(fourth->drained == std::map<PartitionId, bool>{{kP0, true}, {kP1, true}});
  kcat_produce(bs, "in", "d:4\n", 0);
  CHECK(read_all(*fourth) == 1);  // it starts where the drained reader stopped
}
