// String functions. Positions and lengths count code points, as Flink does;
// results are written into the evaluation arena.
#include <clocale>
#include <cstring>
#include <cwctype>
#include <locale.h>
#include <wctype.h>

#include "core/expr/builders.hpp"
#include "core/expr/coerce.hpp"
#include "core/expr/functions.hpp"
#include "core/expr/nodes.hpp"
#include "core/expr/utf8.hpp"

namespace ananas::expr {

using namespace detail;

namespace {

Type string_result(const Args& args) { return Type::string().with_nullable(nullable_args(args)); }

std::string& scratch() {
  thread_local std::string s;
  s.clear();
  return s;
}

// Unicode simple case mapping from the C library's UTF-8 locale data (no
// global locale change); ASCII when that locale is missing.
locale_t utf8_locale() {
  static locale_t loc = [] {
    locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    return l;
  }();
  return loc;
}

char32_t map_case(char32_t cp, bool to_upper) {
  if (cp < 0x80) {
    if (to_upper && cp >= 'a' && cp <= 'z') return cp - 32;
    if (!to_upper && cp >= 'A' && cp <= 'Z') return cp + 32;
    return cp;
  }
  locale_t loc = utf8_locale();
  if (loc == static_cast<locale_t>(nullptr)) return cp;
  return static_cast<char32_t>(to_upper ? towupper_l(static_cast<wint_t>(cp), loc) : towlower_l(static_cast<wint_t>(cp), loc));
}

bool is_alnum_cp(char32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  locale_t loc = utf8_locale();
  return loc != static_cast<locale_t>(nullptr) && iswalnum_l(static_cast<wint_t>(cp), loc);
}

// mode: 0 lower, 1 upper, 2 initcap
Value case_mapped(std::string_view s, int mode, EvalContext& ctx) {
  std::string& out = scratch();
  bool word_start = true;
  char buf[4];
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8::char_bytes(s, i);
    char32_t cp = utf8::decode(s, i);
    bool upper = mode == 1 || (mode == 2 && word_start);
    if (n == 1 && static_cast<unsigned char>(s[i]) >= 0x80) {
      out += s[i];  // an invalid byte is kept as it is
    } else {
      char32_t mapped = map_case(cp, upper);
      out.append(buf, utf8::encode(mapped, buf));
    }
    if (mode == 2) word_start = !is_alnum_cp(cp);
    i += n;
  }
  return arena_string(ctx, out);
}

CompiledExprPtr build_case(Args& args, const SourceLocation& loc, const char* fn, int mode) {
  require_character(args, 0, fn, loc);
  return make_unary(string_result(args), args[0], [mode](const Value& v, EvalContext& ctx) { return case_mapped(v.as_string(), mode, ctx); });
}

CompiledExprPtr build_upper(Args& a, const SourceLocation& l) { return build_case(a, l, "UPPER", 1); }
CompiledExprPtr build_lower(Args& a, const SourceLocation& l) { return build_case(a, l, "LOWER", 0); }
CompiledExprPtr build_initcap(Args& a, const SourceLocation& l) { return build_case(a, l, "INITCAP", 2); }

CompiledExprPtr build_char_length(Args& args, const SourceLocation& loc) {
  require_character(args, 0, "CHAR_LENGTH", loc);
  return make_unary(Type::integer().with_nullable(nullable_args(args)), args[0], [](const Value& v, EvalContext&) {
    return Value::integer(static_cast<int64_t>(utf8::count(v.as_string())));
  });
}

// Removes leading and/or trailing code points that occur in `chars`.
std::string_view trim_chars(std::string_view s, std::string_view chars, TrimMode mode) {
  auto in_set = [&](size_t pos, size_t n) {
    std::string_view c = s.substr(pos, n);
    for (size_t k = 0; k < chars.size(); k += utf8::char_bytes(chars, k))
      if (chars.substr(k, utf8::char_bytes(chars, k)) == c) return true;
    return false;
  };
  size_t begin = 0, end = s.size();
  if (mode != TrimMode::Trailing)
    while (begin < end && in_set(begin, utf8::char_bytes(s, begin))) begin += utf8::char_bytes(s, begin);
  if (mode != TrimMode::Leading) {
    while (end > begin) {
      size_t start = end - 1;
      while (start > begin && (static_cast<unsigned char>(s[start]) & 0xc0) == 0x80) --start;
      if (!in_set(start, end - start)) break;
      end = start;
    }
  }
  return s.substr(begin, end - begin);
}

CompiledExprPtr trim_node(TrimMode mode, CompiledExprPtr chars, CompiledExprPtr operand, Type t) {
  // Results are views of the input: no copy needed.
  return make_binary(t, std::move(operand), std::move(chars), [mode](const Value& s, const Value& c, EvalContext&) {
    return Value::string(trim_chars(s.as_string(), c.as_string(), mode));
  });
}

CompiledExprPtr build_trim_default(Args& args, const SourceLocation& loc) {
  require_character(args, 0, "TRIM", loc);
  return trim_node(TrimMode::Both, string_literal(" "), args[0], string_result(args));
}
CompiledExprPtr build_ltrim(Args& args, const SourceLocation& loc) {
  require_character(args, 0, "LTRIM", loc);
  if (args.size() > 1) require_character(args, 1, "LTRIM", loc);
  return trim_node(TrimMode::Leading, args.size() > 1 ? args[1] : string_literal(" "), args[0], string_result(args));
}
CompiledExprPtr build_rtrim(Args& args, const SourceLocation& loc) {
  require_character(args, 0, "RTRIM", loc);
  if (args.size() > 1) require_character(args, 1, "RTRIM", loc);
  return trim_node(TrimMode::Trailing, args.size() > 1 ? args[1] : string_literal(" "), args[0], string_result(args));
}

// SUBSTRING(s, pos [, len]): 1-based; pos <= 0 counts from the end like Flink (0 = 1).
std::string_view substring_of(std::string_view s, int64_t pos, int64_t len, bool has_len) {
  int64_t n = static_cast<int64_t>(utf8::count(s));
  int64_t start = pos > 0 ? pos - 1 : (pos < 0 ? n + pos : 0);
  int64_t end = has_len ? start + len : n;
  if (start < 0) start = 0;
  if (end > n) end = n;
  if (start >= end) return {};
  size_t b = utf8::offset_of(s, static_cast<size_t>(start));
  size_t e = b + utf8::offset_of(s.substr(b), static_cast<size_t>(end - start));
  return s.substr(b, e - b);
}

CompiledExprPtr build_substring(Args& args, const SourceLocation& loc) {
  require_character(args, 0, "SUBSTRING", loc);
  require_integer(args, 1, "SUBSTRING", loc);
  if (args.size() == 3) require_integer(args, 2, "SUBSTRING", loc);
  bool has_len = args.size() == 3;
  return make_nary(string_result(args), args, [has_len](const Value* v, size_t, EvalContext&) {
    int64_t len = has_len ? v[2].as_int() : 0;
    if (has_len && len < 0) return Value::null();
    return Value::string(substring_of(v[0].as_string(), v[1].as_int(), len, has_len));
  }, true, loc);
}

// 1-based code point position of `needle` in `hay` at or after code point `from`, 0 if absent.
int64_t locate(std::string_view needle, std::string_view hay, int64_t from) {
  if (from < 1) return 0;
  size_t start = utf8::offset_of(hay, static_cast<size_t>(from - 1));
  if (start > hay.size()) return 0;
  size_t at = hay.find(needle, start);
  if (at == std::string_view::npos) return 0;
  return static_cast<int64_t>(utf8::count(hay.substr(0, at))) + 1;
}

CompiledExprPtr build_position(Args& args, const SourceLocation& loc) {
  require_character(args, 0, "POSITION", loc);
  require_character(args, 1, "POSITION", loc);
  return make_binary(Type::integer().with_nullable(nullable_args(args)), args[0], args[1], [](const Value& n, const Value& h, EvalContext&) {
    return Value::integer(locate(n.as_string(), h.as_string(), 1));
  });
}

CompiledExprPtr build_locate(Args& args, const SourceLocation& loc) {
  require_character(args, 0, "LOCATE", loc);
  require_character(args, 1, "LOCATE", loc);
  if (args.size() == 3) require_integer(args, 2, "LOCATE", loc);
  bool has_from = args.size() == 3;
  return make_nary(Type::integer().with_nullable(nullable_args(args)), args, [has_from](const Value* v, size_t, EvalContext&) {
    return Value::integer(locate(v[0].as_string(), v[1].as_string(), has_from ? v[2].as_int() : 1));
  }, true, loc);
}

CompiledExprPtr build_replace(Args& args, const SourceLocation& loc) {
  for (size_t i = 0; i < 3; ++i) require_character(args, i, "REPLACE", loc);
  return make_nary(string_result(args), args, [](const Value* v, size_t, EvalContext& ctx) {
    std::string_view s = v[0].as_string(), from = v[1].as_string(), to = v[2].as_string();
    if (from.empty() || s.find(from) == std::string_view::npos) return v[0];
    std::string& out = scratch();
    size_t pos = 0;
    for (size_t at; (at = s.find(from, pos)) != std::string_view::npos; pos = at + from.size()) {
      out.append(s.substr(pos, at - pos));
      out.append(to);
    }
    out.append(s.substr(pos));
    return arena_string(ctx, out);
  }, true, loc);
}

// Non-string arguments are printed as CAST(x AS STRING) would.
Args as_strings(Args& args) {
  Args out;
  for (auto& a : args)
    out.push_back(a->type().is_character() || a->type().id == TypeId::Null ? a : cast(a, Type::string(), false, {}));
  return out;
}

CompiledExprPtr build_concat(Args& args, const SourceLocation& loc) {
  Args strings = as_strings(args);
  return make_nary(string_result(args), strings, [](const Value* v, size_t n, EvalContext& ctx) {
    std::string& out = scratch();
    for (size_t i = 0; i < n; ++i) out.append(v[i].as_string());
    return arena_string(ctx, out);
  }, true, loc);
}

// CONCAT_WS(sep, a, b, ...): NULL separator -> NULL; NULL arguments are skipped.
CompiledExprPtr build_concat_ws(Args& args, const SourceLocation& loc) {
  Args strings = as_strings(args);
  Type t = Type::string().with_nullable(strings[0]->type().nullable);
  return make_nary(t, strings, [](const Value* v, size_t n, EvalContext& ctx) {
    if (v[0].is_null()) return Value::null();
    std::string& out = scratch();
    bool first = true;
    for (size_t i = 1; i < n; ++i) {
      if (v[i].is_null()) continue;
      if (!first) out.append(v[0].as_string());
      out.append(v[i].as_string());
      first = false;
    }
    return arena_string(ctx, out);
  }, false, loc);
}

// LPAD/RPAD(s, len, pad): negative len or an empty pad that is needed -> NULL; longer s is cut to len.
CompiledExprPtr build_pad(Args& args, const SourceLocation& loc, bool left) {
  const char* fn = left ? "LPAD" : "RPAD";
  require_character(args, 0, fn, loc);
  require_integer(args, 1, fn, loc);
  require_character(args, 2, fn, loc);
  return make_nary(Type::string().with_nullable(true), args, [left](const Value* v, size_t, EvalContext& ctx) {
    std::string_view s = v[0].as_string(), pad = v[2].as_string();
    int64_t len = v[1].as_int();
    if (len < 0) return Value::null();
    int64_t have = static_cast<int64_t>(utf8::count(s));
    if (have >= len) return Value::string(s.substr(0, utf8::offset_of(s, static_cast<size_t>(len))));
    if (pad.empty()) return Value::null();
    std::string& fill = scratch();
    int64_t need = len - have;
    size_t pad_chars = utf8::count(pad);
    while (need > 0) {
      size_t take = static_cast<size_t>(std::min<int64_t>(need, static_cast<int64_t>(pad_chars)));
      fill.append(pad.substr(0, utf8::offset_of(pad, take)));
      need -= static_cast<int64_t>(take);
    }
    char* out = static_cast<char*>(arena_of(ctx).allocate(fill.size() + s.size(), 1));
    if (left) {
      copy_bytes(out, fill.data(), fill.size());
      copy_bytes(out + fill.size(), s.data(), s.size());
    } else {
      copy_bytes(out, s.data(), s.size());
      copy_bytes(out + s.size(), fill.data(), fill.size());
    }
    return Value::string({out, fill.size() + s.size()});
  }, true, loc);
}
CompiledExprPtr build_lpad(Args& a, const SourceLocation& l) { return build_pad(a, l, true); }
CompiledExprPtr build_rpad(Args& a, const SourceLocation& l) { return build_pad(a, l, false); }

const FunctionDef kStringFunctions[] = {
    {"UPPER", 1, 1, build_upper},
    {"LOWER", 1, 1, build_lower},
    {"INITCAP", 1, 1, build_initcap},
    {"CHAR_LENGTH", 1, 1, build_char_length},
    {"CHARACTER_LENGTH", 1, 1, build_char_length},
    {"TRIM", 1, 1, build_trim_default},
    {"LTRIM", 1, 2, build_ltrim},
    {"RTRIM", 1, 2, build_rtrim},
    {"SUBSTRING", 2, 3, build_substring},
    {"SUBSTR", 2, 3, build_substring},
    {"POSITION", 2, 2, build_position},
    {"LOCATE", 2, 3, build_locate},
    {"REPLACE", 3, 3, build_replace},
    {"CONCAT", 1, -1, build_concat},
    {"CONCAT_WS", 2, -1, build_concat_ws},
    {"LPAD", 3, 3, build_lpad},
    {"RPAD", 3, 3, build_rpad},
};

}  // namespace

