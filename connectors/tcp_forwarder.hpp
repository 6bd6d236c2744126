#pragma once
// Listens on 127.0.0.1:<port> and relays every accepted TCP connection to a
// target address, byte for byte, in both directions (one thread per
// connection: forwarded connections are few, only Kafka bootstraps). Relay
// threads poll with a short timeout so stop never waits on a blocked read.
#include <atomic>
#include <list>
#include <mutex>
#include <string>
#include <thread>

namespace ananas::connectors {

class TcpForwarder {
 public:
  // Binds at once; throws ConnectorError naming the port when that fails.
  TcpForwarder(int listen_port, const std::string& target_host, int target_port);
  ~TcpForwarder();  // stops accepting, closes every relayed connection, joins all threads
  TcpForwarder(const TcpForwarder&) = delete;
  TcpForwarder& operator=(const TcpForwarder&) = delete;
  int port() const { return port_; }

 private:
  void accept_loop();
  void relay(int client_fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::string target_host_;
  int target_port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex mutex_;
  std::list<std::thread> relays_;
};

}  // namespace ananas::connectors
