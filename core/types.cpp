#include "core/types.hpp"

#include "core/schema.hpp"

namespace ananas {

bool Type::same_shape(const Type& o) const {
  if (id != o.id || length != o.length || precision != o.precision || scale != o.scale) return false;
  if (children.size() != o.children.size() || field_names != o.field_names) return false;
  for (size_t i = 0; i < children.size(); ++i)
    if (!children[i].same_shape(o.children[i])) return false;
  return true;
}

static bool plain_identifier(const std::string& s) {
  if (s.empty() || !(isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (unsigned char c : s)
    if (!(isalnum(c) || c == '_')) return false;
  return true;
}

static std::string quote_identifier(const std::string& s) {
  std::string out = "`";
  for (char c : s) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

static std::string render(const Type& t, bool flink_style) {
  std::string s;
  switch (t.id) {
    case TypeId::Null: s = "NULL"; break;
    case TypeId::Boolean: s = "BOOLEAN"; break;
    case TypeId::TinyInt: s = "TINYINT"; break;
    case TypeId::SmallInt: s = "SMALLINT"; break;
    case TypeId::Int: s = "INT"; break;
    case TypeId::BigInt: s = "BIGINT"; break;
    case TypeId::Float: s = "FLOAT"; break;
    case TypeId::Double: s = "DOUBLE"; break;
    case TypeId::Decimal: s = "DECIMAL(" + std::to_string(t.precision) + ", " + std::to_string(t.scale) + ")"; break;
    case TypeId::Char: s = "CHAR(" + std::to_string(t.length) + ")"; break;
    case TypeId::Varchar: s = t.length == kMaxVarcharLength ? "STRING" : "VARCHAR(" + std::to_string(t.length) + ")"; break;
    case TypeId::Binary: s = t.length == kMaxVarcharLength ? "BYTES" : "VARBINARY(" + std::to_string(t.length) + ")"; break;
    case TypeId::Date: s = "DATE"; break;
    case TypeId::Time: s = "TIME(" + std::to_string(t.precision) + ")"; break;
    case TypeId::Timestamp: s = "TIMESTAMP(" + std::to_string(t.precision) + ")"; break;
    case TypeId::TimestampLtz: s = "TIMESTAMP_LTZ(" + std::to_string(t.precision) + ")"; break;
    case TypeId::IntervalDayTime: s = "INTERVAL SECOND(3)"; break;
    case TypeId::IntervalYearMonth: s = "INTERVAL MONTH"; break;
    case TypeId::Array: s = "ARRAY<" + render(t.children.at(0), flink_style) + ">"; break;
    case TypeId::Map: s = "MAP<" + render(t.children.at(0), flink_style) + ", " + render(t.children.at(1), flink_style) + ">"; break;
    case TypeId::Row: {
      s = "ROW<";
      for (size_t i = 0; i < t.children.size(); ++i) {
        if (i) s += ", ";
        const std::string& n = t.field_names.at(i);
        s += (flink_style || !plain_identifier(n)) ? quote_identifier(n) : n;
        s += " " + render(t.children[i], flink_style);
      }
      s += ">";
      break;
    }
  }
  if (!t.nullable && t.id != TypeId::Null) s += " NOT NULL";
  if (flink_style && t.time_attr == TimeAttr::Rowtime) s += " *ROWTIME*";
  if (flink_style && t.time_attr == TimeAttr::Proctime) s += " *PROCTIME*";
  return s;
}

std::string Type::to_string() const { return render(*this, true); }
std::string Type::to_sql() const { return render(*this, false); }

std::string Schema::to_string() const {
  std::string s = "(";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) s += ", ";
    s += columns[i].name + " " + columns[i].type.to_string();
  }
  return s + ")";
}

}  // namespace ananas
