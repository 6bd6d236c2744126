#pragma once
// Projection push-down into the sources (Flink: SupportsProjectionPushDown;
// its JSON format deserializes only the projected fields): which columns of
// each source anything downstream reads. Walked backwards from the sinks, which
// read every column of their input, through each operator's kind
// (OperatorKind::input_columns_needed, conservative: a kind that cannot say
// needs every column). A source also needs what its own computed columns and
// WATERMARK read, and its rowtime column. The source's decoder then leaves
// the other physical columns NULL and never converts them, so a wrong type
// in an unread field does not make the record bad (as in Flink, which never
// deserializes that field).
#include "pipelines/graph/built_pipeline.hpp"

namespace ananas::pipeline {

// Sets BuiltSource::columns_needed of every source of `b` (operators and
// sinks built, in topological order).
void compute_source_columns_needed(BuiltPipeline& b);

}  // namespace ananas::pipeline
