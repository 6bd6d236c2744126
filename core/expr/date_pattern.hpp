#pragma once
// Java SimpleDateFormat-style patterns as Flink's DATE_FORMAT, TO_TIMESTAMP,
// UNIX_TIMESTAMP and FROM_UNIXTIME use them: yyyy MM dd HH mm ss SSS (and
// their shorter counts), `'quoted text'`, and other non-letter characters as
// literals. All times are UTC wall clocks (session time zone UTC: Flink docs, Table API & SQL > Concepts > Time Zone).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ananas::expr {

class DatePattern {
 public:
  // nullopt and a message in `error` for letters Ananas does not support.
  static std::optional<DatePattern> compile(std::string_view pattern, std::string* error);

  void format(std::string& out, int64_t epoch_millis) const;
  // The whole text must match; nullopt otherwise.
  std::optional<int64_t> parse(std::string_view text) const;

 private:
  struct Field {
    char letter = 0;  // 0 = literal
    int width = 0;
    std::string literal;
  };
  std::vector<Field> fields_;
};

}  // namespace ananas::expr
