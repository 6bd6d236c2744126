#pragma once
// The syntax tree of the Flink SQL dialect Ananas accepts. It records what the
// user wrote (names as written, literal text, locations) and nothing that needs
// a catalog: binding names and types is the binder's and planner's job.
//
// Nodes are plain structs derived from Expr / Statement / QueryNode / FromItem,
// tagged with a kind so consumers can switch and downcast with as<T>().
// Extensions only add kinds and fields; nothing is renamed or removed.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/types.hpp"

namespace ananas::sql {

// ---------------------------------------------------------------- expressions

enum class ExprKind {
  Literal,
  Identifier,   // a, t.a, b.additionalToppings (a chain of names)
  Star,         // *, t.*
  Unary,
  Binary,
  IsTest,       // x IS [NOT] NULL / TRUE / FALSE / UNKNOWN
  InList,       // x [NOT] IN (a, b, ...)
  Between,      // x [NOT] BETWEEN a AND b
  Like,         // x [NOT] LIKE p [ESCAPE e]
  Case,
  Cast,         // CAST / TRY_CAST
  Call,         // f(args), COUNT(*), COUNT(DISTINCT x) FILTER (WHERE ...)
  ArrayCtor,    // ARRAY[a, b]
  RowCtor,      // ROW(a, b)
  MapCtor,      // MAP[k1, v1, k2, v2]
  Subscript,    // a[1], m['k']
  FieldAccess,  // (expr).field, a[1].field (plain chains are Identifier)
  Symbol,       // a keyword argument of a special function: DAY in EXTRACT(DAY FROM x), BOTH in TRIM
  Subquery,     // EXISTS (query), x [NOT] IN (query)
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  explicit Expr(ExprKind k, SourceLocation l) : kind(k), loc(std::move(l)) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  const ExprKind kind;
  SourceLocation loc;  // first token of the expression (the operator for binary ones is in op_loc)