namespace detail {
std::span<const FunctionDef> string_functions() { return kStringFunctions; }
}  // namespace detail

CompiledExprPtr trim(TrimMode mode, CompiledExprPtr characters, CompiledExprPtr operand, const SourceLocation& loc) {
  Args args{operand, characters};
  require_character(args, 0, "TRIM", loc);
  require_character(args, 1, "TRIM", loc);
  return trim_node(mode, std::move(characters), std::move(operand), string_result(args));
}

CompiledExprPtr concat(CompiledExprPtr left, CompiledExprPtr right, const SourceLocation& loc) {
  const Type& a = left->type();
  const Type& b = right->type();
  bool ok_a = a.is_character() || a.id == TypeId::Null, ok_b = b.is_character() || b.id == TypeId::Null;
  if (!ok_a || !ok_b) type_error(loc, "cannot apply '||' to " + type_family_name(a) + " and " + type_family_name(b));
  int64_t len = int64_t{a.length} + b.length;
  Type t = len >= kMaxVarcharLength ? Type::string()
           : (a.id == TypeId::Char && b.id == TypeId::Char) ? Type::char_type(static_cast<int32_t>(len))
                                                              : Type::varchar(static_cast<int32_t>(len));
  t.nullable = a.nullable || b.nullable;
  return make_binary(t, std::move(left), std::move(right), [](const Value& x, const Value& y, EvalContext& ctx) {
    std::string_view s = x.as_string(), u = y.as_string();
    char* out = static_cast<char*>(arena_of(ctx).allocate(s.size() + u.size() + 1, 1));
    copy_bytes(out, s.data(), s.size());
    copy_bytes(out + s.size(), u.data(), u.size());
    return Value::string({out, s.size() + u.size()});
  });
}

}  // namespace ananas::expr
