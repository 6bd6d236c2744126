#include "connectors/datagen/pizza_generator.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <charconv>
#include <iterator>

#include "connectors/datagen/pizza_words.hpp"

namespace ananas::connectors::datagen {

namespace {

constexpr int64_t kIdModulus = int64_t{1} << 31;  // ids stay non-negative INT

template <size_t N>
constexpr size_t count_of(const char* const (&)[N]) {
  return N;
}

void append_hex4(std::string& out, uint32_t unit) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(unit >> shift) & 0xF];
}

// Decodes one UTF-8 sequence at s[i]; returns U+FFFD for malformed input and
// advances i past what was consumed.
uint32_t decode_utf8(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i++]);
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : -1;
  if (extra < 0) return 0xFFFD;
  uint32_t cp = c & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  }
  return cp;
}

void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, p);
}

}  // namespace

void append_python_json_string(std::string& out, std::string_view text) {
  out += '"';
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default: append_hex4(out, c);  // other controls and DEL, as Python
      }
      continue;
    }
    uint32_t cp = decode_utf8(text, i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      append_hex4(out, 0xD800 | (cp >> 10));
      append_hex4(out, 0xDC00 | (cp & 0x3FF));
    } else {
      append_hex4(out, cp);
    }
  }
  out += '"';
}

int64_t PizzaGenerator::default_first_id(int64_t unix_seconds) { return (unix_seconds % 2000000) * 1000; }

PizzaGenerator::PizzaGenerator(const PizzaGeneratorOptions& options) : options_(options), rng_(options.seed) {
  if (options_.max_pizzas < 1) options_.max_pizzas = 1;
  if (options_.max_toppings < 0) options_.max_toppings = 0;
  first_id_ = options.first_id ? *options.first_id
                               : default_first_id(std::chrono::duration_cast<std::chrono::seconds>(
                                                      std::chrono::system_clock::now().time_since_epoch())
                                                      .count());
  first_id_ = ((first_id_ % kIdModulus) + kIdModulus) % kIdModulus;
}

size_t PizzaGenerator::below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
bool PizzaGenerator::coin() { return (rng_() >> 63) != 0; }
double PizzaGenerator::unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }

#define PICK(list) (list)[below(count_of(list))]

const char* PizzaGenerator::first_name() {
  return coin() ? PICK(words::kFirstFemale) : PICK(words::kFirstMale);
}

void PizzaGenerator::append_digits(std::string& out, const char* format) {
  // Faker's numerify: '#' any digit, '$' a digit from 2 to 9.
  for (const char* p = format; *p; ++p) {
    if (*p == '#') out += static_cast<char>('0' + below(10));
    else if (*p == '$') out += static_cast<char>('2' + below(8));
    else out += *p;
  }
}

void PizzaGenerator::append_name(std::string& out) {
  bool female = coin();
  const char* first = female ? PICK(words::kFirstFemale) : PICK(words::kFirstMale);
  const char* last = PICK(words::kLast);
  double x = unit();  // Faker en_US: 0.97 plain, 0.015 prefix, 0.01 suffix, 0.005 both
  const char* prefix = female ? PICK(words::kPrefixFemale) : PICK(words::kPrefixMale);
  const char* suffix = female ? PICK(words::kSuffixFemale) : PICK(words::kSuffixMale);
  bool with_prefix = x >= 0.97 && (x < 0.985 || x >= 0.995);
  bool with_suffix = x >= 0.985;
  if (with_prefix) out.append(prefix).append(" ");
  out.append(first).append(" ").append(last);
  if (with_suffix) out.append(" ").append(suffix);
}

void PizzaGenerator::append_phone(std::string& out) { append_digits(out, PICK(words::kPhoneFormats)); }

void PizzaGenerator::append_city(std::string& out) {
  switch (below(4)) {
    case 0: out.append(PICK(words::kCityPrefix)).append(" ").append(first_name()).append(PICK(words::kCitySuffix)); break;
    case 1: out.append(PICK(words::kCityPrefix)).append(" ").append(first_name()); break;
    case 2: out.append(first_name()).append(PICK(words::kCitySuffix)); break;
    default: out.append(PICK(words::kLast)).append(PICK(words::kCitySuffix)); break;
  }
}

void PizzaGenerator::append_address(std::string& out) {
  char zip[8];
  std::snprintf(zip, sizeof zip, "%05d", static_cast<int>(501 + below(99950 - 501 + 1)));
  size_t form = below(28);  // Faker en_US address formats weigh 25 : 1 : 1 : 1
  if (form < 25) {
    static constexpr const char* kNumbers[] = {"#####", "####", "###"};
    append_digits(out, PICK(kNumbers));
    out.append(" ").append(coin() ? first_name() : PICK(words::kLast)).append(" ").append(PICK(words::kStreetSuffix));
    if (coin()) {
      static constexpr const char* kUnits[] = {"Apt. ###", "Suite ###"};
      out += ' ';
      append_digits(out, PICK(kUnits));
    }
    out += '\n';
    append_city(out);
    out.append(", ").append(PICK(words::kStates)).append(" ").append(zip);
    return;
  }
  static constexpr const char* kMilitary[] = {"AE", "AA", "AP"};
  const char* mil = PICK(kMilitary);
  if (form == 25) {
    append_digits(out, "PSC ####, Box ####");
    out.append("\nAPO ");
  } else if (form == 26) {
    static constexpr const char* kShips[] = {"USS", "USNS", "USNV", "USCGC"};
    out.append(PICK(kShips)).append(" ").append(PICK(words::kLast)).append("\nFPO ");
  } else {
    append_digits(out, "Unit #### Box ####");
    out.append("\nDPO ");
  }
  out.append(mil).append(" ").append(zip);
}

void PizzaGenerator::next(int64_t timestamp_ms, PizzaOrder& order) {
  order.id = (first_id_ + static_cast<int64_t>(produced_ % kIdModulus)) % kIdModulus;
  order.timestamp_ms = timestamp_ms;
  ++produced_;
  const char* shop = PICK(words::kShops);

  std::string& v = order.value;
  v.clear();
  v += "{\"id\": ";
  append_int(v, order.id);
  v += ", \"shop\": ";
  append_python_json_string(v, shop);
  v += ", \"name\": ";
  scratch_.clear();
  append_name(scratch_);
  append_python_json_string(v, scratch_);
  v += ", \"phoneNumber\": ";
  scratch_.clear();
  append_phone(scratch_);
  append_python_json_string(v, scratch_);
  v += ", \"address\": ";
  scratch_.clear();
  append_address(scratch_);
  append_python_json_string(v, scratch_);
  v += ", \"pizzas\": [";
  size_t pizzas = 1 + below(static_cast<size_t>(options_.max_pizzas));
  for (size_t p = 0; p < pizzas; ++p) {
    if (p) v += ", ";
    v += "{\"pizzaName\": ";
    append_python_json_string(v, PICK(words::kPizzaNames));
    v += ", \"additionalToppings\": [";
    size_t toppings = below(static_cast<size_t>(options_.max_toppings) + 1);
    for (size_t t = 0; t < toppings; ++t) {
      if (t) v += ", ";
      append_python_json_string(v, PICK(words::kToppings));
    }
    v += "]}";
  }
  v += "], \"timestamp\": ";
  append_int(v, timestamp_ms);
  v += '}';

  order.key = "{\"shop\": ";
  append_python_json_string(order.key, shop);
  order.key += '}';
}

#undef PICK

}  // namespace ananas::connectors::datagen
