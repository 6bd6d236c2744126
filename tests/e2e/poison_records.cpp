#include "poison_records.hpp"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>

#include "connectors/datagen/pizza_generator.hpp"

namespace ananas::e2e::poison {

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Good: return "good";
    case Kind::TruncatedJson: return "truncated JSON";
    case Kind::WrongTypeTop: return "wrong type at the top";
    case Kind::WrongTypeArray: return "object for an ARRAY";
    case Kind::WrongTypeRow: return "string for a ROW in an ARRAY";
    case Kind::WrongTypeDeep: return "object for an ARRAY in a ROW in an ARRAY";
    case Kind::WrongTypeMapValue: return "string for a MAP's INT value";
    case Kind::LoneSurrogate: return "lone surrogate";
    case Kind::DeepNesting: return "10,000 unclosed arrays";
    case Kind::HugeNumber: return "400-digit number";
    case Kind::InvalidUtf8Key: return "invalid UTF-8 in a member name";
    case Kind::NotAnObject: return "top-level array";
    case Kind::BinaryGarbage: return "binary garbage";
    case Kind::HugeValue: return "10 MB value";
    case Kind::NullValue: return "null value";
    case Kind::EmptyValue: return "empty value";
  }
  return "?";
}

bool is_malformed(Kind k) { return k != Kind::Good && k != Kind::NullValue && k != Kind::EmptyValue; }

struct PoisonGenerator::Impl {
  connectors::datagen::PizzaGenerator orders;
  connectors::datagen::PizzaOrder order;
  explicit Impl(const connectors::datagen::PizzaGeneratorOptions& o) : orders(o) {}
};

PoisonGenerator::PoisonGenerator(int64_t first_id, uint64_t seed) {
  connectors::datagen::PizzaGeneratorOptions o;
  o.seed = seed;
  o.first_id = first_id;
  impl_ = new Impl(o);
}

PoisonGenerator::~PoisonGenerator() { delete impl_; }

namespace {

// The order's value with the member `name` (which must be present) replaced by `json`.
std::string with_member(const std::string& order, const std::string& name, const std::string& json) {
  const std::string tag = "\"" + name + "\": ";
  const size_t at = order.find(tag);
  if (at == std::string::npos) throw std::logic_error("order without " + name);
  // Members follow each other as `, "next": `; "timestamp" is the last one.
  size_t end = order.find(", \"", at + tag.size());
  if (name == "pizzas") end = order.find("], \"timestamp\"", at) + 1;
  return order.substr(0, at + tag.size()) + json + order.substr(end);
}

}  // namespace

Record PoisonGenerator::next() {
  const uint64_t i = index_++;
  impl_->orders.next(1700000000000 + static_cast<int64_t>(i), impl_->order);
  const auto& o = impl_->order;
  Record r;
  r.id = o.id;
  // Keyed by id, not by shop as the tutorial's orders: six shop keys would
  // put everything in six partitions, and the development broker keeps only
  // 5 MiB of each.
  r.key = "order " + std::to_string(o.id);
  r.value = o.value;
  if (i % 10 != 9) return r;
  constexpr size_t kinds = sizeof kRotation / sizeof kRotation[0];
  r.kind = kRotation[(i / 10) % kinds];
  // Keys of bad records are not UTF-8 either: the dead letter must keep them byte for byte.
  r.key = "\xff\xfe poison " + std::to_string(i);
  const std::string id = std::to_string(o.id);
  switch (r.kind) {
    case Kind::Good:
    case Kind::HugeValue: break;
    case Kind::TruncatedJson: r.value = o.value.substr(0, o.value.size() / 2); break;
    case Kind::WrongTypeTop: r.value = with_member(o.value, "id", "\"" + id + " seven\""); break;
    case Kind::WrongTypeArray: r.value = with_member(o.value, "pizzas", "{\"pizzaName\": \"Margherita\"}"); break;
    case Kind::WrongTypeRow: r.value = with_member(o.value, "pizzas", "[\"Margherita\"]"); break;
    case Kind::WrongTypeDeep:
      r.value = with_member(o.value, "pizzas", "[{\"pizzaName\": \"Diavola\", \"additionalToppings\": {\"t\": \"x\"}}]");
      break;
    case Kind::WrongTypeMapValue: r.value = with_member(o.value, "name", "\"n\", \"extras\": {\"cheese\": \"lots\"}"); break;
    case Kind::LoneSurrogate: r.value = with_member(o.value, "name", "\"\\ud800 Mario\""); break;
    case Kind::DeepNesting: r.value = "{\"id\": " + id + ", \"x\": " + std::string(10000, '['); break;
    case Kind::HugeNumber: r.value = with_member(o.value, "id", std::string(400, '9')); break;
    case Kind::InvalidUtf8Key: r.value = with_member(o.value, "name", "\"n\", \"na\xff\xfeme\": 1"); break;
    case Kind::NotAnObject: r.value = "[" + id + ", " + o.value + "]"; break;
    case Kind::BinaryGarbage: r.value = std::string("\x00\x01\x02\x7f{\"id\": ", 12) + id; r.key.reset(); break;
    case Kind::NullValue: r.value.reset(); break;
    case Kind::EmptyValue: r.value = ""; break;
  }
  return r;
}

