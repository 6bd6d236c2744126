#pragma once
// The three input forms `ananas translate|validate|run` accept, and how a
// command-line list of files and folders expands into them:
//   - pipeline YAML (`.yaml`, `.yml`);
//   - Flink SQL scripts (`.sql`): CREATE TABLE ...; INSERT INTO ...;
//   - the tutorial's application JSON (`.json`):
//     {"sources":[{"create_table": "..."}], "sinks":[...], "statement": "..."}.
#include <string>
#include <vector>

namespace ananas::pipeline {

enum class InputKind { Yaml, Sql, ApplicationJson };

struct InputFile {
  std::string path;
  InputKind kind;
  std::string text;
};

// One piece of SQL and the name errors inside it are reported against. For
// application JSON the name points at the JSON member, e.g.
// `03-windowing.json#/sinks/0/create_table`, and lines/columns count within the SQL text.
struct SqlText {
  std::string origin;
  std::string text;
};

// Expands files and folders (folders: their *.yaml, *.yml, *.sql, *.json, sorted,
// not recursive) and reads them. Throws InputError for a missing path, an
// unreadable file, or an unsupported extension.
std::vector<InputFile> read_inputs(const std::vector<std::string>& paths);
// The pipeline files of a folder (the kinds above, sorted, not recursive;
// symbolic links followed, as a Kubernetes ConfigMap mounts its keys).
std::vector<std::string> folder_pipeline_files(const std::string& folder);
InputFile read_input(const std::string& path);
InputKind kind_of_path(const std::string& path);

// The SQL of an application JSON in execution order: sources' CREATE TABLE,
// sinks' CREATE TABLE, then the statement. Throws InputError with line:column
// of the JSON for malformed JSON or a missing/ill-typed member.
std::vector<SqlText> application_json_sql(const std::string& json_text, const std::string& path);

// The name of a pipeline derived from a file path: `03-windowing.json` -> `03-windowing`.
std::string pipeline_name_from_path(const std::string& path);

}  // namespace ananas::pipeline
