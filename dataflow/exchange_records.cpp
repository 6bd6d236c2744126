#include "dataflow/exchange_records.hpp"

#include <algorithm>
#include <limits>

#include "core/row_codec.hpp"

namespace ananas::dataflow {

namespace {

// RowKind's values (0..3) are the row records' first byte, plus a stamp tag
// for a stamped row: kVarintStampedRowTag (written) stores the stamp's four
// numbers as LEB128 varints (typically 1 + 1 + 3 + 1 bytes, where the fixed
// 8-byte form took 32: most of a windowing app's exchange row);
// kFixedStampedRowTag is still read, for records an older worker wrote.
constexpr uint8_t kFixedStampedRowTag = 0x10;
constexpr uint8_t kVarintStampedRowTag = 0x20;
constexpr uint8_t kStampTags = kFixedStampedRowTag | kVarintStampedRowTag;
constexpr uint8_t kWatermarkTag = 0xFF;
constexpr uint8_t kPartialsTag = 0xFE;

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

uint64_t take_varint(std::string_view& in, const char* what) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) throw CorruptState(std::string("exchange row record: its stamp ends inside the ") + what);
    const auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    if (shift == 63 && byte > 1) break;  // more than 64 bits
    v |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if (!(byte & 0x80)) return v;
  }
  throw CorruptState(std::string("exchange row record: the ") + what + " in its stamp is longer than 64 bits");
}

uint32_t take_varint_u32(std::string_view& in, const char* what) {
  const uint64_t v = take_varint(in, what);
  if (v > std::numeric_limits<uint32_t>::max()) throw CorruptState(std::string("exchange record: ") + what + " out of range");
  return static_cast<uint32_t>(v);
}

uint32_t read_u32(StateReader& r, const char* what) {
  const uint64_t v = r.u64();
  if (v > std::numeric_limits<uint32_t>::max())
    throw CorruptState(std::string("exchange record: ") + what + " out of range");
  return static_cast<uint32_t>(v);
}

void put_stamp(std::string& out, const ExchangeRowStamp& stamp) {
  put_varint(out, stamp.topic);
  put_varint(out, static_cast<uint32_t>(stamp.partition));
  put_varint(out, static_cast<uint64_t>(stamp.offset));
  put_varint(out, stamp.seq);
}

ExchangeRowStamp take_stamp(std::string_view& value) {
  ExchangeRowStamp s;
  s.topic = take_varint_u32(value, "topic index");
  s.partition = static_cast<int32_t>(take_varint_u32(value, "partition"));
  const uint64_t offset = take_varint(value, "offset");
  if (offset > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) throw CorruptState("exchange record: offset out of range");
  s.offset = static_cast<int64_t>(offset);
  s.seq = take_varint_u32(value, "row number");
  if (s.partition < 0) throw CorruptState("exchange record: negative partition in its stamp");
  return s;
}

}  // namespace

ExchangeRecordKind exchange_record_kind(std::string_view value) {
  if (value.empty()) throw CorruptState("exchange record: empty value");
  const auto tag = static_cast<uint8_t>(value.front());
  if (tag == kWatermarkTag) return ExchangeRecordKind::Watermark;
  if (tag == kPartialsTag) return ExchangeRecordKind::Partials;
  const auto stamp = static_cast<uint8_t>(tag & kStampTags);
  if (stamp != kStampTags && (tag & ~kStampTags) <= static_cast<uint8_t>(RowKind::Delete)) return ExchangeRecordKind::Row;
  throw CorruptState("exchange record: unknown tag " + std::to_string(tag));
}

void encode_exchange_row(RowKind kind, const Value* row, size_t width, std::string& out,
                         const ExchangeRowStamp* stamp) {
  if (!stamp) {
    out.push_back(static_cast<char>(kind));
  } else {
    out.push_back(static_cast<char>(kVarintStampedRowTag | static_cast<uint8_t>(kind)));
    put_stamp(out, *stamp);
  }
  encode_values(row, width, out);
}

