#include "pipelines/sql/statement_parser.hpp"

#include "core/sql/keywords.hpp"
#include "core/sql/token_cursor.hpp"
#include "pipelines/sql/create_table_parser.hpp"
#include "pipelines/sql/query_parser.hpp"

namespace ananas::sql {

namespace {

std::string dotted(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : ".") + quote_identifier_if_needed(p);
  return s;
}

class StatementParser {
 public:
  explicit StatementParser(TokenCursor& c) : c_(c) {}

  std::vector<StatementPtr> script() {
    std::vector<StatementPtr> out;
    if (c_.at_end()) throw InputError(locate(c_.origin(), 1, 1), "no statement found (the SQL text is empty or only comments)");
    while (!c_.at_end()) {
      if (c_.peek().is_op(";")) c_.fail_at(c_.peek(), "empty statement: ';' with no statement before it");
      if (at_statement_set()) {
        statement_set(out);
      } else {
        const Token& first = c_.peek();
        StatementPtr s = statement();
        s->source_text = std::string(c_.source(first.offset, c_.previous().offset + c_.previous().length));
        out.push_back(std::move(s));
      }
      if (c_.accept_op(";")) continue;
      if (!c_.at_end()) {
        reject_misspelt_keyword_before(c_);
        const Token& t = c_.peek();
        std::string message = "expected ';' or the end of the statement, found " + t.describe();
        if (t.kind == TokenKind::Word && !is_reserved(t.upper)) message += " (missing a comma or an operator?)";
        c_.fail_at(t, message);
      }
    }
    return out;
  }

 private:
  TokenCursor& c_;

  bool at_statement_set() const {
    return c_.peek().is_word("EXECUTE") || (c_.peek().is_word("BEGIN") && c_.peek(1).is_word("STATEMENT"));
  }

  // EXECUTE STATEMENT SET BEGIN INSERT ...; ... END, and the SQL client's
  // BEGIN STATEMENT SET; INSERT ...; ... END (Flink docs, SQL > INSERT Statement >
  // Insert from select queries; SQL Client > Execute a set of SQL statements).
  // Flink runs the INSERTs as one job; Ananas runs the INSERTs of a script as one
  // pipeline file anyway, so the block adds its INSERTs as if written on their own.
  void statement_set(std::vector<StatementPtr>& out) {
    const Token& start = c_.peek();
    const bool execute = c_.accept_word("EXECUTE");
    if (execute && !c_.peek().is_word("STATEMENT")) c_.fail_at(start, "EXECUTE is supported only as EXECUTE STATEMENT SET BEGIN ... END");
    if (!execute) c_.expect_word("BEGIN");
    c_.expect_word("STATEMENT", execute ? "after EXECUTE" : "after BEGIN");
    c_.expect_word("SET", "after STATEMENT");
    if (execute) c_.expect_word("BEGIN", "after EXECUTE STATEMENT SET");
    else c_.expect_op(";", "after BEGIN STATEMENT SET");
    const std::string opened = (execute ? "EXECUTE STATEMENT SET BEGIN" : "BEGIN STATEMENT SET") +
                               std::string(" at ") + short_location(start.loc);
    size_t inserts = 0;
    while (!c_.peek().is_word("END")) {
      const Token& first = c_.peek();
      if (first.kind == TokenKind::End)
        c_.fail_at(first, "unexpected end of input: the statement set is incomplete (missing END for " + opened + ")");
      // Flink's SQL gateway message (SqlGatewayService, OperationExecutor).
      if (!first.is_word("INSERT"))
        c_.fail_at(first, "Wrong statement after 'BEGIN STATEMENT SET'. Only 'INSERT/CREATE TABLE AS' statement is allowed in "
                          "Statement Set or use 'END' statement to terminate Statement Set. (found " + first.describe() +
                          " inside " + opened + ")");
      StatementPtr s = insert();
      s->source_text = std::string(c_.source(first.offset, c_.previous().offset + c_.previous().length));
      out.push_back(std::move(s));
      ++inserts;
      if (!c_.accept_op(";")) {
        if (c_.at_end())
          c_.fail_at(c_.peek(), "unexpected end of input: the statement set is incomplete (missing ';' and END for " + opened + ")");
        c_.fail_expected("';' after the INSERT (each INSERT of a statement set ends with ';')");
      }
    }
    if (inserts == 0) c_.fail_at(c_.peek(), "an empty statement set: put at least one INSERT between " + opened + " and END");
    c_.next();  // END
  }

  StatementPtr statement() {
    const Token& t = c_.peek();
    if (t.is_word("END"))
      c_.fail_at(t, "No Statement Set to submit: 'END' statement should be used after 'BEGIN STATEMENT SET'.");
    if (t.is_word("CREATE")) {
      if (c_.peek(1).is_word("VIEW") || (c_.peek(1).is_word("TEMPORARY") && c_.peek(2).is_word("VIEW"))) return view();
      return parse_create_table(c_);
    }
    if (t.is_word("INSERT")) return insert();
    if (t.is_word("SET")) return set();
    if (at_query_start(c_)) {
      auto q = std::make_unique<QueryStatement>(t.loc);
      q->query = parse_query(c_);
      return q;
    }
    if (t.kind == TokenKind::Word) {
      std::string hint = closest_match(t.upper, statement_keywords());
      c_.fail_at(t, "'" + t.text + "' is not a statement" +
                        (hint.empty() ? " (expected CREATE TABLE, INSERT INTO, SET or a query)" : " (did you mean " + hint + "?)"));
    }
    c_.fail_expected("a statement (CREATE TABLE, CREATE VIEW, INSERT INTO, SET or a query)");
  }

