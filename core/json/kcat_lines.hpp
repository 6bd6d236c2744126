#pragma once
// The line format of `kcat -C -J`: one JSON object per record, e.g.
//   {"topic":"pizzas","partition":0,"offset":0,"tstype":"create","ts":1672567200123,"broker":1,"key":"{\"shop\": \"Mario\"}","payload":"{...}"}
// `key` and `payload` are JSON strings holding the record bytes, or null
// (a null key; a null payload is a tombstone). An empty value is "".
//
// Checked against kcat 1.7 on a mock broker (see tests/core/json_kcat_test.cpp):
// string escaping is Jackson's (`\"` `\\` `\t` `\n`, other control characters
// `\u00XX` with upper-case hex, `/` and DEL raw), and bytes that are not UTF-8
// are written raw, unescaped, so a kcat line is not always valid UTF-8 JSON.
// The reader therefore takes string contents as bytes and does not validate
// UTF-8 (a JSON library would reject those lines), and the writer, like kcat,
// copies record bytes through unchanged.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ananas {

struct KcatRecord {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = -1;           // -1 when the line has no offset
  std::string tstype = "create";  // kcat: "create", "logappend"; "none" when there is no timestamp
  int64_t timestamp_ms = -1;     // Kafka's "no timestamp" (Flink docs, Kafka connector > Available Metadata: timestamp) when the line has no "ts"
  int32_t broker = -1;
  std::optional<std::string> key;      // nullopt: null key
  std::optional<std::string> payload;  // nullopt: null value (tombstone)
  bool operator==(const KcatRecord&) const = default;
};

// Parses one line (a trailing "\r" or "\n" is allowed). `payload` is required;
// the other members default as above and unknown members (e.g. "headers")
// are skipped. Throws InputError at `file:line:column` (column = 1-based byte).
KcatRecord parse_kcat_line(std::string_view line, int line_number, const std::string& file = {});

// The line kcat would print for `record`, without the newline.
std::string format_kcat_line(const KcatRecord& record);

}  // namespace ananas
