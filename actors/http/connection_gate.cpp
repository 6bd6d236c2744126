#include "actors/http/connection_gate.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "actors/http/gate_stream.hpp"
#include "actors/http/gated_connection.hpp"
#include "actors/http/sockets.hpp"

namespace ananas::rt::http {
namespace {

using Clock = std::chrono::steady_clock;
using ConnectionPtr = std::unique_ptr<GatedConnection>;

const char* reason_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

std::string format(const DirectAnswer& a) {
  std::string out = "HTTP/1.1 " + std::to_string(a.status) + " " + reason_phrase(a.status) + "\r\n";
  for (const auto& [name, value] : a.headers) out += name + ": " + value + "\r\n";
  out += "Content-Type: application/json\r\nContent-Length: " + std::to_string(a.body.size()) +
         "\r\nConnection: close\r\n\r\n" + a.body;
  return out;
}

// Threads that answer the requests one kind of path gets.
struct Lane {
  std::mutex mu;
  std::condition_variable wake;
  std::deque<ConnectionPtr> queue;
  std::vector<std::thread> threads;
};

}  // namespace

DirectAnswer error_answer(int status, const std::string& message) {
  return DirectAnswer{status, {}, nlohmann::json{{"error_code", status}, {"message", message}}.dump()};
}

struct ConnectionGate::Impl {
  GateLimits limits;
  std::vector<LaneSpec> lane_specs;
  Route route;
  Serve serve;

  std::vector<std::unique_ptr<Lane>> lanes;
  std::thread gate_thread;
  int listen_fd = -1;
  int wake_read = -1, wake_write = -1;  // lane threads and stop() wake the gate's poll
  std::atomic<bool> stopping{false};

  // Connections a lane thread is done with: back to waiting, or to close.
  std::mutex returned_mu;
  std::vector<std::pair<ConnectionPtr, bool>> returned;

  // The gate thread's own: connections waiting for a head or lingering, by
  // socket; open connections per client and in all (busy ones included).
  std::map<int, ConnectionPtr> idle;
  std::unordered_map<std::string, size_t> per_client;
  size_t open = 0;
  uint64_t next_serial = 0;
  Clock::time_point accept_paused_until{};

  Impl(GateLimits l, std::vector<LaneSpec> specs, Route r, Serve s)
      : limits(l), lane_specs(std::move(specs)), route(std::move(r)), serve(std::move(s)) {}

  // ---- the gate thread ----

  void run() {
    std::vector<pollfd> fds;
    while (!stopping) {
      const auto now = Clock::now();
      fds.clear();
      fds.push_back({wake_read, POLLIN, 0});
      const bool accepting = now >= accept_paused_until;
      fds.push_back({accepting ? listen_fd : -1, POLLIN, 0});  // a negative fd is ignored by poll
      auto next = now + std::chrono::seconds(1);
      for (const auto& [fd, c] : idle) {
        fds.push_back({fd, POLLIN, 0});
        next = std::min(next, c->deadline);
      }
      if (!accepting) next = std::min(next, accept_paused_until);
      const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count();
      if (::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(wait, 0))) < 0 && errno != EINTR) break;

