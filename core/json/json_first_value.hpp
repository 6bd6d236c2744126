#pragma once
// Finds the first complete top-level JSON value of a Kafka record and copies
// it into a simdjson-padded buffer. Two Flink (Jackson) behaviours that
// simdjson does not have are handled here, while scanning once:
//  * text after the first complete value is ignored (Flink: JsonParserRowDataDeserializationSchema:
//    `{"id":1} xyz` decodes as `{"id":1}`), so only the value is handed on;
//  * raw control characters inside strings are accepted
//    (Jackson ALLOW_UNESCAPED_CONTROL_CHARS, which Flink's JSON format enables), so they are rewritten as `\u00XX`
//    escapes in the copy, which decode to the same bytes.
// It also reports unbalanced brackets and unclosed strings with their byte
// offset, which simdjson reports poorly or not at all.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ananas {

class JsonFirstValue {
 public:
  // Scans `input`. On success `text()` is the padded copy of the first value
  // and error() is empty; on failure error() says what, and error_offset()
  // where (0-based byte offset into `input`).
  bool scan(std::string_view input);

  std::string_view text() const { return {buf_.data(), size_}; }
  size_t capacity() const { return buf_.size(); }
  const char* data() const { return buf_.data(); }
  // First non-whitespace character of the value ('{', '[', '"', 't', ...).
  char first_char() const { return size_ ? buf_[0] : '\0'; }

  const std::string& error() const { return error_; }
  size_t error_offset() const { return error_offset_; }

  // Maps an offset in text() back to an offset in the scanned input.
  size_t input_offset(size_t copy_offset) const;

  // True when `input` is, apart from surrounding whitespace, exactly one
  // object or array with matching brackets and closed strings: then scan()
  // would succeed and keep all of it. It copies nothing, so the decoder's fast
  // path can use it to confirm what simdjson On Demand does not check in the
  // values it skips (it matches brackets by depth only, `[1}` included).
  static bool is_one_container(std::string_view input);

 private:
  bool fail(size_t offset, std::string message);
  void put(char c);

  std::vector<char> buf_;
  size_t size_ = 0;
  size_t skipped_prefix_ = 0;           // leading whitespace not copied
  std::vector<size_t> escape_points_;   // copy offsets where a control char became 6 bytes
  std::vector<size_t> open_;            // input offsets of unclosed brackets
  std::string error_;
  size_t error_offset_ = 0;
};

}  // namespace ananas
