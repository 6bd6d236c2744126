// The exactly-once kafka sink and the pipeline's transaction against the
// embedded broker, kcat on the other side: records between two barriers are
// committed together; what follows a barrier is held until the checkpoint's
// transaction is committed, so it lands in the next one.
#include "connectors/embedded_broker.hpp"
#include "connectors/kafka/kafka_sink.hpp"
#include "connectors/kafka/kafka_transaction.hpp"
#include "kafka_test_support.hpp"

using namespace ananas::connectors;
using namespace ananas::connectors::kafka;
using namespace ananas::test;
using namespace std::chrono_literals;

namespace {

Options eo_options(const std::string& bs) {
  return {{"topic", "out"},
          {"properties.bootstrap.servers", bs},
          {"sink.delivery-guarantee", "exactly-once"},
          {"sink.transactional-id-prefix", "t"}};
}

}  // namespace

TEST_CASE("an exactly-once kafka sink holds what follows a barrier until the checkpoint is committed") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  std::string bs = broker.start(1, {"out"});
  auto transaction = std::make_shared<KafkaTransaction>(Options{{"properties.bootstrap.servers", bs}}, "t-p-0");
  CHECK(transaction->transactional_id() == "t-p-0");
  transaction->begin();
  ConnectorContext context{"p", "sink", {}, transaction};
  KafkaSink sink(eo_options(bs), context);

  sink.write(std::string_view("k1"), std::string_view("before barrier 1"));
  CHECK(sink.flush(10s).empty());  // the barrier: held from here on
  sink.write(std::string_view("k2"), std::string_view("after barrier 1"));
  transaction->commit();
  CHECK(kcat_consume(bs, "out").size() == 1);  // only the checkpoint's record

  transaction->begin();
  sink.checkpoint_committed();  // released into the new transaction
  CHECK(sink.flush(10s).empty());
  transaction->commit();
  auto records = kcat_consume(bs, "out");
  REQUIRE(records.size() == 2);
  CHECK(records[1]["payload"] == "after barrier 1");
}

TEST_CASE("an exactly-once kafka sink without the pipeline's transaction is refused") {
  EmbeddedBroker broker;
  std::string bs = broker.start(1, {"out"});
  CHECK_THROWS_WITH(KafkaSink(eo_options(bs), ConnectorContext{"p", "sink", {}, nullptr}),
                    Catch::Contains("needs the pipeline's checkpoints in Kafka"));
  Options no_prefix = eo_options(bs);
  no_prefix.erase("sink.transactional-id-prefix");
  CHECK_THROWS_WITH(KafkaSink(no_prefix, ConnectorContext{"p", "sink", {}, nullptr}),
                    Catch::Contains("sink.transactional-id-prefix"));
}

TEST_CASE("a restart aborts the open transaction and the producer goes on with the next") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  std::string bs = broker.start(1, {"out"});
  auto transaction = std::make_shared<KafkaTransaction>(Options{{"properties.bootstrap.servers", bs}}, "t-q-0");
  transaction->begin();
  KafkaSink sink(eo_options(bs), ConnectorContext{"q", "sink", {}, transaction});
  sink.write(std::string_view("k"), std::string_view("lost attempt"));
  transaction->begin();  // a restart: the open transaction is aborted, a new one begins
  transaction->commit();
  // The mock shows aborted records to read_committed readers; only the
  // transaction's own bookkeeping can be checked here: nothing failed, and
  // the producer is usable for the next transaction.
  CHECK_NOTHROW(transaction->check_usable());
  transaction->begin();
  sink.write(std::string_view("k"), std::string_view("next attempt"));
  CHECK_NOTHROW(transaction->commit());
}
