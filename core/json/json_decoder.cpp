#include "core/json/json_decoder.hpp"

#include <simdjson.h>

#include <cstring>
#include <stdexcept>

#include "core/json/json_scalar.hpp"
#include "core/json/json_text.hpp"

namespace ananas {

namespace sj = simdjson::ondemand;

namespace {

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

enum class Outcome { Ok, FieldError, Malformed };

struct PathSegment {
  std::string_view name;  // empty for an array index
  size_t index = 0;
};

std::string_view trim_json_space(std::string_view s) {
  while (!s.empty() && is_json_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_json_space(s.back())) s.remove_suffix(1);
  return s;
}

// Short, human wording for the simdjson errors a bad record can produce.
std::string_view describe(simdjson::error_code e) {
  switch (e) {
    case simdjson::TAPE_ERROR: return "improper structure (missing or extra comma, colon, brace or key)";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return "incomplete object or array";
    case simdjson::STRING_ERROR: return "invalid string (bad escape or lone surrogate)";
    case simdjson::NUMBER_ERROR: return "invalid number";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR: return "invalid literal";
    case simdjson::UTF8_ERROR: return "invalid UTF-8";
    case simdjson::DEPTH_ERROR: return "nested too deeply";
    case simdjson::UNESCAPED_CHARS: return "unescaped control character in string";
    case simdjson::UNCLOSED_STRING: return "unclosed string";
    case simdjson::EMPTY: return "no JSON value";
    default: return simdjson::error_message(e);
  }
}

// The top-level kind from the first character of a complete value.
std::string_view kind_of_first_char(char c) {
  switch (c) {
    case '{': return "object";
    case '[': return "array";
    case '"': return "string";
    case 't':
    case 'f': return "boolean";
    case 'n': return "null";
    default: return (c == '-' || (c >= '0' && c <= '9')) ? "number" : "";
  }
}

std::string type_label(const Type& t) {
  switch (t.id) {
    case TypeId::Array: return "ARRAY";
    case TypeId::Row: return "ROW";
    case TypeId::Map: return "MAP";
    default: return t.with_nullable(true).to_string();
  }
}

}  // namespace

struct JsonRowDecoder::Impl {
  explicit Impl(const JsonDecodeOptions& o) : options(o) {}

  const JsonDecodeOptions& options;
  sj::parser parser;
  sj::document doc;
  JsonFirstValue first;
  std::vector<char> record;  // the fast path's padded copy of the whole record
  // Set when On Demand skipped the rest of a value it had begun to read (a
  // field error made NULL by ignore-parse-errors) and so checked only its
  // depth, so the fast path must confirm the record's bracket structure
  // before trusting it.
  bool skipped_unchecked = false;
  std::vector<PathSegment> path;
  std::string error;
  Arena* arena = nullptr;

  std::string path_text() const {
    std::string out;
    for (size_t i = 0; i < path.size(); ++i) {
      if (path[i].name.empty()) {
        out += '[' + std::to_string(path[i].index) + ']';
      } else if (i == 0) {
        out += "field '";
        out += path[i].name;
        out += '\'';
      } else {
        out += '.';
        out += path[i].name;
      }
    }
    return out;
  }

  Outcome malformed(simdjson::error_code e) {
    error = "malformed JSON";
    const char* loc = nullptr;
    if (!doc.current_location().get(loc) && loc >= first.data() && loc <= first.data() + first.text().size())
      error += " at byte " + std::to_string(first.input_offset(static_cast<size_t>(loc - first.data())));
    error += ": ";
    error += describe(e);
    return Outcome::Malformed;
  }

  Outcome malformed_token(std::string_view what, std::string_view token) {
    error = "malformed JSON at byte " + std::to_string(first.input_offset(static_cast<size_t>(token.data() - first.data()))) +
            ": " + std::string(what) + " '" + std::string(token.substr(0, 40)) + "'";
    return Outcome::Malformed;
  }

  Outcome field_error(const Type& type, std::string_view got) {
    error = path_text();
    if (error.empty()) error = "value";
    error += ": expected " + type_label(type) + ", got " + std::string(got);
    return Outcome::FieldError;
  }

