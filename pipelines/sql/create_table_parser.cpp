#include "pipelines/sql/create_table_parser.hpp"

#include "core/schema.hpp"
#include "core/sql/expr_parser.hpp"
#include "core/sql/type_parser.hpp"

namespace ananas::sql {

namespace {

class CreateTableParser {
 public:
  explicit CreateTableParser(TokenCursor& c) : c_(c) {}

  StatementPtr parse() {
    const Token& create = c_.next();
    auto t = std::make_unique<CreateTable>(create.loc);
    t_ = t.get();
    if (c_.accept_word("TEMPORARY")) t->temporary = true;
    const Token& what = c_.peek();
    if (!what.is_word("TABLE")) {
      if (what.kind == TokenKind::Word) {
        if (!closest_match(what.upper, {"TABLE"}).empty())
          c_.fail_at(what, "expected TABLE after CREATE, found '" + what.text + "' (did you mean TABLE?)");
        c_.fail_at(what, "CREATE " + what.text + " is not supported by Ananas (only CREATE TABLE and CREATE VIEW)");
      }
      c_.fail_expected("TABLE after CREATE");
    }
    c_.next();
    if (c_.accept_words({"IF", "NOT", "EXISTS"})) t->if_not_exists = true;
    t->name_loc = c_.peek().loc;
    t->name.push_back(c_.expect_name("a table name").text);
    while (c_.accept_op(".")) t->name.push_back(c_.expect_name("a name after '.'").text);
    if (c_.peek().is_word("LIKE")) c_.fail_at(c_.peek(), "CREATE TABLE ... LIKE is not supported by Ananas");
    if (c_.peek().is_word("AS")) c_.fail_at(c_.peek(), "CREATE TABLE ... AS SELECT is not supported by Ananas");
    const Token& open = c_.expect_op("(", "after the table name (the column list)");
    do {
      element();
    } while (c_.accept_op(","));
    c_.expect_close(open);
    if (c_.accept_word("COMMENT")) t->comment = string_value("a comment string after COMMENT");
    if (c_.accept_words({"PARTITIONED", "BY"})) {
      const Token& popen = c_.expect_op("(", "after PARTITIONED BY");
      do {
        t->partitioned_by.push_back(c_.expect_name("a partition column").text);
      } while (c_.accept_op(","));
      c_.expect_close(popen);
    }
    if (c_.peek().is_word("WITH")) options();
    return t;
  }

 private:
  TokenCursor& c_;
  CreateTable* t_ = nullptr;

  std::string string_value(const char* what) {
    if (c_.peek().kind != TokenKind::String) c_.fail_expected(what);
    return c_.next().text;
  }

  void element() {
    const Token& t = c_.peek();
    // These words start a clause only when the next word fits; otherwise they name a column.
    const Token& after = c_.peek(1);
    if (t.is_word("WATERMARK") && after.is_word("FOR")) return watermark();
    if ((t.is_word("CONSTRAINT") && after.kind != TokenKind::Operator) || (t.is_word("PRIMARY") && after.is_word("KEY")))
      return table_primary_key();
    if (t.is_word("UNIQUE") && after.is_op("(")) c_.fail_at(t, "UNIQUE constraint is not supported yet");
    if (t.is_word("PERIOD") && after.is_word("FOR")) c_.fail_at(t, "PERIOD FOR SYSTEM_TIME is not supported by Ananas");
    column();
  }

  void check_new_column(const Token& name) {
    for (const auto& col : t_->columns)
      if (col.name == name.text)
        c_.fail_at(name, "duplicate column '" + name.text + "' (first declared at " + short_location(col.loc) + ")");
  }

  void column() {
    ColumnDef col;
    const Token& name = c_.expect_name("a column name, WATERMARK or PRIMARY KEY");
    if (t_->columns.size() == kMaxColumns)
      c_.fail_at(name, "too many columns: a table has at most " + std::to_string(kMaxColumns));
    check_new_column(name);
    col.name = name.text;
    col.loc = name.loc;
    if (c_.accept_word("AS")) {
      col.kind = ColumnKind::Computed;
      col.computed = parse_expr(c_);
    } else {
      col.type_loc = c_.peek().loc;
      if (c_.at_end() || c_.peek().is_op(",") || c_.peek().is_op(")"))
        c_.fail_expected("a type for column '" + name.text + "'");
      col.type = parse_type(c_);
      if (c_.accept_word("METADATA")) {
        col.kind = ColumnKind::Metadata;
        if (c_.accept_word("FROM")) col.metadata_key = string_value("the metadata key as a string after METADATA FROM");
        if (c_.accept_word("VIRTUAL")) col.is_virtual = true;
      }
      column_primary_key(col);
    }
    if (c_.accept_word("COMMENT")) col.comment = string_value("a comment string after COMMENT");
    t_->columns.push_back(std::move(col));
  }

