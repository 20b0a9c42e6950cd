// Philox4x32-10 for a run of consecutive agents: words 0 and 1 of the counters
// (first + i, step, kind, 0), the same numbers RandomStreams::words gives one agent at a time,
// computed lane by lane so that the compiler vectorizes them (an AVX2 clone is picked at run
// time where the CPU has it). Batching the draws ahead of the branchy per-person code is where
// the people phase spends most of its time (docs/benchmarks.md).
#pragma once

#include <flywheel/rng.hpp>

#include <cstdint>

namespace flywheel::model {

inline constexpr int kDrawBatch = 64;

// n <= kDrawBatch lanes.
void philox_words01(const Philox::key_type& key, std::uint32_t first, std::uint32_t step,
                    Decision kind, int n, std::uint32_t* w0, std::uint32_t* w1);

}  // namespace flywheel::model