Record PoisonGenerator::huge(size_t bytes) {
  Record r = next();
  while (r.kind != Kind::Good) r = next();
  r.kind = Kind::HugeValue;
  r.key = "\xff\xfe huge " + std::to_string(r.id);
  const std::string head = "{\"id\": " + std::to_string(r.id) + ", \"name\": \"";
  const std::string tail = "\", \"pizzas\": {}}";
  r.value = head + std::string(bytes > head.size() + tail.size() ? bytes - head.size() - tail.size() : 0, 'x') + tail;
  return r;
}

namespace {

class Deliveries : public RdKafka::DeliveryReportCb {
 public:
  explicit Deliveries(std::vector<Record>& records) : records_(records) {}
  void dr_cb(RdKafka::Message& m) override {
    auto* r = &records_[reinterpret_cast<uintptr_t>(m.msg_opaque())];
    if (m.err() != RdKafka::ERR_NO_ERROR) {
      if (failure.empty()) failure = m.errstr();
      return;
    }
    r->partition = m.partition();
    r->offset = m.offset();
    ++delivered;
  }
  std::vector<Record>& records_;
  std::string failure;
  size_t delivered = 0;
};

void set(RdKafka::Conf& conf, const std::string& key, const std::string& value) {
  std::string err;
  if (conf.set(key, value, err) != RdKafka::Conf::CONF_OK) throw std::runtime_error(key + ": " + err);
}

}  // namespace

int32_t default_partition(const std::string& key, int partitions) {
  // consistent_random: a CRC32 of the key (no topic needed) for a non-empty key.
  return rd_kafka_msg_partitioner_consistent_random(nullptr, key.data(), key.size(), partitions, nullptr, nullptr);
}

void produce(const std::string& bootstrap, const std::string& topic, std::vector<Record>& records) {
  Deliveries deliveries(records);
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  set(*conf, "bootstrap.servers", bootstrap);
  set(*conf, "linger.ms", "20");
  set(*conf, "message.max.bytes", "16777216");  // the 10 MB values
  set(*conf, "queue.buffering.max.messages", "200000");
  std::string err;
  if (conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(&deliveries), err) != RdKafka::Conf::CONF_OK)
    throw std::runtime_error(err);
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), err));
  if (!producer) throw std::runtime_error("producer: " + err);
  for (size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    for (;;) {
      auto e = producer->produce(topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                                 r.value ? const_cast<char*>(r.value->data()) : nullptr, r.value ? r.value->size() : 0,
                                 r.key ? r.key->data() : nullptr, r.key ? r.key->size() : 0, 0,
                                 reinterpret_cast<void*>(static_cast<uintptr_t>(i)));
      if (e == RdKafka::ERR_NO_ERROR) break;
      if (e != RdKafka::ERR__QUEUE_FULL) throw std::runtime_error("produce: " + RdKafka::err2str(e));
      producer->poll(50);
    }
    producer->poll(0);
  }
  for (int waited = 0; producer->outq_len() > 0 && waited < 1200; ++waited) producer->poll(100);
  if (!deliveries.failure.empty()) throw std::runtime_error("delivery failed: " + deliveries.failure);
  if (deliveries.delivered != records.size())
    throw std::runtime_error("delivered " + std::to_string(deliveries.delivered) + " of " + std::to_string(records.size()));
}

std::vector<Consumed> consume_all(const std::string& bootstrap, const std::string& topic, int partitions) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  set(*conf, "bootstrap.servers", bootstrap);
  set(*conf, "group.id", "poison-reader");
  set(*conf, "enable.auto.commit", "false");
  set(*conf, "enable.partition.eof", "true");
  set(*conf, "auto.offset.reset", "earliest");
  std::string err;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer) throw std::runtime_error("consumer: " + err);
  std::vector<RdKafka::TopicPartition*> assignment;
  for (int p = 0; p < partitions; ++p)
    assignment.push_back(RdKafka::TopicPartition::create(topic, p, RdKafka::Topic::OFFSET_BEGINNING));
  consumer->assign(assignment);
  RdKafka::TopicPartition::destroy(assignment);
  std::vector<Consumed> out;
  std::set<int32_t> at_end;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
  while (static_cast<int>(at_end.size()) < partitions) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("reading " + topic + " took over 10 min");
    std::unique_ptr<RdKafka::Message> m(consumer->consume(500));
    if (m->err() == RdKafka::ERR__PARTITION_EOF) {
      at_end.insert(m->partition());
      continue;
    }
    if (m->err() == RdKafka::ERR__TIMED_OUT) continue;
    if (m->err() != RdKafka::ERR_NO_ERROR) throw std::runtime_error("reading " + topic + ": " + m->errstr());
    Consumed c;
    c.partition = m->partition();
    c.offset = m->offset();
    if (m->key_pointer()) c.key = std::string(static_cast<const char*>(m->key_pointer()), m->key_len());
    if (m->payload()) c.value = std::string(static_cast<const char*>(m->payload()), m->len());
    if (const RdKafka::Headers* h = m->headers())
      for (const auto& header : h->get_all())
        c.headers[header.key()] = std::string(static_cast<const char*>(header.value()), header.value_size());
    out.push_back(std::move(c));
  }
  consumer->close();
  return out;
}

}  // namespace ananas::e2e::poison
