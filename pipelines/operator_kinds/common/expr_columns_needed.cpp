#include "pipelines/operator_kinds/common/expr_columns_needed.hpp"

#include "core/sql/expr_columns.hpp"
#include "core/sql/expr_parser.hpp"

namespace ananas::pipeline {

bool mark_columns_read(const Schema& input, const Expr& e, std::vector<bool>& needed) {
  try {
    auto names = sql::columns_read(*sql::parse_expression(e.text));
    if (!names) return false;
    for (const std::string& name : *names) {
      auto i = input.find(name);
      if (!i || *i >= needed.size()) return false;  // not a plain column: be safe
      needed[*i] = true;
    }
    return true;
  } catch (const std::exception&) {  // bind() reports it; here: assume any column
    return false;
  }
}

}  // namespace ananas::pipeline
