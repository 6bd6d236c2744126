#pragma once
// SQL logical types as Flink defines them. A Type is a small value (copied
// freely at plan time, never per row). Nested types keep their children in
// `children`; ROW fields also keep their names in `field_names`.
#include <cstdint>
#include <string>
#include <vector>

namespace ananas {

enum class TypeId : uint8_t {
  Null,  // the type of an untyped NULL literal
  Boolean,
  TinyInt,
  SmallInt,
  Int,
  BigInt,
  Float,
  Double,
  Decimal,   // precision/scale
  Char,      // length
  Varchar,   // length; STRING = VARCHAR(2147483647)
  Binary,    // BYTES / VARBINARY: raw bytes in a String value
  Date,      // days since epoch (Int value)
  Time,      // millis of day (Int value)
  Timestamp,     // zone-less, epoch millis of the wall clock read as UTC (Int value)
  TimestampLtz,  // an instant, epoch millis (Int value)
  IntervalDayTime,    // millis (Int value)
  IntervalYearMonth,  // months (Int value)
  Array,  // children[0] = element type
  Map,    // children[0] = key type, children[1] = value type
  Row,    // children = field types, field_names = field names
};

// Time attributes are a planning property of a column (Flink prints them as
// `TIMESTAMP(3) *ROWTIME*`); physically the column is a normal timestamp.
enum class TimeAttr : uint8_t { None, Rowtime, Proctime };

inline constexpr int32_t kMaxVarcharLength = 2147483647;

struct Type {
  TypeId id = TypeId::Null;
  bool nullable = true;
  int32_t length = 0;     // CHAR/VARCHAR/BINARY length
  int32_t precision = 0;  // DECIMAL precision, TIMESTAMP/TIME fractional precision
  int32_t scale = 0;      // DECIMAL scale
  TimeAttr time_attr = TimeAttr::None;
  std::vector<Type> children;
  std::vector<std::string> field_names;  // ROW only, same size as children

  bool operator==(const Type&) const = default;

  // Constructors for the common types.
  static Type null_type() { return Type{}; }
  static Type boolean() { return simple(TypeId::Boolean); }
  static Type tinyint() { return simple(TypeId::TinyInt); }
  static Type smallint() { return simple(TypeId::SmallInt); }
  static Type integer() { return simple(TypeId::Int); }
  static Type bigint() { return simple(TypeId::BigInt); }
  static Type float_type() { return simple(TypeId::Float); }
  static Type double_type() { return simple(TypeId::Double); }
  static Type decimal(int32_t p, int32_t s) { Type t = simple(TypeId::Decimal); t.precision = p; t.scale = s; return t; }
  static Type string() { return varchar(kMaxVarcharLength); }
  static Type varchar(int32_t n) { Type t = simple(TypeId::Varchar); t.length = n; return t; }
  static Type char_type(int32_t n) { Type t = simple(TypeId::Char); t.length = n; return t; }
  static Type bytes() { Type t = simple(TypeId::Binary); t.length = kMaxVarcharLength; return t; }
  static Type date() { return simple(TypeId::Date); }
  static Type time(int32_t p = 0) { Type t = simple(TypeId::Time); t.precision = p; return t; }
  static Type timestamp(int32_t p = 3) { Type t = simple(TypeId::Timestamp); t.precision = p; return t; }
  static Type timestamp_ltz(int32_t p = 3) { Type t = simple(TypeId::TimestampLtz); t.precision = p; return t; }
  static Type interval_day_time() { return simple(TypeId::IntervalDayTime); }
  static Type interval_year_month() { return simple(TypeId::IntervalYearMonth); }
  static Type array(Type element) { Type t = simple(TypeId::Array); t.children.push_back(std::move(element)); return t; }
  static Type map(Type key, Type value) {
    Type t = simple(TypeId::Map);
    t.children.push_back(std::move(key));
    t.children.push_back(std::move(value));
    return t;
  }
  static Type row(std::vector<std::string> names, std::vector<Type> types) {
    Type t = simple(TypeId::Row);
    t.field_names = std::move(names);
    t.children = std::move(types);
    return t;
  }

  Type with_nullable(bool n) const { Type t = *this; t.nullable = n; return t; }
  Type with_time_attr(TimeAttr a) const { Type t = *this; t.time_attr = a; return t; }

  bool is_integer() const { return id == TypeId::TinyInt || id == TypeId::SmallInt || id == TypeId::Int || id == TypeId::BigInt; }
  bool is_approximate() const { return id == TypeId::Float || id == TypeId::Double; }
  bool is_numeric() const { return is_integer() || is_approximate() || id == TypeId::Decimal; }
  bool is_character() const { return id == TypeId::Char || id == TypeId::Varchar; }
  bool is_timestamp() const { return id == TypeId::Timestamp || id == TypeId::TimestampLtz; }
  bool is_interval() const { return id == TypeId::IntervalDayTime || id == TypeId::IntervalYearMonth; }
  bool is_nested() const { return id == TypeId::Array || id == TypeId::Map || id == TypeId::Row; }
  // Equal ignoring nullability and time attributes (what assignment compatibility cares about most).
  bool same_shape(const Type& o) const;

  // Flink's summary form: STRING, VARCHAR(10), INT NOT NULL, TIMESTAMP(3) *ROWTIME*,
  // ARRAY<ROW<`pizzaName` STRING, `additionalToppings` ARRAY<STRING>>>.
  std::string to_string() const;
  // The form used in pipeline YAML: like to_string() but without time-attribute
  // markers (those are declared by `watermark:` / `proctime`) and without backticks
  // unless a field name needs them. Parses back with parse_type().
  std::string to_sql() const;

 private:
  static Type simple(TypeId id) { Type t; t.id = id; return t; }
};

}  // namespace ananas
