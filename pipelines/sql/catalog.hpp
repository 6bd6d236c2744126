#pragma once
// The tables a SQL script declares (CREATE TABLE) and their translation into
// pipeline sources and sinks. This is also where the tutorial's leniencies are
// applied — each one deliberately, with a warning that says what was assumed.
#include <map>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/sql/ast.hpp"
#include "pipelines/model.hpp"
#include "pipelines/sql/relation.hpp"

namespace ananas::pipeline::planner {

class Catalog {
 public:
  // Registers a table; a second table with the same name is an error (Flink:
  // "Table ... already exists") unless IF NOT EXISTS was written.
  void add(const sql::CreateTable& table, Warnings& warnings);
  // The table a (possibly qualified) name refers to: the last part is the
  // table name. Throws "table 'x' not found (did you mean 'y'?)".
  const sql::CreateTable& get(const std::vector<std::string>& name, const SourceLocation& loc) const;
  bool contains(const std::string& name) const { return tables_.count(name) > 0; }

 private:
  std::map<std::string, const sql::CreateTable*> tables_;
};

// The value of a WITH option, if set.
const sql::TableOption* find_option(const sql::CreateTable& t, const std::string& key);

Source table_to_source(const sql::CreateTable& t);
Sink table_to_sink(const sql::CreateTable& t);

// The relation a source table produces: every column (physical, metadata,
// computed), the watermark column marked as rowtime, qualifier = table name.
Relation source_relation(const sql::CreateTable& t);

// The columns an INSERT writes: the physical ones, in order.
std::vector<const sql::ColumnDef*> physical_columns(const sql::CreateTable& t);

// The table name used for nodes and messages (the last part of the name).
std::string table_name(const sql::CreateTable& t);

}  // namespace ananas::pipeline::planner
