#pragma once
// The input columns an expression reads, for carrying only those across a
// keyed exchange (actors/drivers/exchange_split.hpp). Conservative: an
// expression with anything this walker does not know (an OVER window, `*`)
// answers nullopt, which callers read as "every column".
#include <optional>
#include <set>
#include <string>

#include "core/sql/ast.hpp"

namespace ananas::sql {

// The first name of every identifier in `e` (`a.b` reads column `a`), or
// nullopt when `e` may read columns this cannot name.
std::optional<std::set<std::string>> columns_read(const Expr& e);

}  // namespace ananas::sql
