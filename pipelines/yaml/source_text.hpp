#pragma once
// The raw text of a pipeline YAML file, kept beside the parsed tree so that
// locations can be reported the way the SQL lexer reports them (1-based,
// columns counting Unicode code points, where yaml-cpp's marks are 0-based and
// count bytes), and so that an expression's location is its first character
// rather than the quote or block indicator that opens the scalar.
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/diagnostic.hpp"

namespace ananas::pipeline::yaml {

class SourceText {
 public:
  SourceText(std::string_view text, std::string file);

  const std::string& file() const { return file_; }
  std::string_view text() const { return text_; }

  // Where a yaml-cpp mark points.
  SourceLocation at(const YAML::Mark& mark) const;
  // Where a byte offset points.
  SourceLocation at_offset(size_t offset) const;
  // Where a scalar's content starts: after an opening quote, or on the first
  // content line of a `|` / `>` block scalar.
  SourceLocation content_start(const YAML::Node& scalar) const;

  // Rejects what yaml-cpp would misreport or mangle: NUL bytes and other
  // binary data, invalid UTF-8, and tabs used for indentation. Throws InputError.
  void check_is_yaml_text() const;

 private:
  size_t line_of(size_t offset) const;

  std::string_view text_;
  std::string file_;
  std::vector<size_t> line_starts_;
  size_t bom_ = 0;  // bytes of a leading UTF-8 byte-order mark
};

}  // namespace ananas::pipeline::yaml
