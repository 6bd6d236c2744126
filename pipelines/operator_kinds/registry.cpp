#include "pipelines/operator_kinds/registry.hpp"

#include <utility>

namespace ananas::pipeline {

namespace {

// The table is read off the variant, so position i holds alternative i's kind.
template <size_t... I>
std::vector<const OperatorKind*> kinds_of_alternatives(std::index_sequence<I...>) {
  return {&std::variant_alternative_t<I, OperatorBody>::kind()...};
}

}  // namespace

const std::vector<const OperatorKind*>& operator_kinds() {
  static const auto kinds = kinds_of_alternatives(std::make_index_sequence<std::variant_size_v<OperatorBody>>{});
  return kinds;
}

const OperatorKind& kind_of(const OperatorBody& body) {
  return std::visit([](const auto& model) -> const OperatorKind& { return std::decay_t<decltype(model)>::kind(); },
                    body);
}

const OperatorKind* find_operator_kind(std::string_view name) {
  for (const OperatorKind* kind : operator_kinds())
    if (kind->name() == name) return kind;
  return nullptr;
}

// The spellings of OperatorType (pipelines/model.hpp) are the kinds' names.

std::string_view to_string(OperatorType t) {
  const auto index = static_cast<size_t>(t);
  return index < operator_kinds().size() ? operator_kinds()[index]->name() : "?";
}

std::optional<OperatorType> operator_type_from_string(std::string_view s) {
  const auto& kinds = operator_kinds();
  for (size_t i = 0; i < kinds.size(); ++i)
    if (kinds[i]->name() == s) return static_cast<OperatorType>(i);
  return std::nullopt;
}

const std::vector<std::string>& operator_type_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const OperatorKind* kind : operator_kinds()) out.emplace_back(kind->name());
    return out;
  }();
  return names;
}

}  // namespace ananas::pipeline
