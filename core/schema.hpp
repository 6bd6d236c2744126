#pragma once
// A relation's columns, in order. Operators compute their output schema from
// their input schema when a pipeline is built, so every edge of the graph has one.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace ananas {

// The most columns a table or a select list may have. Every column takes 16
// bytes of each row in memory, and names are looked up one by one: a
// 100,000-column table made each record 1.6 MB and took its CREATE TABLE
// 20 s to check. (MySQL allows 4,096 columns a table, PostgreSQL 1,600.)
inline constexpr size_t kMaxColumns = 4096;

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
