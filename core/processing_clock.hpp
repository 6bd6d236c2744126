#pragma once
// Processing time: what CURRENT_TIMESTAMP, NOW(), LOCALTIMESTAMP, PROCTIME()
// and CURRENT_DATE/CURRENT_TIME read when a batch does not carry the time its
// source read it (Flink docs, Table API & SQL > Functions > System (Built-in)
// Functions > Temporal Functions: in streaming mode they are evaluated for each
// record, at processing time). The wall clock, unless `ananas replay/test
// --now` fixed it for a reproducible run.
#include <cstdint>

namespace ananas {

// Epoch milliseconds: the instant fixed by fix_processing_time, else the wall clock.
int64_t processing_time_now_ms();

// Fixes processing time for the whole process. Called once, before any
// pipeline runs, by the offline commands; the worker never calls it.
void fix_processing_time(int64_t epoch_ms);

}  // namespace ananas
