#pragma once
// The `file` sink: appends one line per record to 'path' (created if
// missing): the value, or `null` for a tombstone. With 'file.include-key' =
// 'true' the line is `key<TAB>value` (`null` for a null key), the shape
// `kcat -P -K$'\t'` reads back. JSON escapes TAB and newline inside strings,
// so JSON keys and values never break a line.
#include <cstdio>

#include "connectors/connector.hpp"

namespace ananas::connectors::basic {

// Checks 'path' and 'file.include-key' without opening the file.
void validate_file_options(const Options& options);

class FileSink : public SinkConnector {
 public:
  explicit FileSink(const Options& options);  // throws OptionError when the file cannot be opened
  ~FileSink() override;
  void write(std::optional<std::string_view> key, std::optional<std::string_view> value,
             int32_t partition = -1) override;
  std::vector<DeliveryError> flush(std::chrono::milliseconds timeout) override;
  void close() override;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool include_key_ = false;
  std::FILE* file_ = nullptr;
  bool write_failed_ = false;
  std::string line_;
};

}  // namespace ananas::connectors::basic
