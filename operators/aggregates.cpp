#include "operators/aggregates.hpp"

#include <bit>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>

#include "operators/owned_value.hpp"
#include "operators/packed_bytes.hpp"
#include "operators/variance_accumulator.hpp"

namespace ananas::ops {

namespace {

const char* kind_name(AggregateKind k) {
  switch (k) {
    case AggregateKind::CountStar: return "COUNT(*)";
    case AggregateKind::Count: return "COUNT";
    case AggregateKind::Sum: return "SUM";
    case AggregateKind::Min: return "MIN";
    case AggregateKind::Max: return "MAX";
    case AggregateKind::Avg: return "AVG";
    case AggregateKind::ListAgg: return "LISTAGG";
    case AggregateKind::VarPop: return "VAR_POP";
    case AggregateKind::VarSamp: return "VAR_SAMP";
    case AggregateKind::StddevPop: return "STDDEV_POP";
    case AggregateKind::StddevSamp: return "STDDEV_SAMP";
  }
  return "?";
}

[[noreturn]] void reject(const AggregateCall& call, const std::string& why) {
  std::string who = call.name.empty() ? kind_name(call.kind) : std::string(kind_name(call.kind)) + " (" + call.name + ")";
  throw std::invalid_argument(who + ": " + why);
}

// Integer results wrap to the width of their SQL type, as Java int/short/byte arithmetic does.
int64_t wrap_to(TypeId id, uint64_t bits) {
  switch (id) {
    case TypeId::TinyInt: return static_cast<int8_t>(bits);
    case TypeId::SmallInt: return static_cast<int16_t>(bits);
    case TypeId::Int: return static_cast<int32_t>(bits);
    default: return static_cast<int64_t>(bits);
  }
}

Value decimal_value(__int128 unscaled, Arena& arena) {
  if (unscaled >= INT64_MIN && unscaled <= INT64_MAX) return Value::decimal(static_cast<int64_t>(unscaled));
  auto* p = arena.allocate_array<__int128>(1);
  *p = unscaled;
  return Value::big_decimal(p);
}

__int128 pow10(int n) {
  __int128 r = 1;
  while (n-- > 0) r *= 10;
  return r;
}

void save_i128(StateWriter& w, __int128 v) {
  auto u = static_cast<unsigned __int128>(v);
  w.u64(static_cast<uint64_t>(u));
  w.u64(static_cast<uint64_t>(u >> 64));
}

__int128 load_i128(StateReader& r) {
  uint64_t lo = r.u64(), hi = r.u64();
  return static_cast<__int128>((static_cast<unsigned __int128>(hi) << 64) | lo);
}

class CountAccumulator final : public Accumulator {
 public:
  explicit CountAccumulator(bool count_star) : count_star_(count_star) {}
  void accumulate(const Value* args) override { if (counts(args)) ++count_; }
  void retract(const Value* args) override { if (counts(args)) --count_; }
  void merge(const Accumulator& other) override { count_ += static_cast<const CountAccumulator&>(other).count_; }
  Value result(Arena&) const override { return Value::integer(count_); }
  void save(StateWriter& w) const override { w.i64(count_); }
  void load(StateReader& r) override { count_ = r.i64(); }
  size_t approx_bytes() const override { return sizeof(*this); }
  void pack(std::string& out) const override { put_zigzag(out, count_); }
  void unpack(std::string_view& in) override { count_ = get_zigzag(in); }

 private:
  bool counts(const Value* args) const { return count_star_ || !args[0].is_null(); }
  bool count_star_;
  int64_t count_ = 0;
};

// SUM and AVG share the running sum and the count of non-NULL inputs (the
// count decides NULL results and lets retraction return to "no value").
class SumAvgAccumulator final : public Accumulator {
 public:
  SumAvgAccumulator(bool average, Type arg_type) : average_(average), arg_(std::move(arg_type)) {}

