#include "actors/drivers/source_position.hpp"

#include <charconv>
#include <stdexcept>

namespace ananas::rt::drivers {

std::string encode_position(const connectors::PartitionOffsets& offsets) {
  std::string out;
  for (const auto& [p, offset] : offsets)
    out += p.topic + ":" + std::to_string(p.partition) + ":" + std::to_string(offset) + "\n";
  return out;
}

namespace {

template <class T>
T parse_number(std::string_view text, const std::string& line) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    throw std::invalid_argument("source position: bad number '" + std::string(text) + "' in line '" + line + "'");
  return value;
}

}  // namespace

connectors::PartitionOffsets decode_position(const std::string& text) {
  connectors::PartitionOffsets out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    const std::string line = text.substr(start, nl - start);
    start = nl + 1;
    if (line.empty()) continue;
    // Split at the last two colons: the topic itself never holds one, but be
    // strict anyway so a corrupted position fails loudly instead of seeking wrong.
    const size_t c2 = line.rfind(':');
    const size_t c1 = c2 == std::string::npos || c2 == 0 ? std::string::npos : line.rfind(':', c2 - 1);
    if (c1 == std::string::npos || c1 == 0)
      throw std::invalid_argument("source position: expected 'topic:partition:offset', got '" + line + "'");
    connectors::PartitionId id{line.substr(0, c1),
                               parse_number<int32_t>(std::string_view(line).substr(c1 + 1, c2 - c1 - 1), line)};
    out[id] = parse_number<int64_t>(std::string_view(line).substr(c2 + 1), line);
  }
  return out;
}

}  // namespace ananas::rt::drivers
