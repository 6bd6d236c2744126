#include "core/sql/type_parser.hpp"

#include <charconv>
#include <limits>

namespace ananas::sql {

namespace {

const std::vector<std::string>& type_names() {
  static const std::vector<std::string> names = {
      "BOOLEAN", "TINYINT", "SMALLINT", "INT",  "INTEGER", "BIGINT",  "FLOAT",     "REAL",
      "DOUBLE",  "DECIMAL", "DEC",      "NUMERIC", "CHAR", "CHARACTER", "VARCHAR", "STRING",
      "BINARY",  "VARBINARY", "BYTES",  "DATE",  "TIME",   "TIMESTAMP", "TIMESTAMP_LTZ", "INTERVAL",
      "ARRAY",   "MAP",     "ROW",      "NULL"};
  return names;
}

class TypeParser {
 public:
  explicit TypeParser(TokenCursor& c) : c_(c) {}

  Type parse() {
    TokenCursor::DepthGuard guard(c_, c_.peek());
    Type t = base_type();
    // Postfix forms: `INT ARRAY`, `INT NOT NULL`, `TIMESTAMP(3) *ROWTIME*` (to_string()).
    while (true) {
      if (c_.peek().is_word("NOT") && c_.peek(1).is_word("NULL")) {
        c_.next();
        c_.next();
        t.nullable = false;
      } else if (c_.peek().is_word("NULL") && t.id != TypeId::Null) {
        c_.next();
        t.nullable = true;
      } else if (c_.peek().is_word("ARRAY")) {
        c_.next();
        t = Type::array(std::move(t));
      } else if (c_.peek().is_op("*") && (c_.peek(1).is_word("ROWTIME") || c_.peek(1).is_word("PROCTIME")) &&
                 c_.peek(2).is_op("*")) {
        c_.next();
        t.time_attr = c_.next().is_word("ROWTIME") ? TimeAttr::Rowtime : TimeAttr::Proctime;
        c_.next();
      } else {
        return t;
      }
    }
  }

 private:
  TokenCursor& c_;

  Type base_type() {
    const Token& name = c_.peek();
    if (name.kind != TokenKind::Word) c_.fail_expected("a type name");
    c_.next();
    const std::string& u = name.upper;
    if (u == "BOOLEAN" || u == "BOOL") return Type::boolean();
    if (u == "TINYINT") return Type::tinyint();
    if (u == "SMALLINT") return Type::smallint();
    if (u == "INT" || u == "INTEGER") return Type::integer();
    if (u == "BIGINT") return Type::bigint();
    if (u == "FLOAT" || u == "REAL") return Type::float_type();
    if (u == "DOUBLE") {
      c_.accept_word("PRECISION");
      return Type::double_type();
    }
    if (u == "DECIMAL" || u == "DEC" || u == "NUMERIC") return decimal();
    if (u == "CHAR" || u == "CHARACTER") {
      if (c_.accept_word("VARYING")) return Type::varchar(optional_length(kMaxVarcharLength));
      return Type::char_type(optional_length(1));
    }
    if (u == "VARCHAR") return Type::varchar(optional_length(kMaxVarcharLength));
    if (u == "STRING") return Type::string();
    if (u == "BYTES") return Type::bytes();
    if (u == "VARBINARY" || u == "BINARY") {
      Type t = Type::bytes();
      t.length = optional_length(u == "BINARY" ? 1 : kMaxVarcharLength);
      return t;
    }
    if (u == "DATE") return Type::date();
    if (u == "TIME") {
      Type t = Type::time(optional_precision(0, 9));
      without_time_zone();
      return t;
    }
    if (u == "TIMESTAMP") return timestamp();
    if (u == "TIMESTAMP_LTZ") return Type::timestamp_ltz(optional_precision(6, 9));
    if (u == "INTERVAL") return interval();
    if (u == "ARRAY") return array(name);
    if (u == "MAP") return map();
    if (u == "ROW") return row();
    if (u == "NULL") return Type::null_type();
    if (u == "MULTISET" || u == "RAW" || u == "STRUCTURED")
      c_.fail_at(name, "type " + name.text + " is not supported by Ananas");
    std::string hint = closest_match(u, type_names());
    c_.fail_at(name, "unknown type '" + name.text + "'" + (hint.empty() ? "" : " (did you mean " + hint + "?)"));
  }

  int32_t integer_argument(const char* what, int32_t min, int32_t max) {
    const Token& t = c_.peek();
    if (t.kind != TokenKind::Integer) c_.fail_expected(what);
    int64_t v = 0;
    auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
    if (ec != std::errc() || end != t.text.data() + t.text.size() || v < min || v > max)
      c_.fail_at(t, std::string(what) + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                        ", found " + t.text);
    c_.next();
    return static_cast<int32_t>(v);
  }

  int32_t optional_length(int32_t default_length) {
    if (!c_.peek().is_op("(")) return default_length;
    const Token& open = c_.next();
    int32_t n = integer_argument("a length", 1, kMaxVarcharLength);
    c_.expect_close(open);
    return n;
  }

  int32_t optional_precision(int32_t default_precision, int32_t max) {
    if (!c_.peek().is_op("(")) return default_precision;
    const Token& open = c_.next();
    int32_t p = integer_argument("a precision", 0, max);
    c_.expect_close(open);
    return p;
  }

  Type decimal() {
    if (!c_.peek().is_op("(")) return Type::decimal(10, 0);
    const Token& open = c_.next();
    int32_t p = integer_argument("a precision", 1, 38);
    int32_t s = 0;
    if (c_.accept_op(",")) {
      const Token& stok = c_.peek();
      s = integer_argument("a scale", 0, 38);
      if (s > p) c_.fail_at(stok, "DECIMAL scale " + std::to_string(s) + " exceeds its precision " + std::to_string(p));
    }
    c_.expect_close(open);
    return Type::decimal(p, s);
  }