  void accumulate(const Value* args) override { add(args[0], +1); }
  void retract(const Value* args) override { add(args[0], -1); }
  void merge(const Accumulator& other) override {
    const auto& o = static_cast<const SumAvgAccumulator&>(other);
    count_ += o.count_;
    int_sum_ += o.int_sum_;
    if (arg_.id == TypeId::Float && !average_)
      real_sum_ = static_cast<float>(real_sum_) + static_cast<float>(o.real_sum_);  // float arithmetic, as add()
    else
      real_sum_ += o.real_sum_;
    dec_sum_ += o.dec_sum_;
  }

  Value result(Arena& arena) const override {
    if (count_ == 0) return Value::null();
    if (arg_.is_integer()) {
      if (!average_) return Value::integer(wrap_to(arg_.id, static_cast<uint64_t>(int_sum_)));
      // Java long division truncates toward zero, as C++ does.
      return Value::integer(wrap_to(arg_.id, static_cast<uint64_t>(static_cast<int64_t>(int_sum_) / count_)));
    }
    if (arg_.id == TypeId::Float) {
      double r = average_ ? real_sum_ / static_cast<double>(count_) : real_sum_;
      return Value::real(static_cast<float>(r));
    }
    if (arg_.id == TypeId::Double) return Value::real(average_ ? real_sum_ / static_cast<double>(count_) : real_sum_);
    // DECIMAL
    if (!average_) return decimal_value(dec_sum_, arena);
    int result_scale = arg_.scale > 6 ? arg_.scale : 6;
    __int128 scaled = dec_sum_ * pow10(result_scale - arg_.scale);
    __int128 q = scaled / count_, rem = scaled % count_;
    // HALF_UP: round away from zero when the remainder is at least half.
    __int128 twice = (rem < 0 ? -rem : rem) * 2;
    if (twice >= count_) q += scaled < 0 ? -1 : 1;
    return decimal_value(q, arena);
  }

  void save(StateWriter& w) const override {
    w.i64(count_);
    w.u64(int_sum_);
    w.u64(std::bit_cast<uint64_t>(real_sum_));
    save_i128(w, dec_sum_);
  }
  void load(StateReader& r) override {
    count_ = r.i64();
    int_sum_ = r.u64();
    real_sum_ = std::bit_cast<double>(r.u64());
    dec_sum_ = load_i128(r);
  }
  size_t approx_bytes() const override { return sizeof(*this); }
  // Only the sum the argument's type uses; the others stay 0.
  void pack(std::string& out) const override {
    put_zigzag(out, count_);
    if (arg_.is_integer()) {
      put_zigzag(out, static_cast<int64_t>(int_sum_));
    } else if (arg_.is_approximate()) {
      put_varint(out, std::bit_cast<uint64_t>(real_sum_));
    } else {
      auto u = static_cast<unsigned __int128>(dec_sum_);
      put_varint(out, static_cast<uint64_t>(u));
      put_varint(out, static_cast<uint64_t>(u >> 64));
    }
  }
  void unpack(std::string_view& in) override {
    count_ = get_zigzag(in);
    int_sum_ = 0;
    real_sum_ = 0;
    dec_sum_ = 0;
    if (arg_.is_integer()) {
      int_sum_ = static_cast<uint64_t>(get_zigzag(in));
    } else if (arg_.is_approximate()) {
      real_sum_ = std::bit_cast<double>(get_varint(in));
    } else {
      uint64_t lo = get_varint(in), hi = get_varint(in);
      dec_sum_ = static_cast<__int128>((static_cast<unsigned __int128>(hi) << 64) | lo);
    }
  }

 private:
  void add(const Value& v, int sign) {
    if (v.is_null()) return;
    count_ += sign;
    if (arg_.is_integer()) {
      // Unsigned arithmetic: overflow wraps (as in Java) instead of being UB.
      uint64_t x = static_cast<uint64_t>(v.as_int());
      int_sum_ = sign > 0 ? int_sum_ + x : int_sum_ - x;
    } else if (arg_.id == TypeId::Float && !average_) {
      // Flink sums FLOAT in float arithmetic.
      float s = static_cast<float>(real_sum_);
      real_sum_ = sign > 0 ? s + static_cast<float>(v.as_double()) : s - static_cast<float>(v.as_double());
    } else if (arg_.is_approximate()) {
      real_sum_ += sign * v.as_double();
    } else {
      dec_sum_ += sign * v.unscaled();
    }
  }