  template <class T> const T& as() const { return static_cast<const T&>(*this); }
  template <class T> T& as() { return static_cast<T&>(*this); }
};

enum class LiteralKind {
  Null,
  Boolean,
  Integer,      // text = digits as written ("42")
  Decimal,      // text as written ("100.0", ".5")
  Approximate,  // text as written ("1e2", "1.5E-3")
  String,       // text = the value, '' unescaped, UTF-8 byte-exact
  Interval,     // text = the quoted value ("5", "1:30"), interval = the qualifier
  Timestamp,    // TIMESTAMP '2023-01-01 10:00:00', text = the quoted value
  Date,         // DATE '2023-01-01'
  Time,         // TIME '10:00:00'
};

enum class TimeUnit { Year, Quarter, Month, Week, Day, Hour, Minute, Second, Millisecond, Microsecond, Nanosecond };

// INTERVAL '1:30' MINUTE TO SECOND: start = Minute, end = Second.
struct IntervalQualifier {
  TimeUnit start = TimeUnit::Second;
  std::optional<TimeUnit> end;        // the TO unit, if any
  std::optional<int> start_precision;  // SECOND(3), DAY(2)
  std::optional<int> fractional_precision;  // TO SECOND(3), or SECOND(p, f)
  bool plural = false;                 // written as SECONDS/MINUTES... (accepted as in Flink)
  bool operator==(const IntervalQualifier&) const = default;
};

struct Literal : Expr {
  explicit Literal(SourceLocation l) : Expr(ExprKind::Literal, std::move(l)) {}
  LiteralKind literal_kind = LiteralKind::Null;
  bool bool_value = false;  // Boolean
  std::string text;         // see LiteralKind
  bool negative = false;    // INTERVAL -'5' SECOND (sign written before the quoted value)
  IntervalQualifier interval;  // Interval only
};

struct Identifier : Expr {
  explicit Identifier(SourceLocation l) : Expr(ExprKind::Identifier, std::move(l)) {}
  std::vector<std::string> parts;              // case preserved, backticks removed
  std::vector<SourceLocation> part_locs;       // one per part
};

struct Star : Expr {
  explicit Star(SourceLocation l) : Expr(ExprKind::Star, std::move(l)) {}
  std::vector<std::string> qualifier;  // empty for a bare *, {"t"} for t.*
};

enum class UnaryOp { Negate, Plus, Not };

struct Unary : Expr {
  explicit Unary(SourceLocation l) : Expr(ExprKind::Unary, std::move(l)) {}
  UnaryOp op = UnaryOp::Negate;
  ExprPtr operand;
};

enum class BinaryOp {
  Add, Subtract, Multiply, Divide, Modulo,
  Concat,  // ||
  Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual,
  IsDistinctFrom, IsNotDistinctFrom,
  And, Or,
};

struct Binary : Expr {
  explicit Binary(SourceLocation l) : Expr(ExprKind::Binary, std::move(l)) {}
  BinaryOp op = BinaryOp::Add;
  SourceLocation op_loc;  // where the operator is written
  ExprPtr left, right;
};

enum class IsTestKind { Null, True, False, Unknown };

struct IsTest : Expr {
  explicit IsTest(SourceLocation l) : Expr(ExprKind::IsTest, std::move(l)) {}
  IsTestKind test = IsTestKind::Null;
  bool negated = false;
  ExprPtr operand;
};

struct InList : Expr {
  explicit InList(SourceLocation l) : Expr(ExprKind::InList, std::move(l)) {}
  bool negated = false;
  ExprPtr operand;
  std::vector<ExprPtr> list;
};

struct Between : Expr {
  explicit Between(SourceLocation l) : Expr(ExprKind::Between, std::move(l)) {}
  bool negated = false;
  bool symmetric = false;  // BETWEEN SYMMETRIC
  ExprPtr operand, low, high;
};

struct Like : Expr {
  explicit Like(SourceLocation l) : Expr(ExprKind::Like, std::move(l)) {}
  bool negated = false;
  bool similar = false;  // SIMILAR TO instead of LIKE
  ExprPtr operand, pattern;
  ExprPtr escape;  // may be null
};

struct WhenClause {
  ExprPtr when, then;
};

struct Case : Expr {
  explicit Case(SourceLocation l) : Expr(ExprKind::Case, std::move(l)) {}
  ExprPtr operand;  // null for a searched CASE
  std::vector<WhenClause> whens;
  ExprPtr else_result;  // may be null
};

struct Cast : Expr {
  explicit Cast(SourceLocation l) : Expr(ExprKind::Cast, std::move(l)) {}
  bool try_cast = false;
  ExprPtr operand;
  Type target;
  SourceLocation type_loc;
};

struct OrderItem;
struct OverSpec;

// MATCH_RECOGNIZE navigation semantics written before a call: RUNNING LAST(x) / FINAL LAST(x).
enum class NavSemantics { Default, Running, Final };

struct Call : Expr {
  explicit Call(SourceLocation l) : Expr(ExprKind::Call, std::move(l)) {}
  std::string name;  // as written (case preserved); for a qualified name, the last part
  std::vector<std::string> qualifier;  // db.fn -> {"db"}; usually empty
  std::vector<ExprPtr> args;
  bool distinct = false;   // COUNT(DISTINCT x)
  bool star_arg = false;   // COUNT(*) (args empty)
  bool no_parens = false;  // CURRENT_TIMESTAMP, LOCALTIMESTAMP, ... written without ()
  ExprPtr filter;          // FILTER (WHERE cond), may be null
  NavSemantics semantics = NavSemantics::Default;
  // agg(...) OVER w / OVER (...): the window (Flink docs, Queries > Over Aggregation); null otherwise.
  // Shared and never changed after parsing, so copies of the call share it.
  std::shared_ptr<const OverSpec> over;
};

struct ArrayCtor : Expr {
  explicit ArrayCtor(SourceLocation l) : Expr(ExprKind::ArrayCtor, std::move(l)) {}
  std::vector<ExprPtr> elements;
};

struct RowCtor : Expr {
  explicit RowCtor(SourceLocation l) : Expr(ExprKind::RowCtor, std::move(l)) {}
  std::vector<ExprPtr> elements;
};

struct MapCtor : Expr {
  explicit MapCtor(SourceLocation l) : Expr(ExprKind::MapCtor, std::move(l)) {}
  std::vector<ExprPtr> elements;  // key, value, key, value, ...
};

struct Subscript : Expr {
  explicit Subscript(SourceLocation l) : Expr(ExprKind::Subscript, std::move(l)) {}
  ExprPtr base, index;
};

struct FieldAccess : Expr {
  explicit FieldAccess(SourceLocation l) : Expr(ExprKind::FieldAccess, std::move(l)) {}
  ExprPtr base;
  std::string field;
  SourceLocation field_loc;
};

struct Symbol : Expr {
  explicit Symbol(SourceLocation l) : Expr(ExprKind::Symbol, std::move(l)) {}
  std::string name;  // upper case: DAY, BOTH, LEADING, TRAILING, ...
};

struct Query;

// A subquery in an expression: `EXISTS (query)`, or `operand [NOT] IN (query)`
// (NOT EXISTS is a NOT around it). The planner translates the forms it knows
// (window SEMI / ANTI joins); the query is shared by copies of the expression.
struct SubqueryExpr : Expr {
  explicit SubqueryExpr(SourceLocation l) : Expr(ExprKind::Subquery, std::move(l)) {}
  bool exists = false;   // EXISTS (query); otherwise operand [NOT] IN (query)
  bool negated = false;  // NOT IN
  ExprPtr operand;       // IN only
  std::shared_ptr<const Query> query;
};

// Structural equality ignoring locations (and how a keyword was spelled).
bool equal(const Expr& a, const Expr& b);
// Deep copy, locations included.
ExprPtr clone(const Expr& e);

// ---------------------------------------------------------------- queries

struct Query;
using QueryPtr = std::unique_ptr<Query>;
struct FromItem;
using FromItemPtr = std::unique_ptr<FromItem>;

enum class NullsOrder { Default, First, Last };

struct OrderItem {
  ExprPtr expr;
  bool descending = false;
  bool direction_written = false;  // ASC/DESC was given explicitly
  NullsOrder nulls = NullsOrder::Default;
};

// An OVER window: OVER w, OVER (PARTITION BY ... ORDER BY ... ROWS|RANGE BETWEEN ... AND ...),
// or a WINDOW clause's definition.
enum class FrameUnit { Rows, Range };
enum class FrameBoundKind { UnboundedPreceding, Preceding, CurrentRow, Following, UnboundedFollowing };

struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::CurrentRow;
  ExprPtr offset;  // Preceding / Following: `10`, `INTERVAL '1' HOUR`
  SourceLocation loc;
};