  Outcome scalar_field_error(const Type& type, const JsonScalar& s) {
    if (s.kind == JsonKind::Object || s.kind == JsonKind::Array) return field_error(type, json_kind_name(s.kind));
    std::string got;
    if (s.kind == JsonKind::String) {
      std::string_view text = s.text;
      bool cut = false;
      if (text.size() > 60) {
        size_t n = 60;
        while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // keep UTF-8 whole
        text = text.substr(0, n);
        cut = true;
      }
      append_json_string(got, text);
      if (cut) got.insert(got.size() - 1, "...");
    } else {
      got = s.text.substr(0, 60);
    }
    return field_error(type, got);
  }

  // Flink wraps every converter in a null check that, with
  // ignore-parse-errors, turns a failed conversion into NULL (at any depth).
  Outcome decode_value(sj::value v, const Type& type, Value& out) {
    Outcome r = convert_value(v, type, out);
    if (r == Outcome::FieldError && options.ignore_parse_errors) {
      out = Value::null();
      error.clear();
      skipped_unchecked = true;  // the rest of the value is skipped
      return Outcome::Ok;
    }
    return r;
  }

  // A member nobody reads: the same checks and errors as decode_value, no
  // value kept. A character column takes any JSON value, so the only errors
  // are malformed JSON: a string is unescaped (bad escapes fail, as they do
  // when it is decoded) but not copied into the arena.
  Outcome check_value(sj::value v, const Type& type) {
    if (!type.is_character()) {
      Value unused;
      return decode_value(v, type, unused);
    }
    sj::json_type jt;
    if (auto e = v.type().get(jt)) return malformed(e);
    if (jt == sj::json_type::object || jt == sj::json_type::array) {
      std::string compact;
      return append_compact(v, compact);
    }
    JsonScalar s;
    return read_scalar(v, jt, s);
  }

  Outcome read_scalar(sj::value v, sj::json_type jt, JsonScalar& s) {
    if (jt == sj::json_type::string) {
      std::string_view text;
      if (auto e = v.get_string().get(text)) return malformed(e);
      s = {JsonKind::String, text};
      return Outcome::Ok;
    }
    std::string_view token = trim_json_space(v.raw_json_token());
    switch (jt) {
      case sj::json_type::number:
        if (!is_json_number(token)) return malformed_token("invalid number", token);
        s = {JsonKind::Number, token};
        return Outcome::Ok;
      case sj::json_type::boolean:
        if (token != "true" && token != "false") return malformed_token("invalid literal", token);
        s = {JsonKind::Bool, token};
        return Outcome::Ok;
      default:
        if (token != "null") return malformed_token("invalid literal", token);
        s = {JsonKind::Null, token};
        return Outcome::Ok;
    }
  }

  Outcome convert_value(sj::value v, const Type& type, Value& out) {
    sj::json_type jt;
    if (auto e = v.type().get(jt)) return malformed(e);
    if (jt == sj::json_type::object || jt == sj::json_type::array) {
      const bool is_object = jt == sj::json_type::object;
      if (type.is_character()) {
        std::string compact;
        if (Outcome r = append_compact(v, compact); r != Outcome::Ok) return r;
        out = Value::string(arena->copy(compact));
        return Outcome::Ok;
      }
      if (is_object && type.id == TypeId::Row) return decode_row(v, type, out);
      if (is_object && type.id == TypeId::Map) return decode_map(v, type, out);
      if (!is_object && type.id == TypeId::Array) return decode_array(v, type, out);
      return field_error(type, is_object ? "object" : "array");
    }
    JsonScalar s;
    if (Outcome r = read_scalar(v, jt, s); r != Outcome::Ok) return r;
    if (s.kind == JsonKind::Null) {
      out = Value::null();
      return Outcome::Ok;
    }
    if (type.is_nested()) return scalar_field_error(type, s);
    if (!convert_json_scalar(s, type, options.timestamp_iso8601, *arena, out)) return scalar_field_error(type, s);
    return Outcome::Ok;
  }

  Outcome decode_array(sj::value v, const Type& type, Value& out) {
    sj::array arr;
    if (auto e = v.get_array().get(arr)) return malformed(e);
    size_t n = 0;
    if (auto e = arr.count_elements().get(n)) return malformed(e);
    Value* cells = arena->allocate_array<Value>(n);
    size_t i = 0;
    for (auto element : arr) {
      sj::value ev;
      if (auto e = element.get(ev)) return malformed(e);
      if (i >= n) return malformed(simdjson::TAPE_ERROR);
      cells[i] = Value::null();
      path.push_back({{}, i});
      Outcome r = decode_value(ev, type.children.at(0), cells[i]);
      path.pop_back();
      if (r != Outcome::Ok) return r;
      ++i;
    }
    if (i != n) return malformed(simdjson::TAPE_ERROR);
    out = Value::array(cells, static_cast<uint32_t>(n));
    return Outcome::Ok;
  }

