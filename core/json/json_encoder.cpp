#include "core/json/json_encoder.hpp"

#include <charconv>
#include <cmath>

#include "core/json/java_number_text.hpp"
#include "core/json/json_text.hpp"
#include "core/timefmt.hpp"

namespace ananas {

namespace {

void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, end);
}

// Jackson's default WRITE_NAN_AS_STRINGS quotes the non-finite values.
bool append_non_finite(std::string& out, double d) {
  if (std::isnan(d)) out.append("\"NaN\"");
  else if (std::isinf(d)) out.append(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  else return false;
  return true;
}

void append_decimal(std::string& out, const Value& v, int scale, const JsonEncodeOptions& options) {
  __int128 unscaled = v.unscaled();
  if (options.decimal_strip_trailing_zeros) strip_trailing_zeros(unscaled, scale);
  if (options.decimal_as_plain_number) append_big_decimal_plain(out, unscaled, scale);
  else append_big_decimal(out, unscaled, scale);
}

// A MAP key becomes a member name: its text for strings, its JSON spelling
// otherwise (Flink only allows string-like keys; see json_unsupported_type).
void append_map_key(std::string& out, const Value& key, const Type& key_type, const JsonEncodeOptions& options) {
  if (key.kind == ValueKind::String) {
    append_json_string(out, key.as_string());
    return;
  }
  std::string text;
  encode_value(key, key_type, text, options);
  if (!text.empty() && text.front() == '"') out.append(text);
  else append_json_string(out, text);
}

}  // namespace

void encode_value(const Value& v, const Type& type, std::string& out, const JsonEncodeOptions& options) {
  if (v.is_null()) {
    out.append("null");
    return;
  }
  switch (type.id) {
    case TypeId::Null: out.append("null"); return;
    case TypeId::Boolean: out.append(v.as_bool() ? "true" : "false"); return;
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Int:
    case TypeId::BigInt:
    case TypeId::IntervalDayTime:
    case TypeId::IntervalYearMonth:
      append_int(out, v.kind == ValueKind::Double ? static_cast<int64_t>(v.as_double()) : v.as_int());
      return;
    case TypeId::Float: {
      const double d = v.kind == ValueKind::Int ? static_cast<double>(v.as_int()) : v.as_double();
      if (!append_non_finite(out, d)) append_java_float(out, static_cast<float>(d));
      return;
    }
    case TypeId::Double: {
      const double d = v.kind == ValueKind::Int ? static_cast<double>(v.as_int()) : v.as_double();
      if (!append_non_finite(out, d)) append_java_double(out, d);
      return;
    }
    case TypeId::Decimal: append_decimal(out, v, type.scale, options); return;
    case TypeId::Char:
    case TypeId::Varchar: append_json_string(out, v.as_string()); return;
    case TypeId::Binary: {
      std::string b64;
      append_base64(b64, v.as_string());
      append_json_string(out, b64);
      return;
    }
    case TypeId::Date:
      out.push_back('"');
      append_date(out, v.as_int());
      out.push_back('"');
      return;
    case TypeId::Time:
      // Flink builds LocalTime.ofSecondOfDay(millis / 1000): the fraction is dropped.
      out.push_back('"');
      out.append(format_time(v.as_int() / 1000 * 1000, 0));
      out.push_back('"');
      return;
    case TypeId::Timestamp:
    case TypeId::TimestampLtz:
      out.push_back('"');
      append_timestamp_json(out, v.as_int(), options.timestamp_iso8601, v.nano_of_milli());
      if (type.id == TypeId::TimestampLtz) out.push_back('Z');
      out.push_back('"');
      return;
    case TypeId::Array: {
      out.push_back('[');
      const Type& element = type.children.at(0);
      bool first = true;
      for (const Value& e : v.elements()) {
        if (!first) out.push_back(',');
        first = false;
        encode_value(e, element, out, options);
      }
      out.push_back(']');
      return;
    }
    case TypeId::Row: {
      out.push_back('{');
      const auto fields = v.elements();
      bool first = true;
      for (size_t i = 0; i < type.children.size() && i < fields.size(); ++i) {
        if (options.ignore_null_fields && fields[i].is_null()) continue;
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, type.field_names.at(i));
        out.push_back(':');
        encode_value(fields[i], type.children[i], out, options);
      }
      out.push_back('}');
      return;
    }
    case TypeId::Map: {
      out.push_back('{');
      const auto kv = v.elements();
      bool first = true;
      for (size_t i = 0; i + 1 < kv.size(); i += 2) {
        if (options.ignore_null_fields && kv[i + 1].is_null()) continue;
        if (!first) out.push_back(',');
        first = false;
        append_map_key(out, kv[i], type.children.at(0), options);
        out.push_back(':');
        encode_value(kv[i + 1], type.children.at(1), out, options);
      }
      out.push_back('}');
      return;
    }
  }
  out.append("null");
}

void encode_row(const Value* row, const std::vector<EncodedColumn>& cols, std::string& out,
                const JsonEncodeOptions& options) {
  out.push_back('{');
  bool first = true;
  Arena converted;  // a converted DECIMAL of 128 bits lives here until written; allocates only then
  expr::EvalContext ctx;
  ctx.arena = &converted;
  for (const EncodedColumn& c : cols) {
    // Widening numbers cannot fail; a DECIMAL that does not fit its column is NULL, as Flink's CAST makes it.
    const Value v = c.convert ? c.convert->eval(row, ctx) : row[c.source_index];
    if (options.ignore_null_fields && v.is_null()) continue;
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, c.name);
    out.push_back(':');
    encode_value(v, c.type, out, options);
  }
  out.push_back('}');
}

std::optional<std::string> json_unsupported_type(const Type& type) {
  switch (type.id) {
    case TypeId::IntervalDayTime:
    case TypeId::IntervalYearMonth:
      return "JSON format doesn't support " + type.to_string();
    case TypeId::Map:
      if (!type.children.at(0).is_character())
        return "JSON format doesn't support non-string as key type of map: " + type.to_string();
      break;
    default: break;
  }
  for (const Type& child : type.children)
    if (auto e = json_unsupported_type(child)) return e;
  return std::nullopt;
}

}  // namespace ananas