struct OverSpec {
  SourceLocation loc;               // OVER, or the WINDOW definition's name
  std::string reference;            // OVER w, or (w ...): a WINDOW clause name; empty otherwise
  SourceLocation reference_loc;
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  SourceLocation order_by_loc;
  bool has_frame = false;
  FrameUnit unit = FrameUnit::Rows;
  SourceLocation frame_loc;         // ROWS / RANGE
  FrameBound lower, upper;          // without BETWEEN: lower as written, upper CURRENT ROW
};

// Structural equality of two windows (either may be null), locations ignored.
bool equal_over(const OverSpec* a, const OverSpec* b);

// WINDOW name AS (spec)
struct NamedWindow {
  std::string name;
  SourceLocation loc;
  std::shared_ptr<const OverSpec> spec;
};

struct SelectItem {
  ExprPtr expr;  // may be a Star
  std::optional<std::string> alias;
  SourceLocation alias_loc;
};

enum class QueryNodeKind { Select, SetOperation, Nested };

struct QueryNode {
  explicit QueryNode(QueryNodeKind k, SourceLocation l) : kind(k), loc(std::move(l)) {}
  virtual ~QueryNode() = default;
  QueryNode(const QueryNode&) = delete;
  QueryNode& operator=(const QueryNode&) = delete;
  const QueryNodeKind kind;
  SourceLocation loc;
  template <class T> const T& as() const { return static_cast<const T&>(*this); }
  template <class T> T& as() { return static_cast<T&>(*this); }
};
using QueryNodePtr = std::unique_ptr<QueryNode>;

struct Select : QueryNode {
  explicit Select(SourceLocation l) : QueryNode(QueryNodeKind::Select, std::move(l)) {}
  bool distinct = false;
  std::vector<SelectItem> items;
  FromItemPtr from;  // may be null (SELECT 1)
  ExprPtr where;     // may be null
  std::vector<ExprPtr> group_by;
  SourceLocation group_by_loc;
  // GROUPING SETS / ROLLUP / CUBE: each set as indexes into group_by (which
  // then holds every grouping expression once); empty for a plain GROUP BY.
  std::vector<std::vector<size_t>> grouping_sets;
  ExprPtr having;  // may be null
  std::vector<NamedWindow> windows;  // WINDOW w AS (...), ...
};

enum class SetOp { UnionAll, Union, IntersectAll, Intersect, ExceptAll, Except };

struct SetOperation : QueryNode {
  explicit SetOperation(SourceLocation l) : QueryNode(QueryNodeKind::SetOperation, std::move(l)) {}
  SetOp op = SetOp::UnionAll;
  QueryNodePtr left, right;
};

// A parenthesised query used as a set-operation operand: (SELECT ... ORDER BY ... LIMIT 1)
struct NestedQuery : QueryNode {
  explicit NestedQuery(SourceLocation l) : QueryNode(QueryNodeKind::Nested, std::move(l)) {}
  QueryPtr query;
};

