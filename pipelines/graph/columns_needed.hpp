#pragma once
// Projection push-down into the sources: which columns of each source
// anything downstream reads. Walked backwards from the sinks, which read every
// column of their input, through each operator's kind
// (OperatorKind::input_columns_needed, conservative: a kind that cannot say
// needs every column). A source also needs what its own computed columns and
// WATERMARK read, and its rowtime column. The source's decoder checks the
// unread columns but keeps none of them (JsonField::keep): their cells stay
// NULL and their strings are not copied, while a record is bad or good exactly
// as before, as in Flink, whose Kafka source deserializes every physical
// column (source_rows.cpp).
#include "pipelines/graph/built_pipeline.hpp"

namespace ananas::pipeline {

// Sets BuiltSource::columns_needed of every source of `b` (operators and
// sinks built, in topological order).
void compute_source_columns_needed(BuiltPipeline& b);

}  // namespace ananas::pipeline
