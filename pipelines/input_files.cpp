#include "pipelines/input_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/diagnostic.hpp"

namespace ananas::pipeline {

namespace fs = std::filesystem;

static bool has_extension(const std::string& path, std::initializer_list<const char*> exts) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* e : exts)
    if (ext == e) return true;
  return false;
}

InputKind kind_of_path(const std::string& path) {
  if (has_extension(path, {".yaml", ".yml"})) return InputKind::Yaml;
  if (has_extension(path, {".sql"})) return InputKind::Sql;
  if (has_extension(path, {".json"})) return InputKind::ApplicationJson;
  throw InputError({path}, "unsupported file type '" + fs::path(path).extension().string() +
                               "': expected pipeline YAML (.yaml, .yml), Flink SQL (.sql) or application JSON (.json)");
}

InputFile read_input(const std::string& path) {
  InputKind kind = kind_of_path(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path}, "cannot read file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return {path, kind, ss.str()};
}

std::vector<std::string> folder_pipeline_files(const std::string& folder) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    std::error_code ec;
    if (!entry.is_regular_file(ec)) continue;  // a dangling link mid-swap is no file either
    std::string f = entry.path().string();
    if (has_extension(f, {".yaml", ".yml", ".sql", ".json"})) files.push_back(f);
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<InputFile> read_inputs(const std::vector<std::string>& paths) {
  std::vector<InputFile> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      const std::vector<std::string> files = folder_pipeline_files(p);
      if (files.empty()) throw InputError({p}, "folder holds no pipeline files (*.yaml, *.yml, *.sql, *.json)");
      for (const auto& f : files) out.push_back(read_input(f));
    } else if (fs::exists(p, ec)) {
      out.push_back(read_input(p));
    } else {
      throw InputError({p}, "no such file or folder");
    }
  }
  return out;
}

// nlohmann reports a byte offset; people want line:column.
static SourceLocation location_of_byte(const std::string& text, size_t byte, const std::string& path) {
  SourceLocation loc{path, 1, 1};
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++loc.line;
      loc.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++loc.column;
    }
  }
  return loc;
}

static const char* json_type_name(const nlohmann::json& j) { return j.type_name(); }

std::vector<SqlText> application_json_sql(const std::string& json_text, const std::string& path) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix.
    auto colon = what.find(": ");
    std::string msg = colon == std::string::npos ? what : what.substr(colon + 2);
    size_t byte = e.byte == 0 ? 0 : e.byte - 1;
    throw InputError(location_of_byte(json_text, byte, path), "malformed application JSON: " + msg);
  }
  SourceLocation file{path, 1, 1};
  if (!doc.is_object())
    throw InputError(file, std::string("application JSON must be an object with \"sources\", \"sinks\" and \"statement\", got ") +
                               json_type_name(doc));
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string& k = it.key();
    if (k != "sources" && k != "sinks" && k != "statement" && k != "name") {
      std::string hint = closest_match(k, {"sources", "sinks", "statement"});
      throw InputError(file, "unknown member \"" + k + "\" in application JSON" +
                                 (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    }
  }
  std::vector<SqlText> out;
  for (const char* section : {"sources", "sinks"}) {
    if (!doc.contains(section)) continue;
    const auto& list = doc[section];
    if (!list.is_array())
      throw InputError(file, std::string("\"") + section + "\" must be a list of {\"create_table\": \"...\"}, got " + json_type_name(list));
    for (size_t i = 0; i < list.size(); ++i) {
      std::string where = path + "#/" + section + "/" + std::to_string(i);
      const auto& item = list[i];
      if (!item.is_object() || !item.contains("create_table") || !item["create_table"].is_string())
        throw InputError({where}, "expected an object with a \"create_table\" string");
      out.push_back({where + "/create_table", item["create_table"].get<std::string>()});
    }
  }
  if (!doc.contains("statement")) throw InputError(file, "application JSON has no \"statement\" (the INSERT INTO ... query)");
  if (!doc["statement"].is_string())
    throw InputError(file, std::string("\"statement\" must be a string, got ") + json_type_name(doc["statement"]));
  out.push_back({path + "#/statement", doc["statement"].get<std::string>()});
  return out;
}

std::string pipeline_name_from_path(const std::string& path) {
  std::string stem = fs::path(path).stem().string();
  std::string out;
  for (char c : stem) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.') ? c : '_';
  return out.empty() ? "pipeline" : out;
}

}  // namespace ananas::pipeline