  // Members matched by exact name; unknown members skipped; the last of
  // duplicate members wins; absent members stay NULL unless fail-on-missing.
  template <class Member>
  Outcome decode_members(sj::object obj, size_t count, Member member) {
    std::vector<bool> seen(options.fail_on_missing_field ? count : 0, false);
    for (size_t i = 0; i < count; ++i) *member(i).cell = Value::null();
    for (auto field_result : obj) {
      sj::field field;
      if (auto e = std::move(field_result).get(field)) return malformed(e);
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return malformed(e);
      bool matched = false;
      for (size_t i = 0; i < count && !matched; ++i) {
        auto m = member(i);
        if (*m.name != key) continue;
        matched = true;
        path.push_back({*m.name, 0});
        Outcome r = m.keep ? decode_value(field.value(), *m.type, *m.cell) : check_value(field.value(), *m.type);
        path.pop_back();
        if (r != Outcome::Ok) return r;
        if (!seen.empty()) seen[i] = true;
      }
      if (!matched)
        if (Outcome r = skip_value(field.value()); r != Outcome::Ok) return r;
    }
    for (size_t i = 0; i < seen.size(); ++i) {
      if (seen[i]) continue;
      path.push_back({*member(i).name, 0});
      error = path_text() + ": missing (fail-on-missing-field is set)";
      path.pop_back();
      return Outcome::FieldError;
    }
    return Outcome::Ok;
  }

  // An unknown member's value, read through without keeping it, so that On
  // Demand checks its grammar as Jackson does when it skips a value. Left
  // unread, On Demand would skip it by counting brackets only: `[1}` or
  // `{"y": "a": 1}` passed, and a string followed by ':' was taken for a key
  // and swallowed what followed (`{"x": "a": [1}, {"i": 2}], "i": 5}` gave a
  // row where Flink fails the record; found by fuzz/json_record).
  Outcome skip_value(sj::value v) {
    sj::json_type jt;
    if (auto e = v.type().get(jt)) return malformed(e);
    if (jt == sj::json_type::object) {
      sj::object obj;
      if (auto e = v.get_object().get(obj)) return malformed(e);
      for (auto field_result : obj) {
        sj::field field;
        if (auto e = std::move(field_result).get(field)) return malformed(e);
        if (Outcome r = skip_value(field.value()); r != Outcome::Ok) return r;
      }
      return Outcome::Ok;
    }
    if (jt == sj::json_type::array) {
      sj::array arr;
      if (auto e = v.get_array().get(arr)) return malformed(e);
      for (auto element : arr) {
        sj::value ev;
        if (auto e = element.get(ev)) return malformed(e);
        if (Outcome r = skip_value(ev); r != Outcome::Ok) return r;
      }
      return Outcome::Ok;
    }
    if (jt == sj::json_type::string) {
      // Not unescaped: a skipped string costs no copy (Jackson does not
      // decode it either).
      sj::raw_json_string raw;
      if (auto e = v.get_raw_json_string().get(raw)) return malformed(e);
      return Outcome::Ok;
    }
    JsonScalar s;
    return read_scalar(v, jt, s);
  }

  struct MemberRef {
    const std::string* name;
    const Type* type;
    Value* cell;
    bool keep = true;  // false: checked only, the cell stays NULL (JsonField::keep)
  };

  Outcome decode_row(sj::value v, const Type& type, Value& out) {
    sj::object obj;
    if (auto e = v.get_object().get(obj)) return malformed(e);
    const size_t n = type.children.size();
    Value* cells = arena->allocate_array<Value>(n);
    Outcome r = decode_members(obj, n, [&](size_t i) {
      return MemberRef{&type.field_names.at(i), &type.children[i], &cells[i]};
    });
    if (r != Outcome::Ok) return r;
    out = Value::row(cells, static_cast<uint32_t>(n));
    return Outcome::Ok;
  }

