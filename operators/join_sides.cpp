#include "operators/join_sides.hpp"

namespace ananas::ops {

std::string_view join_type_name(JoinType t) {
  switch (t) {
    case JoinType::Inner: return "inner";
    case JoinType::Left: return "left";
    case JoinType::Right: return "right";
    case JoinType::Full: return "full";
    case JoinType::Semi: return "semi";
    case JoinType::Anti: return "anti";
  }
  return "?";
}

std::string describe_sides(const std::string& head, const JoinSides& sides) {
  std::string d = head + "\nleft";
  for (const auto& c : sides.left.columns) d += ' ' + c.type.to_string();
  d += "\nright";
  for (const auto& c : sides.right.columns) d += ' ' + c.type.to_string();
  d += "\nkeys";
  for (size_t i = 0; i < sides.left_keys.size(); ++i)
    d += ' ' + std::to_string(sides.left_keys[i]) + '=' + std::to_string(sides.right_keys[i]);
  return d;
}

}  // namespace ananas::ops
