#include "pipelines/graph/json_format_options.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "core/diagnostic.hpp"

namespace ananas::pipeline {

namespace {

enum class OptionType { Boolean, TimestampStandard, Unsupported };

struct JsonOption {
  std::string_view name;  // after the `json.` prefix
  OptionType type;
};

// Flink 1.20's JsonFormatOptions. The map-null-key options are known but not
// translated: a NULL map key is written "null" (their LITERAL mode with the
// default literal), where Flink's default (FAIL) stops the job.
constexpr std::array<JsonOption, 8> kJsonOptions{{
    {"fail-on-missing-field", OptionType::Boolean},
    {"ignore-parse-errors", OptionType::Boolean},
    {"timestamp-format.standard", OptionType::TimestampStandard},
    {"encode.decimal-as-plain-number", OptionType::Boolean},
    {"encode.ignore-null-fields", OptionType::Boolean},
    // Which parser Flink decodes with; the rows are the same either way.
    {"decode.json-parser.enabled", OptionType::Boolean},
    {"map-null-key.mode", OptionType::Unsupported},
    {"map-null-key.literal", OptionType::Unsupported},
}};

constexpr std::array<std::string_view, 3> kPrefixes{"json.", "value.json.", "key.json."};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Flink's ConfigurationUtils reads booleans case-insensitively.
std::optional<bool> boolean_of(std::string_view value) {
  const std::string v = lower(value);
  if (v == "true") return true;
  if (v == "false") return false;
  return std::nullopt;
}

std::string known_names() {
  std::string out;
  for (const JsonOption& o : kJsonOptions)
    if (o.type != OptionType::Unsupported) out += (out.empty() ? "json." : ", json.") + std::string(o.name);
  return out;
}

// The value of format option `name` for a record part: the part's prefix
// first, then the plain `json.` one (a table with 'format' = 'json').
std::optional<std::string> format_option(const Options& options, std::string_view name, JsonRecordPart part) {
  const std::string_view own = part == JsonRecordPart::Key ? "key.json." : "value.json.";
  for (const auto& o : options)
    if (o.key.size() == own.size() + name.size() && o.key.compare(0, own.size(), own) == 0 && o.key.compare(own.size(), name.size(), name) == 0)
      return o.value;
  if (part == JsonRecordPart::Key) return std::nullopt;  // keys have only key.json.* (Flink: the key format's own options)
  for (const auto& o : options)
    if (o.key.size() == 5 + name.size() && o.key.compare(0, 5, "json.") == 0 && o.key.compare(5, name.size(), name) == 0) return o.value;
  return std::nullopt;
}

bool flag(const Options& options, std::string_view name, JsonRecordPart part) {
  auto v = format_option(options, name, part);
  return v && boolean_of(*v).value_or(false);
}

bool iso_timestamps(const Options& options, JsonRecordPart part) {
  auto v = format_option(options, "timestamp-format.standard", part);
  return v && *v == "ISO-8601";
}

}  // namespace

void check_json_format_options(const std::string& table, const std::string& connector, const Options& options,
                               const SourceLocation& table_location) {
  for (const auto& o : options) {
    std::string_view name;
    for (std::string_view prefix : kPrefixes)
      if (o.key.size() > prefix.size() && o.key.compare(0, prefix.size(), prefix) == 0) name = std::string_view(o.key).substr(prefix.size());
    if (name.empty()) continue;
    const SourceLocation at = o.location.line ? o.location : table_location;
    auto known = std::find_if(kJsonOptions.begin(), kJsonOptions.end(), [&](const JsonOption& j) { return j.name == name; });
    if (known == kJsonOptions.end())
      throw InputError(at, "table '" + table + "': Unsupported options found for '" + connector + "': '" + o.key +
                               "' (the JSON format's options are " + known_names() + ")");
    switch (known->type) {
      case OptionType::Boolean:
        if (!boolean_of(o.value))
          throw InputError(at, "table '" + table + "': Could not parse value '" + o.value + "' for key '" + o.key +
                                   "' (Unrecognized option for boolean: " + o.value + ". Expected either true or false(case insensitive))");
        break;
      case OptionType::TimestampStandard:
        if (o.value != "SQL" && o.value != "ISO-8601")
          throw InputError(at, "table '" + table + "': Unsupported value '" + o.value +
                                   "' for timestamp-format.standard. Supported values are [SQL, ISO-8601].");
        break;
      case OptionType::Unsupported:
        throw InputError(at, "table '" + table + "': '" + o.key +
                                 "' is not supported yet: a NULL map key is written as \"null\" (the LITERAL mode with its default literal)");
    }
  }
}

JsonDecodeOptions json_decode_options(const Options& options) {
  JsonDecodeOptions o;
  o.fail_on_missing_field = flag(options, "fail-on-missing-field", JsonRecordPart::Value);
  o.ignore_parse_errors = flag(options, "ignore-parse-errors", JsonRecordPart::Value);
  o.timestamp_iso8601 = iso_timestamps(options, JsonRecordPart::Value);
  return o;
}

JsonEncodeOptions json_encode_options(const Options& options, JsonRecordPart part) {
  JsonEncodeOptions o;
  o.timestamp_iso8601 = iso_timestamps(options, part);
  o.decimal_as_plain_number = flag(options, "encode.decimal-as-plain-number", part);
  o.ignore_null_fields = flag(options, "encode.ignore-null-fields", part);
  return o;
}

}  // namespace ananas::pipeline
