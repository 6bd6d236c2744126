#include "cli/table.hpp"

#include <algorithm>

namespace ananas::cli {

namespace {

// Display width in code points, so a column of emoji toppings stays aligned
// as far as the terminal counts one per character.
size_t width(const std::string& s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

void Table::print(std::ostream& os) const {
  std::vector<size_t> widths(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
  };
  measure(header_);
  for (const auto& r : rows_) measure(r);
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < row.size() ? row[i] : "";
      out += cell;
      if (i + 1 < widths.size()) out += std::string(widths[i] - width(cell) + 2, ' ');
    }
    out.erase(out.find_last_not_of(' ') + 1);
    os << out << "\n";
  };
  line(header_);
  for (const auto& r : rows_) line(r);
}

}  // namespace ananas::cli
