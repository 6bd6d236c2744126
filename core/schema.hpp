#pragma once
// A relation's columns, in order. Operators compute their output schema from
// their input schema when a pipeline is built, so every edge of the graph has one.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace ananas {

struct Column {
  std::string name;
  Type type;
  bool operator==(const Column&) const = default;
};

struct Schema {
  std::vector<Column> columns;

  bool operator==(const Schema&) const = default;
  size_t size() const { return columns.size(); }
  const Column& operator[](size_t i) const { return columns[i]; }
  // Exact, case-sensitive lookup, as Flink resolves identifiers.
  std::optional<size_t> find(std::string_view name) const {
    for (size_t i = 0; i < columns.size(); ++i)
      if (columns[i].name == name) return i;
    return std::nullopt;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    out.reserve(columns.size());
    for (const auto& c : columns) out.push_back(c.name);
    return out;
  }
  // `(id INT, name STRING, orderTimestamp TIMESTAMP(3) *ROWTIME*)`
  std::string to_string() const;
};

}  // namespace ananas
