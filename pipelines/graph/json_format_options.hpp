#pragma once
// Flink's JSON format options (Flink docs, Connectors > Formats > JSON) read
// from a table's WITH clause, for the decoder of a source and the encoders of
// a sink's key and value. A format option is written `json.<name>` for a
// table with 'format' = 'json', `value.json.<name>` with 'value.format', and
// `key.json.<name>` for the key of an upsert-kafka table ('key.format').
//
// An option the JSON format does not know, or a value it cannot take, is an
// error at the option (Flink: "Unsupported options found for 'kafka'"):
// silently ignoring `json.encode.decimal-as-plain-number` would write other
// bytes than Flink, with nothing to tell the user why.
#include <string>

#include "core/json/json_decoder.hpp"
#include "core/json/json_encoder.hpp"
#include "pipelines/model.hpp"

namespace ananas::pipeline {

// Checks every `json.*`, `value.json.*` and `key.json.*` option of table
// `table` (of connector `connector`); throws InputError at the first wrong one.
void check_json_format_options(const std::string& table, const std::string& connector, const Options& options,
                               const SourceLocation& table_location);

// The decoder's options for a source's values.
JsonDecodeOptions json_decode_options(const Options& options);

// The encoder's options for a sink's record values, or its record keys.
enum class JsonRecordPart { Value, Key };
JsonEncodeOptions json_encode_options(const Options& options, JsonRecordPart part);

}  // namespace ananas::pipeline
