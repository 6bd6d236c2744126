// `ananas broker`: a Kafka wire-protocol broker on 127.0.0.1 for development
// and tests (librdkafka's mock cluster, see connectors/embedded_broker.hpp).
#include <signal.h>

#include <iostream>
#include <sstream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "connectors/embedded_broker.hpp"

namespace ananas::cli {

namespace {

std::vector<std::string> split_topics(const std::string& list) {
  std::vector<std::string> topics;
  std::stringstream in(list);
  for (std::string t; std::getline(in, t, ',');) {
    if (t.empty()) throw UsageError("--topics has an empty topic name in '" + list + "'");
    topics.push_back(t);
  }
  return topics;
}

int run_broker(int argc, char** argv) {
  Args args("ananas broker [--port P] [--partitions N] [--topics a,b] [--brokers K] [--absent-topics a,b]",
            "Runs a Kafka wire-protocol broker on 127.0.0.1 (librdkafka's mock cluster) until SIGINT or\n"
            "SIGTERM. The first line on stdout is `bootstrap: 127.0.0.1:PORT[,...]`.\n"
            "\n"
            "Limits: the mock keeps at most 5 MiB (or 100,000 batches) per partition; older data is\n"
            "dropped silently and the partition's start offset moves on. Size partitions for the backlog\n"
            "you need to read from the beginning: --partitions >= backlog bytes / 5 MiB (orders are\n"
            "~800 bytes, so ~6,500 orders per partition), and note that keyed data with 6 shop keys\n"
            "uses at most 6 partitions. Consumer group joins take ~3 s; transactions are not honoured.\n"
            "\n"
            "--partitions applies to the --topics topics and to every topic auto-created later (when a\n"
            "producer, or a client allowing it, first asks for it), as Kafka's num.partitions does.\n"
            "\n"
            "--port: the mock listens on ephemeral ports of its own; ananas relays a port of its own to each\n"
            "mock broker (the first one on --port) and tells clients these addresses, all on 127.0.0.1.\n"
            "\n"
            "--absent-topics: the mock creates every topic a client asks about, so a missing topic cannot\n"
            "happen by itself; these topics (created with --partitions) are reported as not existing\n"
            "until the broker gets SIGUSR1, to try what a worker does while its topic is missing.");
  args.option("port", "P", "port to listen on (0 = the mock's own ephemeral port)", "p", "0")
      .option("partitions", "N", "partitions of each --topics topic and of auto-created topics", "", "1")
      .option("topics", "a,b", "topics to create at start", "t")
      .option("brokers", "K", "number of mock brokers", "", "1")
      .option("absent-topics", "a,b", "topics reported as not existing until SIGUSR1", "");
  if (!args.parse(argc, argv, std::cout)) return kExitOk;

  connectors::EmbeddedBrokerOptions options;
  options.port = static_cast<int>(args.get_int("port", 0, 65535));
  options.partitions = static_cast<int>(args.get_int("partitions", 1, 1000));
  options.auto_created_partitions = options.partitions;
  options.brokers = static_cast<int>(args.get_int("brokers", 1, 16));
  if (auto topics = args.get_optional("topics")) options.topics = split_topics(*topics);
  std::vector<std::string> absent;
  if (auto topics = args.get_optional("absent-topics")) absent = split_topics(*topics);

  // Block the stop signals before librdkafka starts its threads, so they all
  // inherit the mask and sigwait below is the only place that receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  connectors::EmbeddedBroker broker;
  std::string bootstrap = broker.start(options);
  std::cout << "bootstrap: " << bootstrap << std::endl;
  std::cerr << "relaying " << bootstrap << " to the mock brokers " << broker.mock_bootstraps() << "; auto-created topics get "
            << options.partitions << " partition" << (options.partitions == 1 ? "" : "s") << "\n";
  for (const std::string& t : options.topics)
    std::cerr << "topic " << t << " (" << options.partitions << " partition" << (options.partitions == 1 ? "" : "s") << ")\n";

  for (const std::string& t : absent) {
    broker.create_topic(t, options.partitions);
    broker.set_topic_error(t, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
    std::cerr << "topic " << t << " (" << options.partitions << " partition" << (options.partitions == 1 ? "" : "s")
              << ") reported as not existing until SIGUSR1\n";
  }

  int signal_number = 0;
  while (sigwait(&stop_signals, &signal_number) == 0 && signal_number == SIGUSR1) {
    for (const std::string& t : absent) broker.set_topic_error(t, RD_KAFKA_RESP_ERR_NO_ERROR);
    if (!absent.empty()) std::cerr << "the absent topics exist now\n";
    absent.clear();
  }
  std::cerr << "stopping on signal " << signal_number << "\n";
  broker.stop();
  return kExitOk;
}

}  // namespace

ANANAS_COMMAND(broker, "broker", "run a Kafka wire-protocol broker on 127.0.0.1 (dev/test)", run_broker);

}  // namespace ananas::cli
