// The CSR build of a network (network.hpp): degrees counted first, the offsets and targets
// arrays allocated once at their exact size, filled in parallel, each list sorted.
#pragma once

#include "network.hpp"

#include "kernels/parallel_blocks.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace flywheel::model {

// A tie source enumerates undirected ties in fixed blocks, the same ties on every call:
//   std::size_t blocks() const;
//   template <class Emit> void ties(std::size_t block, Emit&& emit) const;  // emit(a, b)
// It is read twice (count, then fill), so a generator regenerates its ties from its draws or
// holds them compactly; no list of pairs is needed.
//
// CsrBuilder takes every source through count(), then allocate(), then fill() with the same
// sources, then finish(). Each tie is stored both ways; each list ends ascending with repeats
// dropped (a colleague tie that is also a generator tie); a self-loop (a, a) appears once in
// a's list. The result depends only on the set of ties, never on threads or fill order.
class CsrBuilder {
 public:
  explicit CsrBuilder(std::uint32_t people);

  template <class Ties>
  void count(const Ties& source) {
    std::uint64_t* degree = net_.offsets.data() + 1;  // offsets[p + 1] holds p's count
    for_each_block(source.blocks(), 1, [&](std::size_t b, std::size_t, std::size_t) {
      source.ties(b, [degree](std::uint32_t a, std::uint32_t c) {
        std::atomic_ref<std::uint64_t>(degree[a]).fetch_add(1, std::memory_order_relaxed);
        std::atomic_ref<std::uint64_t>(degree[c]).fetch_add(1, std::memory_order_relaxed);
      });
    });
  }

  // Offsets from the degrees (a prefix sum) and the targets array at the counted size.
  void allocate();

  template <class Ties>
  void fill(const Ties& source) {
    // offsets[p] is p's write cursor here: it starts at p's first slot and ends at the next
    // person's first slot (finish() shifts them back).
    std::uint64_t* cursor = net_.offsets.data();
    std::uint32_t* targets = net_.targets.data();
    for_each_block(source.blocks(), 1, [&](std::size_t b, std::size_t, std::size_t) {
      source.ties(b, [cursor, targets](std::uint32_t a, std::uint32_t c) {
        targets[std::atomic_ref<std::uint64_t>(cursor[a]).fetch_add(1, std::memory_order_relaxed)] =
            c;
        targets[std::atomic_ref<std::uint64_t>(cursor[c]).fetch_add(1, std::memory_order_relaxed)] =
            a;
      });
    });
  }

  // Sorts each list, drops repeats and closes the gaps they leave.
  Network finish();

 private:
  Network net_;
};

// Ties held as a list of pairs (an edge list read by the loader, a test's ties), read in
// place.
class PairTies {
 public:
  explicit PairTies(const std::vector<std::array<std::uint32_t, 2>>& pairs)
      : pairs_(pairs.data()), count_(pairs.size()) {}
  std::size_t blocks() const { return block_count(count_, kBlock); }
  template <class Emit>
  void ties(std::size_t block, Emit&& emit) const {
    const std::size_t end = std::min(count_, (block + 1) * kBlock);
    for (std::size_t i = block * kBlock; i < end; ++i) emit(pairs_[i][0], pairs_[i][1]);
  }

 private:
  static constexpr std::size_t kBlock = std::size_t{1} << 16;
  const std::array<std::uint32_t, 2>* pairs_;
  std::size_t count_;
};

// The CSR of the ties of every source, counted and then filled source by source.
template <class... Ties>
Network csr_of(std::uint32_t people, const Ties&... sources) {
  CsrBuilder builder(people);
  (builder.count(sources), ...);
  builder.allocate();
  (builder.fill(sources), ...);
  return builder.finish();
}

}  // namespace flywheel::model
