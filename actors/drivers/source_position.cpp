#include "actors/drivers/source_position.hpp"

#include <charconv>
#include <stdexcept>

namespace ananas::rt::drivers {

std::string encode_position(const connectors::PartitionOffsets& offsets, const PartitionMarks& marks) {
  std::string out;
  for (const auto& [p, offset] : offsets)
    out += p.topic + ":" + std::to_string(p.partition) + ":" + std::to_string(offset) + "\n";
  for (const auto& [p, text] : marks) out += "@" + p.topic + ":" + std::to_string(p.partition) + " " + text + "\n";
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

SourcePosition decode_source_position(const std::string& text) {
  SourcePosition out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    const std::string line = text.substr(start, nl - start);
    start = nl + 1;
    if (line.empty()) continue;
    if (line[0] == '@') {
      const size_t space = line.find(' ');
      const std::string id = line.substr(1, space == std::string::npos ? std::string::npos : space - 1);
      const size_t colon = id.rfind(':');
      if (space == std::string::npos || colon == std::string::npos || colon == 0)
        throw std::invalid_argument("source position: expected '@topic:partition marks', got '" + line + "'");
      out.marks[connectors::PartitionId{id.substr(0, colon), parse_number<int32_t>(std::string_view(id).substr(colon + 1), line)}] =
          line.substr(space + 1);
      continue;
    }
    // Split at the last two colons: the topic itself never holds one, but be
    // strict anyway so a corrupted position fails loudly instead of seeking wrong.
    const size_t c2 = line.rfind(':');
    const size_t c1 = c2 == std::string::npos || c2 == 0 ? std::string::npos : line.rfind(':', c2 - 1);
    if (c1 == std::string::npos || c1 == 0)
      throw std::invalid_argument("source position: expected 'topic:partition:offset', got '" + line + "'");
    connectors::PartitionId id{line.substr(0, c1),
                               parse_number<int32_t>(std::string_view(line).substr(c1 + 1, c2 - c1 - 1), line)};
    out.offsets[id] = parse_number<int64_t>(std::string_view(line).substr(c2 + 1), line);
  }
  return out;
}

}  // namespace ananas::rt::drivers