struct CommonTableExpr {
  std::string name;
  SourceLocation loc;
  std::vector<std::string> columns;  // WITH t (a, b) AS (...)
  QueryPtr query;
};

struct Query {
  SourceLocation loc;
  std::vector<CommonTableExpr> ctes;
  QueryNodePtr body;
  std::vector<OrderItem> order_by;
  ExprPtr limit;   // may be null
  ExprPtr offset;  // may be null
};

// ---------------------------------------------------------------- FROM items

enum class FromKind { Table, Subquery, WindowTvf, Unnest, LateralTable, Join, MatchRecognize };

struct FromItem {
  explicit FromItem(FromKind k, SourceLocation l) : kind(k), loc(std::move(l)) {}
  virtual ~FromItem() = default;
  FromItem(const FromItem&) = delete;
  FromItem& operator=(const FromItem&) = delete;
  const FromKind kind;
  SourceLocation loc;
  std::optional<std::string> alias;  // [AS] alias
  SourceLocation alias_loc;
  std::vector<std::string> column_aliases;  // alias(c1, c2)
  template <class T> const T& as() const { return static_cast<const T&>(*this); }
  template <class T> T& as() { return static_cast<T&>(*this); }
};

struct TableRef : FromItem {
  explicit TableRef(SourceLocation l) : FromItem(FromKind::Table, std::move(l)) {}
  std::vector<std::string> name;  // catalog.db.table parts
  ExprPtr as_of;                  // FOR SYSTEM_TIME AS OF expr (a temporal join's versioned side), or null
};

struct SubqueryRef : FromItem {
  explicit SubqueryRef(SourceLocation l) : FromItem(FromKind::Subquery, std::move(l)) {}
  QueryPtr query;
};

enum class WindowKind { Tumble, Hop, Cumulate, Session };

// TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), size [, offset])), HOP(..., slide, size [, offset]),
// CUMULATE(..., step, size [, offset]), SESSION(TABLE t [PARTITION BY k | (k, ...)], DESCRIPTOR(ts), gap);
// positional or named (DATA =>, TIMECOL =>, SIZE => ..., GAP =>).
struct WindowTvf : FromItem {
  explicit WindowTvf(SourceLocation l) : FromItem(FromKind::WindowTvf, std::move(l)) {}
  WindowKind window = WindowKind::Tumble;
  std::string function_name;          // as written
  std::vector<std::string> table;     // TABLE t (empty when input is a subquery)
  SourceLocation table_loc;
  QueryPtr input_query;               // (SELECT ...) as the data argument, else null
  std::vector<std::string> time_column;  // DESCRIPTOR(col)
  SourceLocation time_column_loc;
  ExprPtr size;
  ExprPtr slide;   // HOP only
  ExprPtr step;    // CUMULATE only
  ExprPtr gap;     // SESSION only
  ExprPtr offset;  // may be null
  std::vector<std::vector<std::string>> partition_by;  // SESSION's TABLE t PARTITION BY columns
  std::vector<SourceLocation> partition_by_locs;
  // GROUP BY SESSION(ts, gap): the sessions are per GROUP BY keys, whatever they are.
  bool partitioned_by_group_keys = false;
  bool named_arguments = false;
};

struct Unnest : FromItem {
  explicit Unnest(SourceLocation l) : FromItem(FromKind::Unnest, std::move(l)) {}
  std::vector<ExprPtr> args;  // usually one array/map expression
  bool with_ordinality = false;
};

// LATERAL TABLE(fn(args)) — a table function call.
struct LateralTable : FromItem {
  explicit LateralTable(SourceLocation l) : FromItem(FromKind::LateralTable, std::move(l)) {}
  ExprPtr call;  // a Call
};

enum class JoinKind { Comma, Cross, Inner, Left, Right, Full };

struct Join : FromItem {
  explicit Join(SourceLocation l) : FromItem(FromKind::Join, std::move(l)) {}
  JoinKind join = JoinKind::Cross;
  FromItemPtr left, right;
  ExprPtr on;  // may be null
  std::vector<std::string> using_columns;
  std::vector<SourceLocation> using_locs;  // where each USING column is written
};

struct Measure {
  ExprPtr expr;
  std::string alias;
  SourceLocation alias_loc;
};

enum class AfterMatchKind { Default, PastLastRow, ToNextRow, ToFirst, ToLast, ToVariable };

struct AfterMatch {
  AfterMatchKind kind = AfterMatchKind::Default;  // Default = not written (Flink: SKIP TO NEXT ROW)
  std::string variable;  // ToFirst / ToLast / ToVariable
  SourceLocation loc;
};

struct SubsetDef {
  std::string name;
  SourceLocation loc;
  std::vector<std::string> variables;
};

