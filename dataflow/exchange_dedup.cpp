#include "dataflow/exchange_dedup.hpp"

#include <charconv>

#include "core/row_codec.hpp"

namespace ananas::dataflow {

std::optional<ExchangeRowStamp> ExchangeRowStamper::stamp(const std::optional<SourceRecord>& record) {
  if (!record || record->offset < 0) return std::nullopt;
  uint32_t topic = 0;
  while (topic < topics_.size() && topics_[topic] != record->topic) ++topic;
  if (topic == topics_.size()) return std::nullopt;
  Last& last = last_[{topic, record->partition}];
  if (last.offset != record->offset) last = Last{record->offset, 0};
  return ExchangeRowStamp{topic, record->partition, record->offset, last.rows++};
}

bool ExchangeDedup::admit(int32_t exchange_partition, const ExchangeRowStamp& stamp) {
  auto [it, inserted] = marks_.try_emplace(SourcePartition{exchange_partition, stamp.topic, stamp.partition},
                                           Mark{stamp.offset, stamp.seq});
  if (inserted) return true;
  Mark& mark = it->second;
  if (stamp.offset < mark.offset || (stamp.offset == mark.offset && stamp.seq <= mark.seq)) return false;
  mark = Mark{stamp.offset, stamp.seq};
  return true;
}

std::vector<int32_t> ExchangeDedup::partitions() const {
  std::vector<int32_t> out;
  for (const auto& [key, mark] : marks_)
    if (out.empty() || out.back() != std::get<0>(key)) out.push_back(std::get<0>(key));
  return out;
}

std::string ExchangeDedup::save(int32_t exchange_partition) const {
  std::string out;
  for (auto it = marks_.lower_bound(SourcePartition{exchange_partition, 0, INT32_MIN});
       it != marks_.end() && std::get<0>(it->first) == exchange_partition; ++it) {
    if (!out.empty()) out += ',';
    out += std::to_string(std::get<1>(it->first)) + ":" + std::to_string(std::get<2>(it->first)) + ":" +
           std::to_string(it->second.offset) + ":" + std::to_string(it->second.seq);
  }
  return out;
}

namespace {

template <class T>
T number(std::string_view text, std::string_view entry) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0)
    throw CorruptState("exchange de-duplication mark '" + std::string(entry) + "': bad number '" + std::string(text) + "'");
  return value;
}

}  // namespace

void ExchangeDedup::restore(int32_t exchange_partition, std::string_view text) {
  std::map<SourcePartition, Mark> restored;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view entry = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    std::string_view fields[4];
    std::string_view rest = entry;
    for (int i = 0; i < 4; ++i) {
      const size_t colon = rest.find(':');
      if ((colon == std::string_view::npos) != (i == 3))
        throw CorruptState("exchange de-duplication mark '" + std::string(entry) + "': expected topic:partition:offset:seq");
      fields[i] = rest.substr(0, colon);
      rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    }
    restored[SourcePartition{exchange_partition, number<uint32_t>(fields[0], entry), number<int32_t>(fields[1], entry)}] =
        Mark{number<int64_t>(fields[2], entry), number<uint32_t>(fields[3], entry)};
  }
  std::erase_if(marks_, [&](const auto& kv) { return std::get<0>(kv.first) == exchange_partition; });
  marks_.merge(restored);
}

}  // namespace ananas::dataflow