  Outcome decode_map(sj::value v, const Type& type, Value& out) {
    sj::object obj;
    if (auto e = v.get_object().get(obj)) return malformed(e);
    std::vector<Value> kv;
    std::vector<std::string_view> keys;  // Jackson's ObjectNode keeps one entry per key, the last value
    for (auto field_result : obj) {
      sj::field field;
      if (auto e = std::move(field_result).get(field)) return malformed(e);
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return malformed(e);
      Value key_value;
      path.push_back({key, 0});
      if (!convert_json_scalar({JsonKind::String, key}, type.children.at(0), options.timestamp_iso8601, *arena, key_value)) {
        Outcome r = scalar_field_error(type.children[0], {JsonKind::String, key});
        path.pop_back();
        if (options.ignore_parse_errors) {
          error.clear();
          if (Outcome skipped = skip_value(field.value()); skipped != Outcome::Ok) return skipped;
          continue;
        }
        return r;
      }
      Value value;
      Outcome r = decode_value(field.value(), type.children.at(1), value);
      path.pop_back();
      if (r != Outcome::Ok) return r;
      size_t slot = 0;
      while (slot < keys.size() && keys[slot] != key) ++slot;
      if (slot == keys.size()) {
        keys.push_back(key);
        kv.push_back(key_value);
        kv.push_back(value);
      } else {
        kv[2 * slot + 1] = value;
      }
    }
    Value* cells = arena->allocate_array<Value>(kv.size());
    std::copy(kv.begin(), kv.end(), cells);
    out = Value::map(cells, static_cast<uint32_t>(keys.size()));
    return Outcome::Ok;
  }