struct DefineClause {
  std::string variable;
  SourceLocation loc;
  ExprPtr condition;
};

enum class RowsPerMatch { Default, OneRow, AllRows };

struct MatchRecognize : FromItem {
  explicit MatchRecognize(SourceLocation l) : FromItem(FromKind::MatchRecognize, std::move(l)) {}
  FromItemPtr input;
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  std::vector<Measure> measures;
  RowsPerMatch rows_per_match = RowsPerMatch::Default;
  SourceLocation rows_per_match_loc;
  AfterMatch after_match;
  std::string pattern_text;     // exact source between PATTERN's parentheses
  SourceLocation pattern_loc;   // of the first character of pattern_text
  ExprPtr within;               // WITHIN INTERVAL ..., may be null
  std::vector<SubsetDef> subsets;
  std::vector<DefineClause> defines;
};

// ---------------------------------------------------------------- statements

enum class StatementKind { CreateTable, Insert, Set, Query, CreateView };

struct Statement {
  explicit Statement(StatementKind k, SourceLocation l) : kind(k), loc(std::move(l)) {}
  virtual ~Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  const StatementKind kind;
  SourceLocation loc;       // first token
  std::string source_text;  // the exact text of the statement (without the ';')
  template <class T> const T& as() const { return static_cast<const T&>(*this); }
  template <class T> T& as() { return static_cast<T&>(*this); }
};
using StatementPtr = std::unique_ptr<Statement>;

enum class ColumnKind { Physical, Metadata, Computed };

struct ColumnDef {
  ColumnKind kind = ColumnKind::Physical;
  std::string name;
  SourceLocation loc;
  Type type;  // Physical and Metadata (NOT NULL is in type.nullable)
  SourceLocation type_loc;
  std::optional<std::string> metadata_key;  // METADATA FROM 'key'
  bool is_virtual = false;                  // METADATA ... VIRTUAL
  ExprPtr computed;                         // Computed: name AS expr
  std::optional<std::string> comment;
  bool primary_key = false;  // declared with a column-level PRIMARY KEY
};

struct WatermarkDef {
  std::string column;
  SourceLocation column_loc;
  ExprPtr expr;
  SourceLocation loc;  // the WATERMARK keyword
};

struct PrimaryKeyDef {
  std::optional<std::string> constraint_name;
  std::vector<std::string> columns;
  std::vector<SourceLocation> column_locs;
  bool not_enforced = false;  // false = written without NOT ENFORCED (Flink rejects; Ananas warns)
  bool column_level = false;  // `id INT PRIMARY KEY` rather than a table constraint
  SourceLocation loc;         // the PRIMARY keyword (or CONSTRAINT)
};

struct TableOption {
  std::string key, value;
  SourceLocation key_loc, value_loc;
};

struct CreateTable : Statement {
  explicit CreateTable(SourceLocation l) : Statement(StatementKind::CreateTable, std::move(l)) {}
  std::vector<std::string> name;  // catalog.db.table parts
  SourceLocation name_loc;
  bool temporary = false;
  bool if_not_exists = false;
  std::vector<ColumnDef> columns;
  std::optional<WatermarkDef> watermark;
  std::optional<PrimaryKeyDef> primary_key;
  std::optional<std::string> comment;
  std::vector<std::string> partitioned_by;
  std::vector<TableOption> options;  // in the order written
  SourceLocation with_loc;
};

struct Insert : Statement {
  explicit Insert(SourceLocation l) : Statement(StatementKind::Insert, std::move(l)) {}
  bool overwrite = false;
  std::vector<std::string> target;
  SourceLocation target_loc;
  std::vector<std::string> columns;
  std::vector<SourceLocation> column_locs;
  QueryPtr query;
};

struct SetStatement : Statement {
  explicit SetStatement(SourceLocation l) : Statement(StatementKind::Set, std::move(l)) {}
  std::string key, value;
  SourceLocation key_loc, value_loc;
};

// CREATE [TEMPORARY] VIEW [IF NOT EXISTS] name [(c1, c2)] AS query. The view
// is a named query: `name`, `loc`, `columns` and `query` as a WITH query has them.
struct CreateView : Statement {
  explicit CreateView(SourceLocation l) : Statement(StatementKind::CreateView, std::move(l)) {}
  bool temporary = false;
  bool if_not_exists = false;
  CommonTableExpr view;
};

struct QueryStatement : Statement {
  explicit QueryStatement(SourceLocation l) : Statement(StatementKind::Query, std::move(l)) {}
  QueryPtr query;
};

}  // namespace ananas::sql
