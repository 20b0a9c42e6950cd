// Philox4x32-10 for a run of consecutive agents: words 0 and 1 of the counters
// (first + i, step, kind, 0), the same numbers RandomStreams::words gives one agent at a time.
// The lanes stay in vector registers through all ten rounds (AVX-512: 16 agents at a time,
// AVX2: 8), picked once at run time from what the CPU has; a portable loop serves elsewhere.
// All give the same words, so results never depend on the machine. Batching the draws ahead
// of the branchy per-person code is where the people phase saves most (docs/benchmarks.md).
#pragma once

#include <flywheel/common/rng.hpp>

#include <cstdint>

namespace flywheel::model {

inline constexpr int kDrawBatch = 64;

// n <= kDrawBatch lanes; w0 and w1 must have room for kDrawBatch words (lanes past n are
// computed in whole vectors and may be written).
void philox_words01(const Philox::key_type& key, std::uint32_t first, std::uint32_t step,
                    Decision kind, int n, std::uint32_t* w0, std::uint32_t* w1);

// Each implementation by name, for tests and benchmarks; `supported` says whether this CPU can
// run it (calling one that is not supported is undefined).
enum class PhiloxKernel { portable, avx2, avx512 };
bool supported(PhiloxKernel kernel);
void philox_words01(PhiloxKernel kernel, const Philox::key_type& key, std::uint32_t first,
                    std::uint32_t step, Decision kind, int n, std::uint32_t* w0,
                    std::uint32_t* w1);

}  // namespace flywheel::model