  bool average_;
  Type arg_;
  int64_t count_ = 0;
  uint64_t int_sum_ = 0;
  double real_sum_ = 0;
  __int128 dec_sum_ = 0;
};

// Retractable MIN/MAX: a value → multiplicity map, as MinWithRetractAggFunction keeps.
class ExtremumAccumulator final : public Accumulator {
 public:
  explicit ExtremumAccumulator(bool max) : max_(max) {}
  void accumulate(const Value* args) override {
    if (!args[0].is_null()) ++counts_[OwnedValue::from(args[0])];
  }
  void retract(const Value* args) override {
    if (args[0].is_null()) return;
    auto it = counts_.find(OwnedValue::from(args[0]));
    if (it != counts_.end() && --it->second == 0) counts_.erase(it);
  }
  void merge(const Accumulator& other) override {
    for (const auto& [v, n] : static_cast<const ExtremumAccumulator&>(other).counts_) counts_[v] += n;
  }
  Value result(Arena& arena) const override {
    if (counts_.empty()) return Value::null();
    return max_ ? counts_.rbegin()->first.to_value(arena) : counts_.begin()->first.to_value(arena);
  }
  void save(StateWriter& w) const override {
    w.u64(counts_.size());
    for (const auto& [v, n] : counts_) {
      v.save(w);
      w.i64(n);
    }
  }
  void load(StateReader& r) override {
    counts_.clear();
    for (uint64_t i = 0, n = r.u64(); i < n; ++i) {
      OwnedValue v = OwnedValue::load(r);
      counts_[std::move(v)] = r.i64();
    }
  }
  size_t approx_bytes() const override {
    size_t b = sizeof(*this);
    for (const auto& [v, n] : counts_) b += v.approx_bytes() + 32;
    return b;
  }
  bool packs_cheaply() const override { return false; }

 private:
  bool max_;
  std::map<OwnedValue, int64_t> counts_;
};

// LISTAGG with retraction (ListAggWsWithRetractAggFunction): values in arrival
// order; a retraction removes the first equal value; the separator is the one
// given with the latest non-NULL value.
class ListAggAccumulator final : public Accumulator {
 public:
  void accumulate(const Value* args) override {
    if (args[0].is_null()) return;
    set_separator(args);
    values_.emplace_back(args[0].as_string());
  }
  void retract(const Value* args) override {
    if (args[0].is_null()) return;
    set_separator(args);
    for (auto it = values_.begin(); it != values_.end(); ++it)
      if (*it == args[0].as_string()) {
        values_.erase(it);
        return;
      }
  }
  // The other's values follow; its separator is the later one when it saw a value.
  void merge(const Accumulator& other) override {
    const auto& o = static_cast<const ListAggAccumulator&>(other);
    if (o.values_.empty()) return;
    values_.insert(values_.end(), o.values_.begin(), o.values_.end());
    separator_ = o.separator_;
  }
  Value result(Arena& arena) const override {
    if (values_.empty() || !separator_) return Value::null();
    size_t n = 0;
    for (const auto& v : values_) n += v.size() + separator_->size();
    std::string joined;
    joined.reserve(n);
    for (size_t i = 0; i < values_.size(); ++i) {
      if (i) joined += *separator_;
      joined += values_[i];
    }
    return Value::string(arena.copy(joined));
  }
  void save(StateWriter& w) const override {
    w.u8(separator_ ? 1 : 0);
    if (separator_) w.bytes(*separator_);
    w.u64(values_.size());
    for (const auto& v : values_) w.bytes(v);
  }
  void load(StateReader& r) override {
    separator_.reset();
    if (r.u8()) separator_ = std::string(r.bytes());
    values_.clear();
    for (uint64_t i = 0, n = r.u64(); i < n; ++i) values_.emplace_back(r.bytes());
  }
  size_t approx_bytes() const override {
    size_t b = sizeof(*this);
    for (const auto& v : values_) b += sizeof(std::string) + v.capacity();
    return b;
  }
  // Separator: 0 NULL, 1 the default ",", 2 its bytes follow; then the values.
  void pack(std::string& out) const override {
    if (!separator_) {
      out.push_back(0);
    } else if (*separator_ == ",") {
      out.push_back(1);
    } else {
      out.push_back(2);
      put_packed_bytes(out, *separator_);
    }
    put_varint(out, values_.size());
    for (const auto& v : values_) put_packed_bytes(out, v);
  }
  void unpack(std::string_view& in) override {
    if (in.empty()) throw CorruptState("corrupt packed state: LISTAGG separator missing");
    const char which = in.front();
    in.remove_prefix(1);
    if (which == 0) separator_.reset();
    else if (which == 1) separator_ = ",";
    else separator_ = get_packed_bytes(in);
    values_.clear();
    for (uint64_t i = 0, n = get_varint(in); i < n; ++i) values_.emplace_back(get_packed_bytes(in));
  }
  // The separator argument is optional: the accumulator is told how many args it gets.
  explicit ListAggAccumulator(bool has_separator) : has_separator_(has_separator) {}

