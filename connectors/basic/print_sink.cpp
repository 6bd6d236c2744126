#include "connectors/basic/print_sink.hpp"

#include <iostream>

namespace ananas::connectors::basic {

void validate_print_options(const Options& options) {
  auto err = options.find("standard-error");
  if (err != options.end() && err->second != "true" && err->second != "false")
    throw OptionError("standard-error", "expected 'true' or 'false', got '" + err->second + "'");
}

PrintSink::PrintSink(const Options& options, std::ostream* out_override) {
  validate_print_options(options);
  auto err = options.find("standard-error");
  bool to_stderr = err != options.end() && err->second == "true";
  out_ = out_override ? out_override : to_stderr ? &std::cerr : &std::cout;
  if (auto id = options.find("print-identifier"); id != options.end() && !id->second.empty())
    prefix_ = id->second + "> ";
}

void PrintSink::write(std::optional<std::string_view> key, std::optional<std::string_view> value, int32_t) {
  // One write per line, so lines of concurrent sinks on stdout do not interleave mid-line.
  line_.assign(prefix_);
  if (key) line_.append(*key).append(" -> ");
  line_.append(value ? *value : std::string_view("null"));
  line_ += '\n';
  out_->write(line_.data(), static_cast<std::streamsize>(line_.size()));
}

std::vector<DeliveryError> PrintSink::flush(std::chrono::milliseconds) {
  out_->flush();
  if (!*out_) return {DeliveryError{"print sink: output stream failed", std::nullopt}};
  return {};
}

void PrintSink::close() { out_->flush(); }

}  // namespace ananas::connectors::basic
