// Fixed-size blocks over an index range, run in parallel with TBB. Block boundaries depend only
// on the range and the block size, never on threads, so per-block results are reproducible.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstddef>

namespace flywheel::model {

// Agents per parallel block. Fixed (never derived from the thread count) so that per-block
// partial sums, combined in block order, are the same on every machine.
inline constexpr std::size_t kPeopleBlock = 1 << 14;
inline constexpr std::size_t kAccountBlock = 1 << 12;

inline std::size_t block_count(std::size_t n, std::size_t block) {
  return (n + block - 1) / block;
}

// Calls f(block_index, begin, end) for every block of [0, n).
template <class F>
void for_each_block(std::size_t n, std::size_t block, F&& f) {
  const std::size_t blocks = block_count(n, block);
  // Isolated: a thread waiting here takes only these blocks, never another replicate, so at
  // most one replicate per thread is alive at a time (memory stays bounded).
  tbb::this_task_arena::isolate([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, blocks, 1),
        [&](const tbb::blocked_range<std::size_t>& r) {
          for (std::size_t b = r.begin(); b != r.end(); ++b)
            f(b, b * block, std::min(n, (b + 1) * block));
        },
        tbb::simple_partitioner());
  });
}

}  // namespace flywheel::model
