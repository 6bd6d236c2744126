#include "connectors/basic/file_sink.hpp"

#include <cerrno>
#include <cstring>

namespace ananas::connectors::basic {

void validate_file_options(const Options& options) {
  auto p = options.find("path");
  if (p == options.end() || p->second.empty()) throw OptionError("path", "the file sink needs a 'path'");
  if (auto k = options.find("file.include-key"); k != options.end() && k->second != "true" && k->second != "false")
    throw OptionError("file.include-key", "expected 'true' or 'false', got '" + k->second + "'");
}

FileSink::FileSink(const Options& options) {
  validate_file_options(options);
  path_ = options.at("path");
  if (auto k = options.find("file.include-key"); k != options.end()) include_key_ = k->second == "true";
  file_ = std::fopen(path_.c_str(), "ab");
  if (!file_) throw OptionError("path", "cannot open '" + path_ + "' for appending: " + std::strerror(errno));
}

FileSink::~FileSink() { close(); }

void FileSink::write(std::optional<std::string_view> key, std::optional<std::string_view> value, int32_t) {
  if (!file_) throw ConnectorError("write to a closed file sink (" + path_ + ")");
  line_.clear();
  if (include_key_) line_.append(key ? *key : std::string_view("null")).append("\t");
  line_.append(value ? *value : std::string_view("null"));
  line_ += '\n';
  if (std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size()) write_failed_ = true;
}

std::vector<DeliveryError> FileSink::flush(std::chrono::milliseconds) {
  if (!file_) return {};
  if (std::fflush(file_) != 0) write_failed_ = true;
  if (write_failed_) {
    write_failed_ = false;
    return {DeliveryError{"cannot write to '" + path_ + "': " + std::strerror(errno), std::nullopt}};
  }
  return {};
}

void FileSink::close() {
  if (!file_) return;
  std::fclose(file_);
  file_ = nullptr;
}

}  // namespace ananas::connectors::basic
