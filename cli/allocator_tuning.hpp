#pragma once
// glibc malloc settings for a process that streams large batches between
// threads. See allocator_tuning.cpp for what is set and why.
namespace ananas::cli {

// Applies the settings unless GLIBC_TUNABLES already sets glibc.malloc.*
// (then the operator's choice stands). Returns false when glibc refused a
// setting (its defaults then apply; nothing else changes). Call once, first
// thing in main(), before any thread starts.
bool tune_allocator_for_streaming();

}  // namespace ananas::cli
