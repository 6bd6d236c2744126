// Fuzz target: one line of `kcat -C -J` as `ananas replay|test --input`
// reads it. A bad line must be an InputError with its column; a line that
// parses must come back the same from the line kcat would print for it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/diagnostic.hpp"
#include "core/json/kcat_lines.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace ananas;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  KcatRecord record;
  try {
    record = parse_kcat_line(line, 1, "fuzz.jsonl");
  } catch (const InputError&) {
    return 0;
  }
  const std::string printed = format_kcat_line(record);
  try {
    fuzz::check(parse_kcat_line(printed, 1, "printed.jsonl") == record, "the printed line reads back differently: " + printed);
  } catch (const InputError& e) {
    fuzz::fail("the printed line does not parse: " + std::string(e.what()) + "\n" + printed);
  }
  return 0;
}
