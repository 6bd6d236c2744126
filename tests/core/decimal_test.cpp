// DECIMAL result types, HALF_UP arithmetic, overflow to NULL, text (Flink: LogicalTypeMerging, DecimalData).
#include <catch2/catch.hpp>

#include "core/decimal.hpp"

using namespace ananas;

namespace {
__int128 p10(int n) { return pow10_i128(n); }
}  // namespace

TEST_CASE("decimal result types follow Flink's LogicalTypeMerging") {
  CHECK(decimal_add_type(Type::decimal(10, 2), Type::decimal(5, 3)) == Type::decimal(12, 3));
  CHECK(decimal_multiply_type(Type::decimal(19, 0), Type::decimal(4, 1)) == Type::decimal(24, 1));
  // Flink: LogicalTypeMerging.findDivisionDecimalType: DECIMAL(24,1) / BIGINT -> raw (44, 21) -> capped to (38, 15).
  CHECK(decimal_divide_type(Type::decimal(24, 1), decimal_type_of(Type::bigint())) == Type::decimal(38, 15));
  CHECK(decimal_divide_type(Type::decimal(10, 0), Type::decimal(10, 0)) == Type::decimal(21, 11));
  CHECK(decimal_modulo_type(Type::decimal(10, 2), Type::decimal(5, 0)) == Type::decimal(7, 2));
  CHECK(decimal_adjusted(50, 4) == Type::decimal(38, 4));
  CHECK(decimal_adjusted(60, 30) == Type::decimal(38, 8));
  CHECK(decimal_type_of(Type::tinyint()) == Type::decimal(3, 0));
  CHECK(decimal_type_of(Type::smallint()) == Type::decimal(5, 0));
  CHECK(decimal_type_of(Type::integer()) == Type::decimal(10, 0));
  CHECK(decimal_type_of(Type::bigint().with_nullable(false)) == Type::decimal(19, 0).with_nullable(false));
  CHECK(decimal_add_type(Type::decimal(5, 0).with_nullable(false), Type::decimal(5, 0).with_nullable(false)).nullable == false);
}

TEST_CASE("decimal literal types count every written digit (Calcite)") {
  CHECK(decimal_literal_type("100.0") == Type::decimal(4, 1).with_nullable(false));
  CHECK(decimal_literal_type(".5") == Type::decimal(1, 1).with_nullable(false));
  CHECK(decimal_literal_type("0.5") == Type::decimal(2, 1).with_nullable(false));
  CHECK(decimal_literal_type("5.") == Type::decimal(1, 0).with_nullable(false));
}

TEST_CASE("decimal division rounds HALF_UP to the result scale") {
  CHECK(decimal_divide(1, 0, 3, 0, 38, 6) == __int128{333333});
  CHECK(decimal_divide(2, 0, 3, 0, 38, 6) == __int128{666667});
  CHECK(decimal_divide(-2, 0, 3, 0, 38, 6) == __int128{-666667});
  CHECK(decimal_divide(1, 0, 2, 0, 38, 0) == __int128{1});    // 0.5 -> 1
  CHECK(decimal_divide(-1, 0, 2, 0, 38, 0) == __int128{-1});  // -0.5 -> -1 (away from zero)
  CHECK(decimal_divide(1, 0, 4, 0, 38, 0) == __int128{0});    // 0.25 -> 0
}

TEST_CASE("decimal division reproduces Flink's MathContext(38, HALF_UP) double rounding") {
  // 0.99999999999999999999999999999999999999 / 2 = 0.4999...9995 (37 nines, then 5):
  // rounded to 38 significant digits it is 0.5, which then rounds HALF_UP to 1.
  CHECK(decimal_divide(p10(38) - 1, 38, 2, 0, 38, 0) == __int128{1});
  CHECK(decimal_divide(-(p10(38) - 1), 38, 2, 0, 38, 0) == __int128{-1});
  // ...9985: the 38-digit rounding does not carry into the guard digit.
  CHECK(decimal_divide(p10(38) - 3, 38, 2, 0, 38, 0) == __int128{0});
  CHECK(decimal_divide(p10(38) - 1, 38, 2, 0, 38, 1) == __int128{5});
}

TEST_CASE("the trend predicate's quotient is exact at scale 15") {
  // (up - down) * 100.0 = DECIMAL(24,1); / up (BIGINT) at DECIMAL(38,15).
  auto pct = [](int64_t up, int64_t down) {
    auto times = decimal_multiply(up - down, 0, 1000, 1, 24, 1);
    REQUIRE(times);
    return decimal_divide(*times, 1, up, 0, 38, 15);
  };
  auto a = pct(10, 7);
  REQUIRE(a);
  CHECK(decimal_compare(*a, 15, 30, 0) == 0);  // exactly 30: not > 30
  CHECK(decimal_to_plain_string(*a, 15) == "30.000000000000000");
  auto b = pct(9, 6);
  REQUIRE(b);
  CHECK(*b == __int128{33333333333333333});
  CHECK(decimal_compare(*b, 15, 30, 0) > 0);
}