RowKind decode_exchange_row(std::string_view value, size_t width, Arena& arena, Value* out,
                            std::optional<ExchangeRowStamp>* stamp) {
  if (exchange_record_kind(value) != ExchangeRecordKind::Row) throw CorruptState("exchange record: not a row");
  const auto tag = static_cast<uint8_t>(value.front());
  const auto kind = static_cast<RowKind>(tag & ~kStampTags);
  value.remove_prefix(1);
  std::optional<ExchangeRowStamp> read;
  if (tag & kFixedStampedRowTag) {
    StateReader r(value);
    ExchangeRowStamp s;
    s.topic = read_u32(r, "topic index");
    s.partition = static_cast<int32_t>(read_u32(r, "partition"));
    s.offset = r.i64();
    s.seq = read_u32(r, "row number");
    value = r.rest();
    read = s;
  } else if (tag & kVarintStampedRowTag) {
    read = take_stamp(value);
  }
  if (read && (read->partition < 0 || read->offset < 0))
    throw CorruptState("exchange row record: negative partition or offset in its stamp");
  if (stamp) *stamp = read;
  for (size_t i = 0; i < width; ++i) {
    if (value.empty()) throw CorruptState("exchange row record: " + std::to_string(i) + " of " + std::to_string(width) + " cells");
    out[i] = decode_value(value, arena);
  }
  if (!value.empty()) throw CorruptState("exchange row record: more than " + std::to_string(width) + " cells");
  return kind;
}

void encode_exchange_partials(const ExchangeRowStamp& stamp, const std::vector<ExchangePartialView>& partials,
                              std::string& out) {
  out.push_back(static_cast<char>(kPartialsTag));
  put_stamp(out, stamp);
  put_varint(out, partials.size());
  for (const auto& p : partials) {
    out.append(p.cells);
    put_varint(out, p.state.size());
    out.append(p.state);
  }
}

ExchangeRowStamp decode_exchange_partials(std::string_view value, size_t width, Arena& arena, std::vector<Value>& rows) {
  if (exchange_record_kind(value) != ExchangeRecordKind::Partials) throw CorruptState("exchange record: not partials");
  value.remove_prefix(1);
  const ExchangeRowStamp stamp = take_stamp(value);
  const uint64_t count = take_varint(value, "partial count");
  if (count > value.size()) throw CorruptState("exchange partials record: partial count out of range");
  for (uint64_t i = 0; i < count; ++i) {
    for (size_t c = 0; c < width; ++c) {
      if (value.empty()) throw CorruptState("exchange partials record: partial " + std::to_string(i) + " ends inside its cells");
      rows.push_back(decode_value(value, arena));
    }
    const uint64_t size = take_varint(value, "state length");
    if (size > value.size()) throw CorruptState("exchange partials record: partial " + std::to_string(i) + " ends inside its state");
    char* state = static_cast<char*>(arena.allocate(size, 1));
    std::copy_n(value.data(), size, state);
    value.remove_prefix(size);
    rows.push_back(Value::string(std::string_view(state, size)));
  }
  if (!value.empty()) throw CorruptState("exchange partials record: trailing bytes");
  return stamp;
}

std::string encode_exchange_watermark(const ExchangeWatermark& w) {
  StateWriter out;
  out.u8(kWatermarkTag);
  out.i64(w.watermark);
  out.u64(w.shares.size());
  for (const auto& s : w.shares) {
    out.bytes(s.topic);
    out.u64(s.partitions);
    out.u64(s.owned.size());
    for (int32_t p : s.owned) out.u64(static_cast<uint32_t>(p));
  }
  return out.take();
}

ExchangeWatermark decode_exchange_watermark(std::string_view value) {
  StateReader r(value);
  if (value.empty() || r.u8() != kWatermarkTag) throw CorruptState("exchange record: not a watermark");
  ExchangeWatermark w;
  w.watermark = r.i64();
  const uint64_t topics = r.u64();
  // Each share takes at least 24 bytes: a count beyond the record is corrupt,
  // not a reason to reserve gigabytes.
  if (topics > value.size()) throw CorruptState("exchange watermark record: topic count out of range");
  for (uint64_t t = 0; t < topics; ++t) {
    ExchangeTopicShare s;
    s.topic = std::string(r.bytes());
    s.partitions = read_u32(r, "partition count");
    const uint64_t owned = r.u64();
    if (owned > s.partitions) throw CorruptState("exchange watermark record: more owned partitions than the topic has");
    for (uint64_t i = 0; i < owned; ++i) {
      const uint32_t p = read_u32(r, "partition");
      if (p >= s.partitions) throw CorruptState("exchange watermark record: partition " + std::to_string(p) + " of " + std::to_string(s.partitions));
      s.owned.push_back(static_cast<int32_t>(p));
    }
    w.shares.push_back(std::move(s));
  }
  if (!r.at_end()) throw CorruptState("exchange watermark record: trailing bytes");
  return w;
}

}  // namespace ananas::dataflow
