#include "connectors/broker_relay.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "connectors/connector.hpp"
#include "connectors/kafka_wire.hpp"

namespace ananas::connectors {

namespace {

constexpr int kPollMs = 200;  // how quickly threads notice stop()
// Frames read whole to be inspected (Metadata, FindCoordinator) are small;
// a bigger one is not Kafka as we know it and streams through unread.
constexpr uint32_t kMaxInspectedFrame = 16u << 20;

bool write_all(int fd, const char* data, size_t len) {
  while (len > 0) {
    ssize_t n = ::send(fd, data, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

// Kafka clients send small requests and wait for their answers: no Nagle
// delay on either leg of the relay.
void no_delay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int connect_to(const std::string& host, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  no_delay(fd);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

uint32_t be32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

// One direction of a relayed connection: frames are cut from the bytes
// received; the ones `wants_whole` picks are handed to `inspect` complete,
// the rest are forwarded as their bytes come.
class FrameStream {
 public:
  // `header` bytes of a frame (after its size) are what wants_whole reads.
  // Returns false when the peer cannot be written to.
  template <class WantsWhole, class Inspect>
  bool feed(const char* data, size_t n, int out_fd, size_t header, WantsWhole wants_whole, Inspect inspect) {
    buf_.append(data, n);
    size_t off = 0;
    bool ok = true;
    while (ok && off < buf_.size()) {
      if (passing_ > 0) {
        size_t k = std::min(passing_, buf_.size() - off);
        ok = write_all(out_fd, buf_.data() + off, k);
        off += k;
        passing_ -= k;
        continue;
      }
      if (buf_.size() - off < 4) break;
      const uint32_t size = be32(buf_, off);
      const bool readable = size >= header && size <= kMaxInspectedFrame;
      if (readable && buf_.size() - off < 4 + header) break;
      if (!readable || !wants_whole(buf_, off + 4)) {
        passing_ = size_t{size} + 4;
        continue;
      }
      if (buf_.size() - off < size_t{size} + 4) break;
      std::string frame = buf_.substr(off, size_t{size} + 4);  // with its size, sent in one write
      std::string body = frame.substr(4);
      inspect(body);
      frame.replace(4, body.size(), body);
      ok = write_all(out_fd, frame.data(), frame.size());
      off += size_t{size} + 4;
    }
    buf_.erase(0, off);
    return ok;
  }

 private:
  std::string buf_;
  size_t passing_ = 0;  // bytes of the current frame still to forward as they come
};

}  // namespace

BrokerRelay::BrokerRelay(int listen_port, const std::string& target_host, int target_port)
    : target_host_(target_host), target_port_(target_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw ConnectorError(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(listen_port));
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0) {
    std::string why = std::strerror(errno);
    ::close(listen_fd_);
    throw ConnectorError("cannot listen on 127.0.0.1:" + std::to_string(listen_port) + ": " + why);
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

void BrokerRelay::start(std::shared_ptr<const BrokerRelayHooks> hooks) {
  hooks_ = std::move(hooks);
  acceptor_ = std::thread([this] { accept_loop(); });
}

BrokerRelay::~BrokerRelay() {
  stopping_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  std::lock_guard lock(mutex_);
  for (Connection& c : relays_) c.thread.join();
  ::close(listen_fd_);
}

void BrokerRelay::join_finished() {
  std::lock_guard lock(mutex_);
  for (auto it = relays_.begin(); it != relays_.end();) {
    if (!it->done) {
      ++it;
      continue;
    }
    it->thread.join();
    it = relays_.erase(it);
  }
}

void BrokerRelay::accept_loop() {
  while (!stopping_) {
    join_finished();
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, kPollMs) <= 0) continue;
    int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    std::lock_guard lock(mutex_);
    Connection& c = relays_.emplace_back();
    c.thread = std::thread([this, client, &c] {
      relay(client);
      c.done = true;
    });
  }
}

void BrokerRelay::relay(int client_fd) {
  int server_fd = connect_to(target_host_, target_port_);
  if (server_fd < 0) {  // the client sees a closed connection and retries, as with a dead broker
    ::close(client_fd);
    return;
  }
  no_delay(client_fd);
  namespace wire = kafka_wire;
  const BrokerRelayHooks& hooks = *hooks_;
  std::map<int32_t, wire::RequestHeader> rewrite;  // correlation id -> request whose response names brokers
  FrameStream requests, responses;
  auto request_wanted = [](const std::string& b, size_t at) {
    auto key = static_cast<int16_t>((static_cast<unsigned char>(b[at]) << 8) | static_cast<unsigned char>(b[at + 1]));
    return key == wire::kMetadata || key == wire::kFindCoordinator;
  };
  auto on_request = [&](std::string& frame) {
    auto h = wire::request_header(frame);
    if (!h) return;
    rewrite[h->correlation_id] = *h;
    if (auto m = wire::metadata_request_topics(frame); m && m->allow_auto_create && !m->topics.empty() && hooks.create_topics)
      hooks.create_topics(m->topics);
  };
  auto response_wanted = [&](const std::string& b, size_t at) { return rewrite.count(static_cast<int32_t>(be32(b, at))) > 0; };
  auto on_response = [&](std::string& frame) {
    auto it = rewrite.find(static_cast<int32_t>(be32(frame, 0)));
    wire::rewrite_broker_ports(it->second.api_key, it->second.api_version, frame, hooks.ports);
    rewrite.erase(it);
  };

  pollfd fds[2] = {{client_fd, POLLIN, 0}, {server_fd, POLLIN, 0}};
  std::vector<char> buf(256 * 1024);  // fetch responses are large
  while (!stopping_) {
    int ready = ::poll(fds, 2, kPollMs);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    bool open = true;
    for (int i = 0; i < 2 && open; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::recv(fds[i].fd, buf.data(), buf.size(), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) open = false;
      else if (i == 0) open = requests.feed(buf.data(), static_cast<size_t>(n), server_fd, 2, request_wanted, on_request);
      else open = responses.feed(buf.data(), static_cast<size_t>(n), client_fd, 4, response_wanted, on_response);
    }
    if (!open) break;
  }
  ::close(client_fd);
  ::close(server_fd);
}

}  // namespace ananas::connectors
