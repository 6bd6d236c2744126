#include "operators/variance_accumulator.hpp"

#include <bit>
#include <cmath>

#include "core/expr/type_rules.hpp"

namespace ananas::ops {

namespace {

using expr::detail::double_to_integer;
using expr::detail::wrap_to;

// Java's int/long multiplication and subtraction: wrap, never overflow (UB in C++).
int64_t times(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b)); }
int64_t minus(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b)); }
int64_t plus(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b)); }

// POWER(v, 0.5): fdlibm's pow, which Java's Math.pow follows, answers sqrt(v)
// for v >= 0 and NaN below (glibc's pow may differ from sqrt in the last bit).
double half_power(double v) { return v < 0 ? std::nan("") : std::sqrt(v); }

class VarianceAccumulator final : public Accumulator {
 public:
  VarianceAccumulator(bool sample, bool root, Type arg) : sample_(sample), root_(root), arg_(std::move(arg)) {}

  void accumulate(const Value* args) override { add(args[0], +1); }
  void retract(const Value* args) override { add(args[0], -1); }
  void merge(const Accumulator& other) override {
    const auto& o = static_cast<const VarianceAccumulator&>(other);
    count_ += o.count_;
    int_sum_ = plus(int_sum_, o.int_sum_);
    int_sum_sq_ = plus(int_sum_sq_, o.int_sum_sq_);
    if (arg_.id == TypeId::Float) {  // float sums stay float, as add()
      real_sum_ = static_cast<float>(real_sum_) + static_cast<float>(o.real_sum_);
      real_sum_sq_ = static_cast<float>(real_sum_sq_) + static_cast<float>(o.real_sum_sq_);
    } else {
      real_sum_ += o.real_sum_;
      real_sum_sq_ += o.real_sum_sq_;
    }
  }

  Value result(Arena&) const override {
    // COUNT(x) = 0: the SUMs are NULL, so is everything computed from them;
    // *_SAMP of one value divides by CASE ... WHEN 1 THEN NULL.
    if (count_ == 0 || (sample_ && count_ == 1)) return Value::null();
    const int64_t denominator = sample_ ? count_ - 1 : count_;
    if (arg_.is_integer()) {
      // SUM(x*x), SUM(x) and SUM(x)*SUM(x) have the argument's type; the divisions by
      // COUNT (BIGINT) are long divisions.
      const int64_t sum = wrap_to(arg_.id, int_sum_), sum_of_squares = wrap_to(arg_.id, int_sum_sq_);
      const int64_t squared_sum = wrap_to(arg_.id, times(sum, sum));
      const int64_t variance = minus(sum_of_squares, squared_sum / count_) / denominator;
      if (!root_) return Value::integer(wrap_to(arg_.id, variance));
      return Value::integer(double_to_integer(half_power(static_cast<double>(variance)), arg_.id));
    }
    if (arg_.id == TypeId::Float) {
      const float sum = static_cast<float>(real_sum_), sum_of_squares = static_cast<float>(real_sum_sq_);
      const float variance = (sum_of_squares - sum * sum / static_cast<float>(count_)) / static_cast<float>(denominator);
      return Value::real(static_cast<float>(root_ ? half_power(variance) : variance));
    }
    const double variance = (real_sum_sq_ - real_sum_ * real_sum_ / static_cast<double>(count_)) / static_cast<double>(denominator);
    return Value::real(root_ ? half_power(variance) : variance);
  }

  void save(StateWriter& w) const override {
    w.i64(count_);
    w.i64(int_sum_);
    w.i64(int_sum_sq_);
    w.u64(std::bit_cast<uint64_t>(real_sum_));
    w.u64(std::bit_cast<uint64_t>(real_sum_sq_));
  }
  void load(StateReader& r) override {
    count_ = r.i64();
    int_sum_ = r.i64();
    int_sum_sq_ = r.i64();
    real_sum_ = std::bit_cast<double>(r.u64());
    real_sum_sq_ = std::bit_cast<double>(r.u64());
  }
  size_t approx_bytes() const override { return sizeof(*this); }

 private:
  void add(const Value& v, int sign) {
    if (v.is_null()) return;  // COUNT(x) and SUM(x) skip NULLs
    count_ += sign;
    if (arg_.is_integer()) {
      const int64_t x = v.as_int();
      const int64_t square = wrap_to(arg_.id, times(x, x));  // x * x in the argument's type
      int_sum_ = sign > 0 ? plus(int_sum_, x) : minus(int_sum_, x);
      int_sum_sq_ = sign > 0 ? plus(int_sum_sq_, square) : minus(int_sum_sq_, square);
    } else if (arg_.id == TypeId::Float) {
      // FLOAT sums (and the square) stay in float arithmetic, as Flink's float SUM does.
      const float x = static_cast<float>(v.as_double());
      const float sum = static_cast<float>(real_sum_), sum_sq = static_cast<float>(real_sum_sq_);
      real_sum_ = sign > 0 ? sum + x : sum - x;
      real_sum_sq_ = sign > 0 ? sum_sq + x * x : sum_sq - x * x;
    } else {
      const double x = v.as_double();
      real_sum_ = sign > 0 ? real_sum_ + x : real_sum_ - x;
      real_sum_sq_ = sign > 0 ? real_sum_sq_ + x * x : real_sum_sq_ - x * x;
    }
  }

  bool sample_, root_;
  Type arg_;
  int64_t count_ = 0;
  int64_t int_sum_ = 0, int_sum_sq_ = 0;  // wrapped to the argument's width when read
  double real_sum_ = 0, real_sum_sq_ = 0;
};

}  // namespace

AccumulatorPtr make_variance_accumulator(bool sample, bool root, const Type& arg) {
  return std::make_unique<VarianceAccumulator>(sample, root, arg);
}

}  // namespace ananas::ops