  void without_time_zone() { c_.accept_words({"WITHOUT", "TIME", "ZONE"}); }

  Type timestamp() {
    int32_t p = optional_precision(6, 9);
    if (c_.accept_words({"WITHOUT", "TIME", "ZONE"})) return Type::timestamp(p);
    if (c_.peek().is_word("WITH")) {
      if (c_.accept_words({"WITH", "LOCAL", "TIME", "ZONE"})) return Type::timestamp_ltz(p);
      if (c_.peek(1).is_word("TIME")) c_.fail_at(c_.peek(), "TIMESTAMP WITH TIME ZONE is not supported by Flink; use TIMESTAMP_LTZ or TIMESTAMP WITH LOCAL TIME ZONE");
    }
    return Type::timestamp(p);
  }

  // Year-month units make a month interval, everything else a millisecond one.
  Type interval() {
    const Token& unit = c_.peek();
    static const std::vector<std::string> units = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"};
    if (unit.kind != TokenKind::Word) c_.fail_expected("an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)");
    std::string u = unit.upper;
    bool known = false;
    for (const auto& k : units) known = known || k == u;
    if (!known) {
      std::string hint = closest_match(u, units);
      c_.fail_at(unit, "unknown interval unit '" + unit.text + "'" + (hint.empty() ? "" : " (did you mean " + hint + "?)"));
    }
    c_.next();
    bool year_month = (u == "YEAR" || u == "MONTH");
    unit_precision();
    if (c_.accept_word("TO")) {
      const Token& end = c_.peek();
      if (end.kind != TokenKind::Word) c_.fail_expected("an interval unit after TO");
      bool end_year_month = end.upper == "MONTH";
      bool end_day_time = end.upper == "HOUR" || end.upper == "MINUTE" || end.upper == "SECOND" || end.upper == "DAY";
      if (!end_year_month && !end_day_time) c_.fail_expected("an interval unit after TO");
      if (end_year_month != year_month)
        c_.fail_at(end, "INTERVAL " + unit.text + " TO " + end.text + " mixes year-month and day-time units");
      c_.next();
      unit_precision();
    }
    return year_month ? Type::interval_year_month() : Type::interval_day_time();
  }

  void unit_precision() {
    if (!c_.peek().is_op("(")) return;
    const Token& open = c_.next();
    integer_argument("a precision", 0, 9);
    if (c_.accept_op(",")) integer_argument("a precision", 0, 9);
    c_.expect_close(open);
  }

  // `ARRAY<T>`; `ARRAY` alone is only valid as the postfix form handled in parse().
  Type array(const Token& keyword) {
    const Token& open = c_.peek();
    if (!open.is_op("<")) c_.fail_at(open.kind == TokenKind::End ? open : keyword,
                                      open.kind == TokenKind::End
                                          ? "unexpected end of input: the " + c_.subject() + " is incomplete (expected '<' after ARRAY)"
                                          : "expected '<' after ARRAY (ARRAY<element type> or element type ARRAY)");
    c_.next();
    Type element = parse();
    close_angle(open);
    return Type::array(std::move(element));
  }

  Type map() {
    const Token& open = c_.expect_op("<", "after MAP (MAP<key type, value type>)");
    Type key = parse();
    c_.expect_op(",", "between the key and value types of MAP");
    Type value = parse();
    close_angle(open);
    return Type::map(std::move(key), std::move(value));
  }

  void close_angle(const Token& open) { c_.expect_close(open); }

  // ROW<a INT, b STRING> or ROW(a INT, b STRING); a field may carry a 'comment'.
  Type row() {
    const Token& open = c_.peek();
    if (open.is_op("<>")) {  // ROW<> lexes as the not-equal operator
      c_.next();
      return Type::row({}, {});
    }
    if (!open.is_op("<") && !open.is_op("(")) c_.fail_expected("'<' or '(' after ROW");
    c_.next();
    std::vector<std::string> names;
    std::vector<Type> types;
    std::string close = open.text == "<" ? ">" : ")";
    if (!c_.peek().is_op(close)) {
      do {
        const Token& field = c_.peek();
        // Any word is a field name here (the type that follows disambiguates).
        if (field.kind != TokenKind::Word && field.kind != TokenKind::QuotedIdentifier) c_.fail_expected("a field name");
        c_.next();
        for (const auto& existing : names)
          if (existing == field.text) c_.fail_at(field, "duplicate field name '" + field.text + "' in ROW");
        names.push_back(field.text);
        types.push_back(parse());
        if (c_.peek().kind == TokenKind::String) c_.next();  // field comment: documentation only
      } while (c_.accept_op(","));
    }
    c_.expect_close(open);
    return Type::row(std::move(names), std::move(types));
  }
};

}  // namespace

Type parse_type(TokenCursor& cursor) { return TypeParser(cursor).parse(); }

}  // namespace ananas::sql

namespace ananas {

Type parse_type(std::string_view text, const std::string& file, SourceLocation base) {
  sql::TextOrigin origin{file.empty() ? base.file : file, base.line > 0 ? base.line : 1, base.column > 0 ? base.column : 1};
  sql::TokenCursor cursor(text, origin);
  cursor.set_subject("type");
  if (cursor.at_end()) cursor.fail_at(cursor.peek(), "expected a type, found nothing");
  Type t = sql::parse_type(cursor);
  if (!cursor.at_end()) cursor.fail_at(cursor.peek(), "unexpected " + cursor.peek().describe() + " after the type");
  return t;
}

}  // namespace ananas
