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
      // `a.b` binds to a column named "a.b" when there is one (the longest
      // prefix that names a column wins, core/expr/binder.cpp): mark those too.
      for (size_t c = 0; c < input.size() && c < needed.size(); ++c)
        if (input[c].name.size() > name.size() && input[c].name.compare(0, name.size(), name) == 0 &&
            input[c].name[name.size()] == '.')
          needed[c] = true;
    }
    return true;
  } catch (const std::exception&) {  // bind() reports it; here: assume any column
    return false;
  }
}

}  // namespace ananas::pipeline