      for (size_t i = 2; i < fds.size(); ++i)
        if (fds[i].revents != 0) on_readable(fds[i].fd);
      if (fds[0].revents != 0) take_returned();
      if (fds[1].revents != 0) accept_all();
      expire();
    }
    ::close(listen_fd);
    listen_fd = -1;
    for (auto& [fd, c] : idle) close_socket(*c);
    idle.clear();
  }

  void accept_all() {
    for (int i = 0; i < 64; ++i) {  // then look at the other connections again
      sockaddr_storage address{};
      socklen_t length = sizeof address;
      const int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&address), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd >= 0) {
        admit(fd, endpoint_of(reinterpret_cast<const sockaddr*>(&address)));
        continue;
      }
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of sockets: free one, and give the rest of the process a
        // moment rather than spin on a listening socket that stays readable.
        evict_oldest(nullptr);
        accept_paused_until = Clock::now() + std::chrono::milliseconds(100);
      }
      return;  // EAGAIN: nothing more to accept
    }
  }

  void admit(int fd, Endpoint peer) {
    int one = 1;
    // httplib writes an answer's head and body separately: without this,
    // Nagle's algorithm and the client's delayed ACK hold the body ~40 ms.
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (per_client[peer.ip] >= limits.max_connections_per_client && !evict_oldest(&peer.ip)) {
      refuse_at_once(fd, "too many connections from " + peer.ip + " (at most " +
                             std::to_string(limits.max_connections_per_client) + ")");
      return;
    }
    if (open >= limits.max_connections && !evict_oldest(nullptr)) {
      refuse_at_once(fd, "too many connections (at most " + std::to_string(limits.max_connections) + ")");
      return;
    }
    auto c = std::make_unique<GatedConnection>();
    c->fd = fd;
    c->client = std::move(peer.ip);
    c->client_port = peer.port;
    c->serial = next_serial++;
    c->deadline = Clock::now() + limits.head_timeout;
    ++per_client[c->client];
    ++open;
    idle.emplace(fd, std::move(c));
  }

  void refuse_at_once(int fd, const std::string& message) {
    send_now(fd, format(error_answer(503, message)));
    ::close(fd);
  }

  // Closes the idle connection admitted first (of `client` only, if given).
  // False when there is none: every connection is being answered.
  bool evict_oldest(const std::string* client) {
    GatedConnection* oldest = nullptr;
    for (const auto& [fd, c] : idle)
      if ((!client || c->client == *client) && (!oldest || c->serial < oldest->serial)) oldest = c.get();
    if (!oldest) return false;
    close_idle(oldest->fd);
    return true;
  }

  void on_readable(int fd) {
    auto it = idle.find(fd);
    if (it == idle.end()) return;
    GatedConnection& c = *it->second;
    if (c.state == GatedConnection::State::Lingering) {
      char scratch[16 * 1024];
      const ssize_t n = ::recv(fd, scratch, sizeof scratch, 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) close_idle(fd);
      return;
    }
    const size_t had = c.buffer.size();
    const size_t room = limits.max_head_bytes - std::min(had, limits.max_head_bytes);
    c.buffer.resize(had + std::max<size_t>(room, 1));
    const ssize_t n = ::recv(fd, c.buffer.data() + had, c.buffer.size() - had, 0);
    c.buffer.resize(had + static_cast<size_t>(std::max<ssize_t>(n, 0)));
    if (n == 0) return close_idle(fd);  // closed before sending a whole head
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) close_idle(fd);
      return;
    }
    examine(fd);
  }

  // Acts on a waiting connection's buffer: nothing yet, a refusal, or the
  // request handed to its lane.
  void examine(int fd) {
    GatedConnection& c = *idle.at(fd);
    const size_t end = find_head_end(c.buffer, c.searched);
    if (end == std::string::npos) {
      c.searched = c.buffer.size();
      if (c.buffer.size() >= limits.max_head_bytes)
        refuse(c, error_answer(431, "the request head (request line and headers) is larger than " +
                                        std::to_string(limits.max_head_bytes) + " bytes"));
      return;
    }
    auto parsed = parse_request_head(std::string_view(c.buffer).substr(0, end));
    if (auto* error = std::get_if<HeadError>(&parsed)) return refuse(c, error_answer(error->status, error->message));
    RequestHead head = std::get<RequestHead>(std::move(parsed));
    auto decision = route(head);
    if (auto* answer = std::get_if<DirectAnswer>(&decision)) return refuse(c, *answer);
    if (head.content_length > limits.max_body_bytes)
      return refuse(c, error_answer(413, "the request body is " + std::to_string(head.content_length) +
                                             " bytes; at most " + std::to_string(limits.max_body_bytes) +
                                             " are accepted"));
    const size_t lane_index = std::get<size_t>(decision);
    c.head = std::move(head);
    c.state = GatedConnection::State::Busy;
    auto node = idle.extract(fd);
    Lane& lane = *lanes.at(lane_index);
    {
      std::lock_guard lock(lane.mu);
      lane.queue.push_back(std::move(node.mapped()));
    }
    lane.wake.notify_one();
  }

  // Answers at once, then reads and drops what the client still sends until
  // it closes or `linger` passes, so that it reads the answer rather than a
  // reset (closing with unread bytes would send one).
  void refuse(GatedConnection& c, const DirectAnswer& answer) {
    send_now(c.fd, format(answer));
    ::shutdown(c.fd, SHUT_WR);
    c.buffer.clear();
    c.buffer.shrink_to_fit();
    c.state = GatedConnection::State::Lingering;
    c.deadline = Clock::now() + limits.linger;
  }

  void take_returned() {
    char drain[256];
    while (::read(wake_read, drain, sizeof drain) > 0) {
    }
    std::vector<std::pair<ConnectionPtr, bool>> back;
    {
      std::lock_guard lock(returned_mu);
      back.swap(returned);
    }
    for (auto& [c, keep] : back) {
      if (!keep) {
        forget(*c);
        close_socket(*c);
        continue;
      }
      // Waits for its next request as a new connection waits for its first.
      c->state = GatedConnection::State::Waiting;
      c->deadline = Clock::now() + limits.head_timeout;
      const int fd = c->fd;
      idle.emplace(fd, std::move(c));
      examine(fd);  // a pipelined request may be there already
    }
  }

  void expire() {
    const auto now = Clock::now();
    std::vector<int> due;
    for (const auto& [fd, c] : idle)
      if (c->deadline <= now) due.push_back(fd);
    for (int fd : due) close_idle(fd);
  }

  void close_idle(int fd) {
    auto node = idle.extract(fd);
    if (node.empty()) return;
    forget(*node.mapped());
    close_socket(*node.mapped());
  }

  void forget(const GatedConnection& c) {
    if (auto it = per_client.find(c.client); it != per_client.end() && --it->second == 0) per_client.erase(it);
    --open;
  }

  static void close_socket(GatedConnection& c) {
    if (c.fd >= 0) ::close(c.fd);
    c.fd = -1;
  }

  // ---- lane threads ----

  void lane_loop(Lane& lane) {
    for (;;) {
      ConnectionPtr c;
      {
        std::unique_lock lock(lane.mu);
        lane.wake.wait(lock, [&] { return stopping || !lane.queue.empty(); });
        if (stopping) return;  // stop() closes what is still queued
        c = std::move(lane.queue.front());
        lane.queue.pop_front();
      }
      const bool keep = answer(*c);
      give_back(std::move(c), keep);
    }
  }

  // Answers the connection's request; true when the connection may serve another.
  bool answer(GatedConnection& c) {
    GateStream stream(c, limits, stopping);
    const bool last = ++c.requests >= limits.max_requests_per_connection || stopping;
    bool closed = false, written = false;
    try {
      written = serve(stream, last, closed);
    } catch (...) {
      written = false;  // httplib answers a handler's exception itself; this is only a guard
    }
    const bool whole = stream.finish();
    return written && whole && !closed && !last;
  }

  void give_back(ConnectionPtr c, bool keep) {
    {
      std::lock_guard lock(returned_mu);
      returned.emplace_back(std::move(c), keep);
    }
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_write, &byte, 1);  // full pipe: the gate wakes anyway
  }
};

