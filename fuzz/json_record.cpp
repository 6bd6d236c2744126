// Fuzz target: a Kafka record value through the decoder the worker's Kafka
// source uses (SourceRowDecoder: the JSON format, metadata columns, computed
// columns, the WATERMARK expression), for a table with every column type,
// nested ARRAY/ROW/MAP included. A bad record must be reported as an error,
// never thrown. Then the JSON decoder's fast path must agree with its slow
// path (status, error text, row), under each combination of the format options,
// and the source, which keeps only the column its pipeline reads, must find the
// same records bad as a decoder that keeps every column.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/json/json_decoder.hpp"
#include "core/json/json_encoder.hpp"
#include "fuzz/fuzz_check.hpp"
#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/graph/source_rows.hpp"
#include "pipelines/sql/planner.hpp"

using namespace ananas;

namespace {

const char* const kEveryType = R"sql(
CREATE TABLE every_type (
  b BOOLEAN, ti TINYINT, si SMALLINT, i INT, bi BIGINT, f FLOAT, d DOUBLE, dc DECIMAL(10, 3),
  c CHAR(3), vc VARCHAR(5), s STRING, bts BYTES, vb VARBINARY(4),
  dt DATE, tm TIME, ts TIMESTAMP(3), ltz TIMESTAMP_LTZ(3),
  arr ARRAY<INT>,
  pizzas ARRAY<ROW<pizzaName STRING, additionalToppings ARRAY<STRING>, props MAP<STRING, DOUBLE>>>,
  m MAP<STRING, ARRAY<BIGINT>>, mk MAP<INT, ROW<x DECIMAL(5, 2), y ARRAY<DATE>>>,
  r ROW<a INT, b ROW<c STRING, d ARRAY<ROW<e BOOLEAN, f TIMESTAMP(3)>>>>,
  kafka_ts TIMESTAMP(3) METADATA FROM 'timestamp',
  part INT METADATA FROM 'partition' VIRTUAL,
  off BIGINT METADATA FROM 'offset' VIRTUAL,
  total AS i + bi,
  event_time AS COALESCE(ts, kafka_ts),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = 'localhost:9092',
        'format' = 'json', 'scan.startup.mode' = 'earliest-offset');
CREATE TABLE sink_out (s STRING) WITH ('connector' = 'kafka', 'topic' = 'o',
        'properties.bootstrap.servers' = 'localhost:9092', 'format' = 'json');
INSERT INTO sink_out SELECT s FROM every_type;
)sql";

struct Harness {
  pipeline::PipelineSet set;
  pipeline::BuiltPipeline built;
  std::unique_ptr<pipeline::SourceRowDecoder> source;
  std::vector<JsonField> fields;
  std::vector<EncodedColumn> columns;
  size_t width = 0;
  std::vector<std::unique_ptr<JsonRowDecoder>> decoders;  // one per option combination

  Harness() {
    set = pipeline::translate_sql({{"every_type.sql", kEveryType}}, "every_type");
    built = pipeline::build_pipeline(set.pipelines.at(0));
    const auto& src = built.sources.at(0);
    source = src.make_decoder();
    width = src.schema.size();
    for (size_t i = 0; i < src.spec->columns.size(); ++i) {
      const auto& c = src.spec->columns[i];
      if (c.metadata || c.expression) continue;
      fields.push_back({i, c.name, src.schema[i].type});
      columns.push_back({i, c.name, src.schema[i].type});
    }
    // fail-on-missing-field and ignore-parse-errors exclude each other (Flink).
    for (int bits = 0; bits < 8; ++bits) {
      JsonDecodeOptions o{bits & 1 ? true : false, bits & 2 ? true : false, bits & 4 ? true : false};
      if (o.fail_on_missing_field && o.ignore_parse_errors) continue;
      decoders.push_back(std::make_unique<JsonRowDecoder>(fields, width, o));
    }
  }
};

Harness& harness() {
  static Harness h;
  return h;
}

struct Outcome {
  JsonDecodeResult result;
  std::string row_json;
};

Outcome run(JsonRowDecoder& d, std::string_view value, bool fast, size_t width, const std::vector<EncodedColumn>& cols) {
  Arena arena;
  std::vector<Value> row(width, Value::null());
  Outcome out;
  out.result = fast ? d.decode(value, row.data(), arena) : d.decode_without_fast_path(value, row.data(), arena);
  if (out.result.ok()) encode_row(row.data(), cols, out.row_json);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Harness& h = harness();
  const std::string_view value(reinterpret_cast<const char*>(data), size);

  Batch batch(h.width, 1);
  pipeline::RecordView record{"t", 3, 42, 1700000000000, std::nullopt, value};
  const pipeline::DecodedRecord d = h.source->decode(record, batch, 1700000000000);
  fuzz::check(d.status != JsonDecodeStatus::Error || !d.error.empty(), "an error without a message");
  fuzz::check((d.status == JsonDecodeStatus::Row) == (batch.num_rows() == 1), "status and rows disagree");

  // The source keeps only the columns its pipeline reads (projection
  // push-down) but checks the others as Flink's source does: which records
  // are bad, and why, must not depend on it. decoders[0] keeps every column
  // with the default options, as the source's table has them.
  const Outcome full = run(*h.decoders[0], value, true, h.width, h.columns);
  if (full.result.status != JsonDecodeStatus::Row) {
    fuzz::check(d.status == full.result.status, "projection changed a bad record's status");
    fuzz::check(d.error == full.result.error,
                "projection changed a bad record's error: '" + d.error + "' vs '" + full.result.error + "'");
  } else {
    // A decoded row may still fail a computed column (i + bi overflowing).
    fuzz::check(d.status == JsonDecodeStatus::Row || (d.status == JsonDecodeStatus::Error && !d.error.empty()),
                "projection made a good record bad: " + d.error);
  }

  for (auto& decoder : h.decoders) {
    const Outcome fast = run(*decoder, value, true, h.width, h.columns);
    const Outcome slow = run(*decoder, value, false, h.width, h.columns);
    fuzz::check(fast.result.status == slow.result.status, "fast and slow path disagree on the status");
    fuzz::check(fast.result.error == slow.result.error,
                "fast and slow path disagree on the error: '" + fast.result.error + "' vs '" + slow.result.error + "'");
    fuzz::check(fast.row_json == slow.row_json,
                "fast and slow path decode other rows: " + fast.row_json + " vs " + slow.row_json);
  }
  return 0;
}
