#pragma once
// The seed pipelines' source table and the operator chain they share:
// UNNEST(pizzas) → UNNEST(additionalToppings) AS c(topping) → WHERE topping IN (...).
#include <memory>

#include "operators/calc.hpp"
#include "operators/unnest.hpp"
#include "operator_test_helpers.hpp"

namespace optest {

inline Schema pizza_schema() {
  Type pizza = Type::row({"pizzaName", "additionalToppings"}, {Type::string(), Type::array(Type::string())});
  return Schema{{{"id", Type::integer()},
                 {"name", Type::string()},
                 {"pizzas", Type::array(pizza)},
                 {"orderTimestamp", Type::timestamp(3).with_time_attr(TimeAttr::Rowtime)}}};
}

inline const std::vector<std::string>& bad_toppings() {
  static const std::vector<std::string> v{"🍍 pineapple", "🍓 strawberry", "🍌 banana"};
  return v;
}

// An order row: pizzas given as (name, toppings or NULL).
inline Row order(int64_t id, std::string name, std::vector<Cell> pizzas, int64_t at) {
  return Row({i(id), s(std::move(name)), arr(std::move(pizzas)), i(at)});
}
inline Cell pizza(std::string name, std::vector<std::string> toppings) {
  std::vector<Cell> t;
  for (auto& x : toppings) t.push_back(s(x));
  return row({s(std::move(name)), arr(std::move(t))});
}

// The three stateless stages of every seed: unnest, unnest, filter.
struct ToppingChain {
  ops::UnnestOperator pizzas;
  ops::UnnestOperator toppings;
  ops::CalcOperator filter;

  ToppingChain()
      : pizzas(ops::UnnestConfig{pizza_schema(), col(pizza_schema(), "pizzas"), {}, false, {}}),
        toppings(ops::UnnestConfig{pizzas.output_schema(), col(pizzas.output_schema(), "additionalToppings"),
                                   {"topping"}, false, {}}),
        filter(ops::CalcConfig{toppings.output_schema(), in_list(toppings.output_schema(), "topping", bad_toppings()),
                               std::nullopt, {}, {}}) {}

  const Schema& output_schema() const { return filter.output_schema(); }

  std::vector<BatchPtr> run(const BatchPtr& input) {
    std::vector<BatchPtr> a, b, c;
    pizzas.process(input, a);
    for (auto& x : a) toppings.process(x, b);
    for (auto& x : b) filter.process(x, c);
    return c;
  }
};

}  // namespace optest