 private:
  void set_separator(const Value* args) {
    if (!has_separator_) return;
    if (args[1].is_null()) separator_.reset();
    else separator_ = std::string(args[1].as_string());
  }
  bool has_separator_;
  std::optional<std::string> separator_ = std::string(",");
  std::vector<std::string> values_;
};

// DISTINCT: the inner accumulator sees each distinct argument tuple once, and
// its retraction only when the last copy is retracted.
class DistinctAccumulator final : public Accumulator {
 public:
  DistinctAccumulator(AccumulatorPtr inner, size_t arity) : inner_(std::move(inner)), arity_(arity) {}
  void accumulate(const Value* args) override {
    if (++seen_[key(args)] == 1) inner_->accumulate(args);
  }
  void retract(const Value* args) override {
    auto it = seen_.find(key(args));
    if (it == seen_.end()) return;
    if (--it->second == 0) {
      seen_.erase(it);
      inner_->retract(args);
    }
  }
  // Values new to this accumulator reach the inner one once, decoded from their key.
  void merge(const Accumulator& other) override {
    Arena arena;
    std::vector<Value> args(arity_);
    for (const auto& [k, n] : static_cast<const DistinctAccumulator&>(other).seen_) {
      auto [it, fresh] = seen_.try_emplace(k, 0);
      it->second += n;
      if (!fresh) continue;
      std::string_view in = k;
      for (size_t i = 0; i < arity_; ++i) args[i] = decode_value(in, arena);
      inner_->accumulate(args.data());
    }
  }
  Value result(Arena& arena) const override { return inner_->result(arena); }
  void save(StateWriter& w) const override {
    w.u64(seen_.size());
    for (const auto& [k, n] : seen_) {
      w.bytes(k);
      w.i64(n);
    }
    inner_->save(w);
  }
  void load(StateReader& r) override {
    seen_.clear();
    for (uint64_t i = 0, n = r.u64(); i < n; ++i) {
      std::string k(r.bytes());
      seen_[std::move(k)] = r.i64();
    }
    inner_->load(r);
  }
  size_t approx_bytes() const override {
    size_t b = sizeof(*this) + inner_->approx_bytes();
    for (const auto& [k, n] : seen_) b += k.capacity() + 48;
    return b;
  }
  bool packs_cheaply() const override { return false; }

