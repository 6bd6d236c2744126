#pragma once
// A value with a name in its type: `named_type<uint32_t, struct node_tag>`
// and `named_type<uint32_t, struct instance_tag>` hold the same integer but
// are different types, so passing one where the other is expected does not
// compile (the idea of Redpanda's `named_type`). Construction is explicit;
// the value is read with `value()`. No arithmetic: an id is not a number.
#include <compare>
#include <cstddef>
#include <functional>
#include <ostream>
#include <type_traits>
#include <utility>

namespace ananas {

template <class T, class Tag>
class named_type {
 public:
  using type = T;

  constexpr named_type() = default;
  constexpr explicit named_type(T v) noexcept(std::is_nothrow_move_constructible_v<T>) : value_(std::move(v)) {}

  constexpr const T& value() const noexcept { return value_; }
  constexpr T& value() noexcept { return value_; }

  friend constexpr bool operator==(const named_type&, const named_type&) = default;
  friend constexpr auto operator<=>(const named_type&, const named_type&) = default;

  friend std::ostream& operator<<(std::ostream& os, const named_type& x) { return os << x.value_; }

  // Serialization hook for inspector-based frameworks (the actor runtime's
  // messages): an id is inspected as its underlying value.
  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, named_type& x) {
    return f(x.value_);
  }

 private:
  T value_{};
};

}  // namespace ananas

template <class T, class Tag>
struct std::hash<ananas::named_type<T, Tag>> {
  size_t operator()(const ananas::named_type<T, Tag>& x) const noexcept { return std::hash<T>{}(x.value()); }
};