ConnectionGate::ConnectionGate(GateLimits limits, std::vector<LaneSpec> lanes, Route route, Serve serve)
    : impl_(std::make_unique<Impl>(limits, std::move(lanes), std::move(route), std::move(serve))) {}

ConnectionGate::~ConnectionGate() { stop(); }

int ConnectionGate::start(const std::string& host, int port) {
  Impl& g = *impl_;
  g.listen_fd = listen_on(host, port);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    ::close(g.listen_fd);
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": no pipe for the gate");
  }
  g.wake_read = pipe_fds[0];
  g.wake_write = pipe_fds[1];
  const int bound = local_endpoint(g.listen_fd).port;
  for (const auto& spec : g.lane_specs) {
    auto lane = std::make_unique<Lane>();
    for (size_t i = 0; i < std::max<size_t>(spec.threads, 1); ++i)
      lane->threads.emplace_back([&g, l = lane.get()] { g.lane_loop(*l); });
    g.lanes.push_back(std::move(lane));
  }
  g.gate_thread = std::thread([&g] { g.run(); });
  return bound;
}

void ConnectionGate::stop() {
  Impl& g = *impl_;
  if (!g.gate_thread.joinable()) return;
  g.stopping = true;
  const char byte = 1;
  [[maybe_unused]] const ssize_t n = ::write(g.wake_write, &byte, 1);
  g.gate_thread.join();
  for (auto& lane : g.lanes) {
    {
      std::lock_guard lock(lane->mu);  // a lane thread is in wait() or answering, never between
    }
    lane->wake.notify_all();
    for (auto& t : lane->threads) t.join();
    for (auto& c : lane->queue) Impl::close_socket(*c);
  }
  for (auto& [c, keep] : g.returned) Impl::close_socket(*c);
  g.returned.clear();
  g.lanes.clear();
  ::close(g.wake_read);
  ::close(g.wake_write);
  g.wake_read = g.wake_write = -1;
}

}  // namespace ananas::rt::http