  // Compact JSON text of a value (VARCHAR from object/array, Flink: JsonToRowDataConverters), with
  // strings re-escaped as Jackson writes them; number tokens are kept as written.
  Outcome append_compact(sj::value v, std::string& out) {
    sj::json_type jt;
    if (auto e = v.type().get(jt)) return malformed(e);
    if (jt == sj::json_type::object) {
      sj::object obj;
      if (auto e = v.get_object().get(obj)) return malformed(e);
      out.push_back('{');
      bool first_member = true;
      for (auto field_result : obj) {
        sj::field field;
        if (auto e = std::move(field_result).get(field)) return malformed(e);
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return malformed(e);
        if (!first_member) out.push_back(',');
        first_member = false;
        append_json_string(out, key);
        out.push_back(':');
        if (Outcome r = append_compact(field.value(), out); r != Outcome::Ok) return r;
      }
      out.push_back('}');
      return Outcome::Ok;
    }
    if (jt == sj::json_type::array) {
      sj::array arr;
      if (auto e = v.get_array().get(arr)) return malformed(e);
      out.push_back('[');
      bool first_element = true;
      for (auto element : arr) {
        sj::value ev;
        if (auto e = element.get(ev)) return malformed(e);
        if (!first_element) out.push_back(',');
        first_element = false;
        if (Outcome r = append_compact(ev, out); r != Outcome::Ok) return r;
      }
      out.push_back(']');
      return Outcome::Ok;
    }
    JsonScalar s;
    if (Outcome r = read_scalar(v, jt, s); r != Outcome::Ok) return r;
    if (s.kind == JsonKind::String) append_json_string(out, s.text);
    else out.append(s.text);
    return Outcome::Ok;
  }
};

JsonRowDecoder::JsonRowDecoder(const Schema& physical_columns, JsonDecodeOptions options)
    : JsonRowDecoder(
          [&] {
            std::vector<JsonField> f;
            for (size_t i = 0; i < physical_columns.size(); ++i)
              f.push_back({i, physical_columns[i].name, physical_columns[i].type});
            return f;
          }(),
          physical_columns.size(), options) {}

JsonRowDecoder::JsonRowDecoder(std::vector<JsonField> fields, size_t row_width, JsonDecodeOptions options)
    : fields_(std::move(fields)), row_width_(row_width), options_(options), scratch_row_(row_width) {
  if (options_.fail_on_missing_field && options_.ignore_parse_errors)
    throw std::invalid_argument("fail-on-missing-field and ignore-parse-errors shouldn't both be true.");
  for (const JsonField& f : fields_)
    if (f.out_index >= row_width_)
      throw std::invalid_argument("JSON field '" + f.name + "' has output index " + std::to_string(f.out_index) +
                                  " beyond the row width " + std::to_string(row_width_));
  impl_ = std::make_unique<Impl>(options_);
}

JsonRowDecoder::~JsonRowDecoder() = default;

bool JsonRowDecoder::decode_whole_record(std::string_view value, Value* row) {
  Impl& im = *impl_;
  size_t start = 0;
  while (start < value.size() && is_json_space(value[start])) ++start;
  if (start == value.size() || value[start] != '{') return false;  // only objects make rows

  // simdjson reads up to SIMDJSON_PADDING bytes past the end; zeroed padding
  // also keeps a previous record's '}' from looking like part of this one.
  if (im.record.size() < value.size() + simdjson::SIMDJSON_PADDING)
    im.record.resize(value.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(im.record.data(), value.data(), value.size());
  std::memset(im.record.data() + value.size(), 0, simdjson::SIMDJSON_PADDING);

  // Stage 1 validates the UTF-8 of the whole record and rejects raw control
  // characters in strings; either sends the record to the slow path.
  simdjson::padded_string_view padded(im.record.data(), value.size(), im.record.size());
  if (im.parser.iterate(padded).get(im.doc)) return false;
  sj::object obj;
  if (im.doc.get_object().get(obj)) return false;
  im.skipped_unchecked = false;
  Outcome r = im.decode_members(obj, fields_.size(), [&](size_t i) {
    return Impl::MemberRef{&fields_[i].name, &fields_[i].type, &row[fields_[i].out_index], fields_[i].keep};
  });
  if (r != Outcome::Ok) return false;
  // Anything after the object (Jackson ignores it) is the slow path's business.
  if (im.doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return false;
  return !im.skipped_unchecked || JsonFirstValue::is_one_container(value);
}

JsonDecodeResult JsonRowDecoder::decode(std::optional<std::string_view> value, Value* row, Arena& arena) {
  if (!value || value->empty()) return {JsonDecodeStatus::NoRow, {}};
  impl_->arena = &arena;
  if (decode_whole_record(*value, row)) return {JsonDecodeStatus::Row, {}};
  return decode_first_value(*value, row);
}

JsonDecodeResult JsonRowDecoder::decode_without_fast_path(std::optional<std::string_view> value, Value* row,
                                                          Arena& arena) {
  if (!value || value->empty()) return {JsonDecodeStatus::NoRow, {}};
  impl_->arena = &arena;
  return decode_first_value(*value, row);
}

JsonDecodeResult JsonRowDecoder::decode_first_value(std::string_view value, Value* row) {
  Impl& im = *impl_;
  im.path.clear();
  im.error.clear();
  const JsonDecodeStatus fatal = options_.ignore_parse_errors ? JsonDecodeStatus::Skipped : JsonDecodeStatus::Error;

  if (!im.first.scan(value))
    return {fatal, "malformed JSON at byte " + std::to_string(im.first.error_offset()) + ": " + im.first.error()};
  if (auto bad = find_invalid_utf8(im.first.text()))
    return {fatal, "value is not valid UTF-8 at byte " + std::to_string(im.first.input_offset(*bad))};

  const char c = im.first.first_char();
  if (c != '{') {
    const std::string_view kind = kind_of_first_char(c);
    // A JSON null converts to a null row, which Flink drops silently.
    if (kind == "null" && im.first.text() == "null") return {JsonDecodeStatus::NoRow, {}};
    if (kind.empty() || (kind == "null"))
      return {fatal, "malformed JSON at byte " + std::to_string(im.first.input_offset(0)) + ": unexpected '" +
                         std::string(im.first.text().substr(0, 20)) + "'"};
    return {fatal, "top-level JSON value must be an object, got " + std::string(kind)};
  }

  simdjson::padded_string_view padded(im.first.data(), im.first.text().size(), im.first.capacity());
  if (auto e = im.parser.iterate(padded).get(im.doc)) return {fatal, "malformed JSON: " + std::string(describe(e))};
  sj::object obj;
  if (auto e = im.doc.get_object().get(obj)) {
    im.malformed(e);
    return {fatal, im.error};
  }
  Outcome r = im.decode_members(obj, fields_.size(), [&](size_t i) {
    return Impl::MemberRef{&fields_[i].name, &fields_[i].type, &row[fields_[i].out_index], fields_[i].keep};
  });
  if (r == Outcome::Ok) return {JsonDecodeStatus::Row, {}};
  // Field errors only reach here without ignore-parse-errors (they become NULL otherwise).
  return {r == Outcome::Malformed ? fatal : JsonDecodeStatus::Error, im.error};
}

JsonDecodeResult JsonRowDecoder::decode_append(std::optional<std::string_view> value, Batch& batch, RowKind kind) {
  std::fill(scratch_row_.begin(), scratch_row_.end(), Value::null());
  JsonDecodeResult result = decode(value, scratch_row_.data(), batch.arena());
  if (result.ok()) batch.append_row(scratch_row_.data(), kind);
  return result;
}

}  // namespace ananas