  StatementPtr insert() {
    const Token& kw = c_.next();
    auto ins = std::make_unique<Insert>(kw.loc);
    if (c_.accept_word("OVERWRITE")) ins->overwrite = true;
    else c_.expect_word("INTO", "after INSERT");
    ins->target_loc = c_.peek().loc;
    ins->target.push_back(c_.expect_name("the target table name").text);
    while (c_.accept_op(".")) ins->target.push_back(c_.expect_name("a name after '.'").text);
    if (c_.peek().is_word("PARTITION")) c_.fail_at(c_.peek(), "INSERT ... PARTITION is not supported by Ananas");
    bool column_list = c_.peek().is_op("(") && !(c_.peek(1).is_word("SELECT") || c_.peek(1).is_word("WITH") ||
                                                 c_.peek(1).is_word("VALUES") || c_.peek(1).is_op("("));
    if (column_list) {
      const Token& open = c_.next();
      do {
        const Token& col = c_.expect_name("a target column name");
        ins->columns.push_back(col.text);
        ins->column_locs.push_back(col.loc);
      } while (c_.accept_op(","));
      c_.expect_close(open);
    }
    if (!at_query_start(c_)) {
      const Token& t = c_.peek();
      std::string target = (ins->overwrite ? "INSERT OVERWRITE " : "INSERT INTO ") + dotted(ins->target);
      if (t.kind == TokenKind::End || t.is_op(";"))
        c_.fail_at(t, std::string(t.kind == TokenKind::End ? "unexpected end of input" : "unexpected ';'") +
                          ": the statement is incomplete (missing the query after " + target + "?)");
      std::string hint = t.kind == TokenKind::Word ? closest_match(t.upper, {"SELECT", "WITH", "VALUES"}) : "";
      c_.fail_at(t, "expected the query after " + target + ", found " + t.describe() +
                        (hint.empty() ? "" : " (did you mean " + hint + "?)"));
    }
    ins->query = parse_query(c_);
    return ins;
  }

  // CREATE [TEMPORARY] VIEW [IF NOT EXISTS] name [(c1, ...)] AS query (Flink docs, SQL > CREATE Statements > CREATE VIEW).
  StatementPtr view() {
    const Token& kw = c_.next();
    auto v = std::make_unique<CreateView>(kw.loc);
    if (c_.accept_word("TEMPORARY")) v->temporary = true;
    c_.expect_word("VIEW", "after CREATE");
    if (c_.accept_words({"IF", "NOT", "EXISTS"})) v->if_not_exists = true;
    const Token& name = c_.expect_name("a view name");
    v->view.name = name.text;
    v->view.loc = name.loc;
    if (c_.peek().is_op(".")) c_.fail_at(c_.peek(), "a view name is a single name (catalog.database.view is not supported)");
    if (c_.peek().is_op("(")) {
      const Token& open = c_.next();
      do {
        v->view.columns.push_back(c_.expect_name("a view column name").text);
      } while (c_.accept_op(","));
      c_.expect_close(open);
    }
    if (c_.peek().is_word("COMMENT")) c_.fail_at(c_.peek(), "COMMENT on a view is not supported by Ananas");
    c_.expect_word("AS", "after the view name '" + name.text + "'");
    if (!at_query_start(c_)) c_.fail_expected("the view's query (SELECT ...) after AS");
    v->view.query = parse_query(c_);
    return v;
  }

  StatementPtr set() {
    const Token& kw = c_.next();
    auto s = std::make_unique<SetStatement>(kw.loc);
    const Token& key = c_.peek();
    if (key.kind != TokenKind::String) c_.fail_expected("'key' = 'value' after SET");
    c_.next();
    s->key = key.text;
    s->key_loc = key.loc;
    c_.expect_op("=", "after the SET key");
    const Token& value = c_.peek();
    if (value.kind != TokenKind::String) c_.fail_expected("the value as a quoted string after SET '" + key.text + "' =");
    c_.next();
    s->value = value.text;
    s->value_loc = value.loc;
    return s;
  }
};

}  // namespace

std::vector<StatementPtr> parse_statements(std::string_view text, const std::string& file, SourceLocation base) {
  TextOrigin origin{file.empty() ? base.file : file, base.line > 0 ? base.line : 1, base.column > 0 ? base.column : 1};
  TokenCursor cursor(text, origin);
  // Subqueries in expressions (EXISTS, IN (SELECT ...)) are parsed as queries; the planner decides what they become.
  cursor.set_query_parser([](TokenCursor& c) -> std::shared_ptr<const Query> { return parse_query(c); });
  return StatementParser(cursor).script();
}

}  // namespace ananas::sql
