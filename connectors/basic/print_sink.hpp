#pragma once
// The `print` sink: one line per record on stdout (or stderr with
// 'standard-error' = 'true'), `key -> value` when the record has a key, the
// value alone otherwise, `null` for a tombstone's value; prefixed with
// 'print-identifier' + "> " when set (Flink's option names).
#include <mutex>
#include <ostream>

#include "connectors/connector.hpp"

namespace ananas::connectors::basic {

// Checks 'standard-error' (the same check the constructor makes).
void validate_print_options(const Options& options);

class PrintSink : public SinkConnector {
 public:
  PrintSink(const Options& options, std::ostream* out_override = nullptr);
  void write(std::optional<std::string_view> key, std::optional<std::string_view> value,
             int32_t partition = -1) override;
  std::vector<DeliveryError> flush(std::chrono::milliseconds timeout) override;
  void close() override;

 private:
  std::ostream* out_;
  std::string prefix_;
  std::string line_;
};

}  // namespace ananas::connectors::basic
