#pragma once
// Listens on 127.0.0.1:<port> and relays every accepted connection to one
// mock broker, reading the Kafka frames as they pass (one thread per
// connection; relay threads poll with a short timeout so stop never waits on
// a blocked read). Two things are done on the way:
//   - before a Metadata request that lets the broker create topics reaches
//     the mock, `create_topics` is called with its topics, so that the broker
//     can create them with its own partition count: librdkafka 2.0.2's mock
//     auto-creates with a fixed 4 partitions and has no setting for that;
//   - broker ports in Metadata and FindCoordinator responses are mapped
//     (mock port -> relay port), so that clients keep talking through the
//     relays and every later Metadata request passes here as well.
// Any other frame streams through unbuffered.
#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ananas::connectors {

struct BrokerRelayHooks {
  std::function<void(const std::vector<std::string>&)> create_topics;
  std::map<int32_t, int32_t> ports;  // mock broker port -> relay port
};

class BrokerRelay {
 public:
  // Binds at once (port 0: an ephemeral one); throws ConnectorError naming
  // the port when that fails. Accepts nothing before start().
  BrokerRelay(int listen_port, const std::string& target_host, int target_port);
  ~BrokerRelay();  // stops accepting, closes every relayed connection, joins all threads
  BrokerRelay(const BrokerRelay&) = delete;
  BrokerRelay& operator=(const BrokerRelay&) = delete;
  int port() const { return port_; }
  int target_port() const { return target_port_; }
  // The hooks are shared by every relay of one cluster (the port map needs
  // all of them bound first).
  void start(std::shared_ptr<const BrokerRelayHooks> hooks);

 private:
  void accept_loop();
  void relay(int client_fd);
  void join_finished();

  int listen_fd_ = -1;
  int port_ = 0;
  std::string target_host_;
  int target_port_ = 0;
  std::shared_ptr<const BrokerRelayHooks> hooks_;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex mutex_;
  struct Connection {
    std::thread thread;
    std::atomic<bool> done{false};
  };
  std::list<Connection> relays_;  // finished ones are joined by the acceptor
};

}  // namespace ananas::connectors