TEST_CASE("decimal results that do not fit the precision are NULL") {
  CHECK_FALSE(decimal_multiply(p10(20), 0, p10(20), 0, 38, 0));  // 10^40
  CHECK_FALSE(decimal_add(99999, 0, 1, 0, 5, 0));
  CHECK(decimal_add(99998, 0, 1, 0, 5, 0) == __int128{99999});
  CHECK_FALSE(decimal_rescale(12345, 0, 5, 2));
  CHECK(decimal_rescale(12345, 3, 5, 2) == __int128{1235});  // 12.345 -> 12.35
}

TEST_CASE("decimal operands beyond 128 bits take the exact wide path") {
  // 10^30 + 5·10^-38 at scale 6: the common scale 38 needs 10^68.
  CHECK(decimal_add(p10(30), 0, 5, 38, 38, 6) == p10(36));
  // 10^37 / 10^20 at scale 6: the scaled dividend is 10^43.
  CHECK(decimal_divide(p10(37), 0, p10(20), 0, 38, 6) == p10(23));
  CHECK(decimal_compare(p10(37), 0, 1, 38) > 0);
  CHECK(decimal_compare(-p10(37), 0, 1, 38) < 0);
  // 10^20 · 10^19 (both scale 2) = 10^39 at scale 4 overflows 128 bits; at scale 2 it is 10^37.
  CHECK(decimal_multiply(p10(20), 2, p10(19), 2, 38, 2) == p10(37));
  CHECK(decimal_modulo(p10(37) + 7, 0, 10, 0, 38, 0) == __int128{7});
  CHECK(decimal_modulo(-17, 0, 5, 0, 38, 0) == __int128{-2});  // sign of the dividend
}

TEST_CASE("decimal parsing rounds HALF_UP and tells malformed from overflow") {
  auto ok = [](std::string_view s, int p, int sc) {
    DecimalParse r = parse_decimal(s, p, sc);
    REQUIRE(r.status == DecimalParse::Status::Ok);
    return r.unscaled;
  };
  CHECK(ok("12.345", 5, 2) == 1235);
  CHECK(ok("-0.005", 3, 2) == -1);
  CHECK(ok("1e2", 5, 0) == 100);
  CHECK(ok("  7 ", 3, 1) == 70);
  CHECK(ok("+.5", 2, 1) == 5);
  CHECK(ok("0.0000", 1, 0) == 0);
  CHECK(parse_decimal("abc", 5, 0).status == DecimalParse::Status::Malformed);
  CHECK(parse_decimal("1.2.3", 5, 0).status == DecimalParse::Status::Malformed);
  CHECK(parse_decimal("", 5, 0).status == DecimalParse::Status::Malformed);
  CHECK(parse_decimal("1e", 5, 0).status == DecimalParse::Status::Malformed);
  CHECK(parse_decimal("12345", 4, 0).status == DecimalParse::Status::Overflow);
  CHECK(parse_decimal("999.96", 4, 1).status == DecimalParse::Status::Overflow);  // rounds to 1000.0
}

TEST_CASE("decimal text is Java's BigDecimal text") {
  CHECK(decimal_to_plain_string(1250, 2) == "12.50");
  CHECK(decimal_to_plain_string(-5, 1) == "-0.5");
  CHECK(decimal_to_plain_string(1, 7) == "0.0000001");
  CHECK(decimal_to_string(1, 7) == "1E-7");
  CHECK(decimal_to_plain_string(-p10(37), 0) == "-10000000000000000000000000000000000000");
}

TEST_CASE("decimal conversions to and from double and integers") {
  CHECK(decimal_to_double(1, 1) == 0.1);
  CHECK(decimal_to_double(123456789012345678, 2, 18) == 123456789012345678.0 / 100.0);  // compact: long / 10^s
  CHECK(decimal_to_double(p10(30) + 1, 10) == 1e20);
  CHECK(decimal_from_double(0.1, 10, 5) == __int128{10000});
  CHECK(decimal_from_double(2.675, 10, 2) == __int128{268});  // BigDecimal.valueOf("2.675") HALF_UP
  CHECK_FALSE(decimal_from_double(1e300, 38, 0));
  CHECK(decimal_truncate_to_integer(-129, 1) == -12);
  CHECK(decimal_round(12345, 2, 1) == __int128{12350});
  CHECK(decimal_round(12345, 2, -1) == __int128{12000});  // 123.45 -> 120.00
  Arena arena;
  CHECK(decimal_value(42, arena).kind == ValueKind::Decimal);
  Value big = decimal_value(p10(30), arena);
  CHECK(big.kind == ValueKind::BigDecimal);
  CHECK(big.unscaled() == p10(30));
}
