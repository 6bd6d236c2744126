#pragma once
// Flink's implicit casts for INSERT (LogicalTypeCasts.supportsImplicitCast, as
// DynamicSinkUtils.validateSchemaAndApplyImplicitCast applies them): what a
// query column may be written into a sink column as without an explicit CAST.
// Shared by the SQL planner (which checks the types it knows) and the graph
// builder (which checks them all and converts the values).
#include "core/types.hpp"

namespace ananas::pipeline {

// TINYINT < SMALLINT < INT < BIGINT < DECIMAL < FLOAT < DOUBLE; 0 for non-numbers.
int numeric_rank(TypeId id);

// Widening only: a number into a number of equal or higher rank, CHAR into
// VARCHAR, a TIMESTAMP into a TIMESTAMP of any precision, nested types field by
// field. Nullability is not a type difference here (Flink checks NOT NULL per
// row). An unknown type (NULL: not known before binding) passes.
bool insert_implicitly_castable(const Type& from, const Type& to);

}  // namespace ananas::pipeline
