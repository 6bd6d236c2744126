#pragma once
// The sample plugin's sink, `lines`: appends one `key<TAB>value` line per
// record to the file named by 'path' (`null` for a null key or a tombstone).
// It shows a plugin sink: the host checks its options with
// validate_lines_options when a pipeline is validated, translated or run, and
// uses it wherever a built-in sink could be used.
#include <cstdio>

#include "connectors/connector.hpp"

namespace sample {

using ananas::connectors::ConnectorError;
using ananas::connectors::DeliveryError;
using ananas::connectors::OptionError;
using ananas::connectors::Options;

inline void validate_lines_options(const Options& options) {
  auto p = options.find("path");
  if (p == options.end() || p->second.empty()) throw OptionError("path", "the lines sink needs a 'path'");
}

class LinesSink : public ananas::connectors::SinkConnector {
 public:
  explicit LinesSink(const Options& options) {
    validate_lines_options(options);
    path_ = options.at("path");
    file_ = std::fopen(path_.c_str(), "ab");
    if (!file_) throw ConnectorError("lines sink: cannot open '" + path_ + "' for appending");
  }
  ~LinesSink() override { close(); }

  void write(std::optional<std::string_view> key, std::optional<std::string_view> value, int32_t) override {
    if (!file_) throw ConnectorError("write to a closed lines sink (" + path_ + ")");
    std::string line(key ? *key : std::string_view("null"));
    line.append("\t").append(value ? *value : std::string_view("null")).append("\n");
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) failed_ = true;
  }
  std::vector<DeliveryError> flush(std::chrono::milliseconds) override {
    if (file_ && std::fflush(file_) != 0) failed_ = true;
    if (!failed_) return {};
    failed_ = false;
    return {DeliveryError{"lines sink: cannot write to '" + path_ + "'", std::nullopt}};
  }
  void close() override {
    if (file_) std::fclose(file_);
    file_ = nullptr;
  }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  bool failed_ = false;
};

}  // namespace sample
