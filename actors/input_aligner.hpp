#pragma once
// The aligner moved to the dataflow module (dataflow/input_aligner.hpp); this
// name stays until the actors host dataflow::OperatorTask / SinkTask.
#include "dataflow/input_aligner.hpp"

namespace ananas::rt {
using dataflow::InputAligner;
}  // namespace ananas::rt
