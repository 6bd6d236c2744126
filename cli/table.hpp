#pragma once
// Plain-text tables for commands that show what a worker holds (`ananas
// pipelines`): an upper-case header, columns left-aligned and separated by
// two spaces, as kubectl and rpk print them.
#include <ostream>
#include <string>
#include <vector>

namespace ananas::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }
  void print(std::ostream& os) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace ananas::cli