 private:
  std::string key(const Value* args) const {
    std::string k;
    encode_values(args, arity_, k);
    return k;
  }
  AccumulatorPtr inner_;
  size_t arity_;
  std::map<std::string, int64_t> seen_;
};

bool orderable(const Type& t) {
  return t.is_numeric() || t.is_character() || t.id == TypeId::Boolean || t.id == TypeId::Binary ||
         t.id == TypeId::Date || t.id == TypeId::Time || t.is_timestamp() || t.is_interval();
}

}  // namespace

void Accumulator::pack(std::string& out) const {
  StateWriter w;
  save(w);
  put_packed_bytes(out, w.data());
}

void Accumulator::unpack(std::string_view& in) {
  StateReader r(get_packed_bytes(in));
  load(r);
}

Type aggregate_result_type(const AggregateCall& call) {
  size_t n = call.args.size();
  for (const auto& a : call.args)
    if (!a) reject(call, "missing argument expression");
  if (call.filter && call.filter->type().id != TypeId::Boolean && call.filter->type().id != TypeId::Null)
    reject(call, "FILTER condition must be BOOLEAN, got " + call.filter->type().to_string());
  switch (call.kind) {
    case AggregateKind::CountStar:
      if (n != 0) reject(call, "COUNT(*) takes no argument");
      if (call.distinct) reject(call, "COUNT(DISTINCT *) is not valid SQL");
      return Type::bigint().with_nullable(false);
    case AggregateKind::Count:
      if (n != 1) reject(call, "expects exactly one argument");
      return Type::bigint().with_nullable(false);
    case AggregateKind::Sum:
    case AggregateKind::Avg: {
      if (n != 1) reject(call, "expects exactly one argument");
      const Type& t = call.args[0]->type();
      if (!t.is_numeric()) reject(call, "expects a numeric argument, got " + t.to_string());
      if (t.id == TypeId::Decimal) {
        int scale = call.kind == AggregateKind::Avg && t.scale < 6 ? 6 : t.scale;
        return Type::decimal(38, scale);
      }
      return t.with_nullable(true).with_time_attr(TimeAttr::None);
    }
    case AggregateKind::Min:
    case AggregateKind::Max: {
      if (n != 1) reject(call, "expects exactly one argument");
      const Type& t = call.args[0]->type();
      if (!orderable(t)) reject(call, "cannot order values of type " + t.to_string());
      return t.with_nullable(true).with_time_attr(TimeAttr::None);
    }
    case AggregateKind::VarPop:
    case AggregateKind::VarSamp:
    case AggregateKind::StddevPop:
    case AggregateKind::StddevSamp: {
      if (n != 1) reject(call, "expects exactly one argument");
      const Type& t = call.args[0]->type();
      if (!t.is_numeric()) reject(call, "expects a numeric argument, got " + t.to_string());
      // Flink types it DECIMAL(38, max(6, s)) and computes it in DECIMAL arithmetic, which Ananas does not reproduce yet.
      if (t.id == TypeId::Decimal) reject(call, "is not supported over DECIMAL yet; CAST the argument to DOUBLE");
      return t.with_nullable(true).with_time_attr(TimeAttr::None);
    }
    case AggregateKind::ListAgg:
      if (n != 1 && n != 2) reject(call, "expects a value and an optional separator");
      for (const auto& a : call.args)
        if (!a->type().is_character() && a->type().id != TypeId::Null)
          reject(call, "expects character arguments, got " + a->type().to_string());
      return Type::string();
  }
  reject(call, "unknown aggregate");
}

AccumulatorPtr make_accumulator(const AggregateCall& call) {
  AccumulatorPtr acc;
  switch (call.kind) {
    case AggregateKind::CountStar: acc = std::make_unique<CountAccumulator>(true); break;
    case AggregateKind::Count: acc = std::make_unique<CountAccumulator>(false); break;
    case AggregateKind::Sum: acc = std::make_unique<SumAvgAccumulator>(false, call.args.at(0)->type()); break;
    case AggregateKind::Avg: acc = std::make_unique<SumAvgAccumulator>(true, call.args.at(0)->type()); break;
    case AggregateKind::Min: acc = std::make_unique<ExtremumAccumulator>(false); break;
    case AggregateKind::Max: acc = std::make_unique<ExtremumAccumulator>(true); break;
    case AggregateKind::ListAgg: acc = std::make_unique<ListAggAccumulator>(call.args.size() == 2); break;
    case AggregateKind::VarPop: acc = make_variance_accumulator(false, false, call.args.at(0)->type()); break;
    case AggregateKind::VarSamp: acc = make_variance_accumulator(true, false, call.args.at(0)->type()); break;
    case AggregateKind::StddevPop: acc = make_variance_accumulator(false, true, call.args.at(0)->type()); break;
    case AggregateKind::StddevSamp: acc = make_variance_accumulator(true, true, call.args.at(0)->type()); break;
  }
  if (call.distinct) acc = std::make_unique<DistinctAccumulator>(std::move(acc), call.args.size());
  return acc;
}

}  // namespace ananas::ops
