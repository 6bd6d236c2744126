// Flink type syntax, and the round trip with Type::to_sql() / to_string().
#include <catch2/catch.hpp>

#include "core/sql/type_parser.hpp"
#include "tests/sql/sql_test_helpers.hpp"

using namespace ananas;

TEST_CASE("scalar types and their defaults") {
  CHECK(parse_type("BOOLEAN") == Type::boolean());
  CHECK(parse_type("tinyint") == Type::tinyint());
  CHECK(parse_type("SMALLINT") == Type::smallint());
  CHECK(parse_type("INT") == Type::integer());
  CHECK(parse_type("INTEGER") == Type::integer());
  CHECK(parse_type("BIGINT") == Type::bigint());
  CHECK(parse_type("FLOAT") == Type::float_type());
  CHECK(parse_type("DOUBLE") == Type::double_type());
  CHECK(parse_type("DOUBLE PRECISION") == Type::double_type());
  CHECK(parse_type("DECIMAL") == Type::decimal(10, 0));
  CHECK(parse_type("DEC(5)") == Type::decimal(5, 0));
  CHECK(parse_type("NUMERIC(12, 3)") == Type::decimal(12, 3));
  CHECK(parse_type("CHAR(3)") == Type::char_type(3));
  CHECK(parse_type("VARCHAR") == Type::string());
  CHECK(parse_type("VARCHAR(20)") == Type::varchar(20));
  CHECK(parse_type("STRING") == Type::string());
  CHECK(parse_type("BYTES") == Type::bytes());
  Type vb = Type::bytes();
  vb.length = 16;
  CHECK(parse_type("VARBINARY(16)") == vb);
  CHECK(parse_type("DATE") == Type::date());
  CHECK(parse_type("TIME(3)") == Type::time(3));
  CHECK(parse_type("TIME") == Type::time(0));
  CHECK(parse_type("TIMESTAMP") == Type::timestamp(6));
  CHECK(parse_type("TIMESTAMP(3)") == Type::timestamp(3));
  CHECK(parse_type("TIMESTAMP(3) WITHOUT TIME ZONE") == Type::timestamp(3));
  CHECK(parse_type("TIMESTAMP_LTZ(3)") == Type::timestamp_ltz(3));
  CHECK(parse_type("TIMESTAMP(3) WITH LOCAL TIME ZONE") == Type::timestamp_ltz(3));
  CHECK(parse_type("INTERVAL DAY TO SECOND") == Type::interval_day_time());
  CHECK(parse_type("INTERVAL YEAR TO MONTH") == Type::interval_year_month());
  CHECK(parse_type("INT NOT NULL") == Type::integer().with_nullable(false));
  CHECK(parse_type("INT NULL") == Type::integer());
}

TEST_CASE("nested types in both spellings") {
  Type element = Type::row({"pizzaName", "additionalToppings"}, {Type::string(), Type::array(Type::string())});
  CHECK(parse_type("ARRAY <ROW (pizzaName VARCHAR, additionalToppings ARRAY <VARCHAR>)>") == Type::array(element));
  CHECK(parse_type("ARRAY<ROW<`pizzaName` STRING, `additionalToppings` ARRAY<STRING>>>") == Type::array(element));
  CHECK(parse_type("INT ARRAY") == Type::array(Type::integer()));
  CHECK(parse_type("INT NOT NULL ARRAY NOT NULL") == Type::array(Type::integer().with_nullable(false)).with_nullable(false));
  CHECK(parse_type("MAP<STRING, ARRAY<INT>>") == Type::map(Type::string(), Type::array(Type::integer())));
  CHECK(parse_type("ROW<a INT 'the a field', `b c` STRING NOT NULL>") ==
        Type::row({"a", "b c"}, {Type::integer(), Type::string().with_nullable(false)}));
  CHECK(parse_type("ROW(`a``b` INT)") == Type::row({"a`b"}, {Type::integer()}));
}

TEST_CASE("parse_type inverts to_sql() and to_string() for every kind of type") {
  Type bytes16 = Type::bytes();
  bytes16.length = 16;
  std::vector<Type> samples = {
      Type::null_type(), Type::boolean(), Type::tinyint(), Type::smallint(), Type::integer(), Type::bigint(),
      Type::float_type(), Type::double_type(), Type::decimal(10, 0), Type::decimal(38, 18), Type::char_type(1),
      Type::varchar(1), Type::string(), Type::bytes(), bytes16, Type::date(), Type::time(0), Type::time(3),
      Type::timestamp(0), Type::timestamp(3), Type::timestamp(9), Type::timestamp_ltz(3), Type::interval_day_time(),
      Type::interval_year_month(), Type::array(Type::integer()), Type::map(Type::string(), Type::bigint()),
      Type::row({"a", "select", "with space", "x`y"}, {Type::integer(), Type::string(), Type::date(), Type::boolean()}),
      Type::row({}, {}),
  };
  std::vector<Type> all = samples;
  for (const auto& t : samples) {
    if (t.id != TypeId::Null) all.push_back(t.with_nullable(false));
    all.push_back(Type::array(t));
    all.push_back(Type::array(Type::row({"inner"}, {t})).with_nullable(false));
    all.push_back(Type::map(Type::string().with_nullable(false), t));
  }
  all.push_back(Type::timestamp(3).with_time_attr(TimeAttr::Rowtime));
  all.push_back(Type::timestamp_ltz(3).with_nullable(false).with_time_attr(TimeAttr::Proctime));
  for (const auto& t : all) {
    INFO(t.to_string());
    if (t.time_attr == TimeAttr::None) CHECK(parse_type(t.to_sql()) == t);
    CHECK(parse_type(t.to_string()) == t);
  }
}
