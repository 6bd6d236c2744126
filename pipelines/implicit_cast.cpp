#include "pipelines/implicit_cast.hpp"

namespace ananas::pipeline {

int numeric_rank(TypeId id) {
  switch (id) {
    case TypeId::TinyInt: return 1;
    case TypeId::SmallInt: return 2;
    case TypeId::Int: return 3;
    case TypeId::BigInt: return 4;
    case TypeId::Decimal: return 5;
    case TypeId::Float: return 6;
    case TypeId::Double: return 7;
    default: return 0;
  }
}

bool insert_implicitly_castable(const Type& from, const Type& to) {
  if (from.id == TypeId::Null) return true;
  if (from.is_numeric() && to.is_numeric()) return numeric_rank(from.id) <= numeric_rank(to.id);
  if (from.is_character() && to.id == TypeId::Varchar) return true;
  if (from.is_timestamp() && to.is_timestamp()) return true;
  if (from.id != to.id) return false;
  if (from.children.size() != to.children.size()) return false;
  for (size_t i = 0; i < from.children.size(); ++i)
    if (!insert_implicitly_castable(from.children[i], to.children[i])) return false;
  return true;
}

}  // namespace ananas::pipeline