  bool not_enforced() {
    if (c_.accept_words({"NOT", "ENFORCED"})) return true;
    if (c_.peek().is_word("ENFORCED"))
      c_.fail_at(c_.peek(), "Flink doesn't support ENFORCED mode for PRIMARY KEY constraint; write NOT ENFORCED");
    return false;
  }

  void set_primary_key(PrimaryKeyDef pk, const Token& at) {
    if (t_->primary_key)
      c_.fail_at(at, "the table has more than one PRIMARY KEY (first at " + short_location(t_->primary_key->loc) + ")");
    t_->primary_key = std::move(pk);
  }

  // `id INT [CONSTRAINT n] PRIMARY KEY [NOT ENFORCED]`
  void column_primary_key(ColumnDef& col) {
    const Token& start = c_.peek();
    PrimaryKeyDef pk;
    if (start.is_word("CONSTRAINT")) {
      c_.next();
      pk.constraint_name = c_.expect_name("a constraint name").text;
      if (!c_.peek().is_word("PRIMARY")) c_.fail_expected("PRIMARY KEY after the constraint name");
    }
    if (!c_.peek().is_word("PRIMARY")) return;
    c_.next();
    c_.expect_word("KEY", "after PRIMARY");
    pk.columns = {col.name};
    pk.column_locs = {col.loc};
    pk.not_enforced = not_enforced();
    pk.column_level = true;
    pk.loc = start.loc;
    col.primary_key = true;
    set_primary_key(std::move(pk), start);
  }

  // `[CONSTRAINT n] PRIMARY KEY (a, b) [NOT ENFORCED]`
  void table_primary_key() {
    const Token& start = c_.peek();
    PrimaryKeyDef pk;
    pk.loc = start.loc;
    if (c_.accept_word("CONSTRAINT")) pk.constraint_name = c_.expect_name("a constraint name").text;
    if (c_.peek().is_word("UNIQUE")) c_.fail_at(c_.peek(), "UNIQUE constraint is not supported yet");
    c_.expect_word("PRIMARY", "after the constraint name");
    c_.expect_word("KEY", "after PRIMARY");
    const Token& open = c_.expect_op("(", "after PRIMARY KEY (the key columns)");
    do {
      const Token& col = c_.expect_name("a key column name");
      pk.columns.push_back(col.text);
      pk.column_locs.push_back(col.loc);
    } while (c_.accept_op(","));
    c_.expect_close(open);
    pk.not_enforced = not_enforced();
    set_primary_key(std::move(pk), start);
  }

  void watermark() {
    const Token& kw = c_.next();
    WatermarkDef w;
    w.loc = kw.loc;
    c_.expect_word("FOR", "after WATERMARK");
    const Token& col = c_.expect_name("the event-time column after WATERMARK FOR");
    w.column = col.text;
    w.column_loc = col.loc;
    c_.expect_word("AS", "after WATERMARK FOR " + col.text);
    w.expr = parse_expr(c_);
    if (t_->watermark)
      c_.fail_at(kw, "the table has more than one WATERMARK (first at " + short_location(t_->watermark->loc) + ")");
    t_->watermark = std::move(w);
  }

  void options() {
    t_->with_loc = c_.next().loc;
    const Token& open = c_.expect_op("(", "after WITH (the connector options)");
    if (c_.peek().is_op(")")) {
      c_.next();
      return;
    }
    do {
      TableOption o;
      const Token& key = c_.peek();
      if (key.kind != TokenKind::String) {
        if (key.kind == TokenKind::Word || key.kind == TokenKind::QuotedIdentifier)
          c_.fail_at(key, "option keys must be quoted strings: '" + key.text + "' = '...'");
        c_.fail_expected("an option 'key' = 'value'");
      }
      c_.next();
      o.key = key.text;
      o.key_loc = key.loc;
      c_.expect_op("=", "after the option key '" + key.text + "'");
      const Token& value = c_.peek();
      if (value.kind != TokenKind::String) {
        if (value.kind == TokenKind::Integer || value.kind == TokenKind::Decimal || value.kind == TokenKind::Word)
          c_.fail_at(value, "option values must be quoted strings: '" + key.text + "' = '" + value.text + "'");
        c_.fail_expected("the option value as a quoted string");
      }
      c_.next();
      o.value = value.text;
      o.value_loc = value.loc;
      t_->options.push_back(std::move(o));
    } while (c_.accept_op(","));
    c_.expect_close(open);
  }
};

}  // namespace

StatementPtr parse_create_table(TokenCursor& cursor) { return CreateTableParser(cursor).parse(); }

}  // namespace ananas::sql
