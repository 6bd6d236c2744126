#include "connectors/kafka_wire.hpp"

#include <stdexcept>

namespace ananas::connectors::kafka_wire {

namespace {

struct Truncated : std::runtime_error {
  Truncated() : std::runtime_error("truncated Kafka frame") {}
};

// Big-endian reads over one frame; throws Truncated past its end.
class Reader {
 public:
  explicit Reader(const std::string& s) : s_(s) {}
  size_t pos() const { return pos_; }
  uint64_t be(int bytes) {
    need(static_cast<size_t>(bytes));
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(s_[pos_++]);
    return v;
  }
  int16_t i16() { return static_cast<int16_t>(be(2)); }
  int32_t i32() { return static_cast<int32_t>(be(4)); }
  uint64_t uvarint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1);
      auto b = static_cast<unsigned char>(s_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    throw Truncated();
  }
  void skip(size_t n) {
    need(n);
    pos_ += n;
  }
  // STRING / NULLABLE_STRING (int16 length, -1 null) or their compact forms
  // (uvarint length + 1, 0 null). Null reads as "".
  std::string str(bool compact) {
    int64_t len = compact ? static_cast<int64_t>(uvarint()) - 1 : i16();
    if (len < 0) return {};
    need(static_cast<size_t>(len));
    std::string v = s_.substr(pos_, static_cast<size_t>(len));
    pos_ += static_cast<size_t>(len);
    return v;
  }
  // ARRAY count (int32, -1 null) or COMPACT_ARRAY (uvarint count + 1, 0 null); null is -1.
  int64_t count(bool compact) { return compact ? static_cast<int64_t>(uvarint()) - 1 : i32(); }
  void tagged_fields() {
    for (uint64_t n = uvarint(); n > 0; --n) {
      uvarint();  // tag
      skip(uvarint());
    }
  }

 private:
  void need(size_t n) const {
    if (s_.size() - pos_ < n) throw Truncated();
  }
  const std::string& s_;
  size_t pos_ = 0;
};

void put_i32(std::string& s, size_t at, int32_t v) {
  auto u = static_cast<uint32_t>(v);
  for (int i = 3; i >= 0; --i, u >>= 8) s[at + static_cast<size_t>(i)] = static_cast<char>(u & 0xff);
}

// Reads a port at the reader's position and maps it in place.
void map_port(Reader& r, std::string& frame, const std::map<int32_t, int32_t>& ports) {
  size_t at = r.pos();
  auto it = ports.find(r.i32());
  if (it != ports.end()) put_i32(frame, at, it->second);
}

}  // namespace

std::optional<RequestHeader> request_header(const std::string& frame) {
  if (frame.size() < 8) return std::nullopt;
  Reader r(frame);
  RequestHeader h;
  h.api_key = r.i16();
  h.api_version = r.i16();
  h.correlation_id = r.i32();
  return h;
}

std::optional<MetadataTopics> metadata_request_topics(const std::string& frame) {
  auto h = request_header(frame);
  if (!h || h->api_key != kMetadata || h->api_version < 0 || h->api_version > 12) return std::nullopt;
  const int v = h->api_version;
  const bool flexible = v >= 9;
  try {
    Reader r(frame);
    r.skip(8);
    r.str(false);  // client_id stays a classic string in every header version
    if (flexible) r.tagged_fields();
    MetadataTopics m;
    const int64_t n = r.count(flexible);
    for (int64_t i = 0; i < n; ++i) {
      if (v >= 10) r.skip(16);  // topic_id
      std::string name = r.str(flexible);
      if (flexible) r.tagged_fields();
      if (!name.empty()) m.topics.push_back(std::move(name));
    }
    if (v >= 4) m.allow_auto_create = r.be(1) != 0;
    return m;
  } catch (const Truncated&) {
    return std::nullopt;
  }
}

bool rewrite_broker_ports(int16_t api_key, int16_t api_version, std::string& frame,
                          const std::map<int32_t, int32_t>& ports) {
  const int v = api_version;
  try {
    Reader r(frame);
    if (api_key == kMetadata && v >= 0 && v <= 12) {
      const bool flexible = v >= 9;
      r.skip(4);  // correlation_id
      if (flexible) r.tagged_fields();
      if (v >= 3) r.skip(4);  // throttle_time_ms
      const int64_t n = r.count(flexible);
      for (int64_t i = 0; i < n; ++i) {
        r.skip(4);  // node_id
        r.str(flexible);
        map_port(r, frame, ports);
        if (v >= 1) r.str(flexible);  // rack
        if (flexible) r.tagged_fields();
      }
      return true;
    }
    if (api_key == kFindCoordinator && v >= 0 && v <= 4) {
      const bool flexible = v >= 3;
      r.skip(4);  // correlation_id
      if (flexible) r.tagged_fields();
      if (v >= 1) r.skip(4);  // throttle_time_ms
      if (v <= 3) {
        r.skip(2);                    // error_code
        if (v >= 1) r.str(flexible);  // error_message
        r.skip(4);                    // node_id
        r.str(flexible);
        map_port(r, frame, ports);
        return true;
      }
      const int64_t n = r.count(true);
      for (int64_t i = 0; i < n; ++i) {
        r.str(true);  // key
        r.skip(4);    // node_id
        r.str(true);
        map_port(r, frame, ports);
        r.skip(2);    // error_code
        r.str(true);  // error_message
        r.tagged_fields();
      }
      return true;
    }
  } catch (const Truncated&) {
  }
  return false;
}

}  // namespace ananas::connectors::kafka_wire
