// Random graph generators for the `network:` block, each keyed by (seed, replicate) with draws
// (agent = person, kSetupStep, Decision::network, index): the same seed gives the same graph on
// any thread count. Each returns undirected ties as pairs, every tie once.
#pragma once

#include "parallel_blocks.hpp"

#include <flywheel/rng.hpp>

#include <array>
#include <cstdint>
#include <vector>

namespace flywheel::model {

using EdgePairs = std::vector<std::array<std::uint32_t, 2>>;

// A uniform random bit generator over (agent, kSetupStep, network) counters from first_index on.
class NetworkDraws {
 public:
  NetworkDraws(const RandomStreams& streams, std::uint32_t agent, std::uint32_t first_index)
      : streams_(streams), agent_(agent), index_(first_index) {}
  std::uint32_t word() {
    if (used_ == 4) {
      block_ = streams_.words(agent_, kSetupStep, Decision::network, index_++);
      used_ = 0;
    }
    return block_[used_++];
  }
  // Uniform in (0, 1), never 0 (so log() is finite).
  double open01() { return (word() + 0.5) * (1.0 / 4294967296.0); }
  // Uniform integer in [0, n) by multiply-shift (Lemire 2019); bias below n / 2^32.
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>((std::uint64_t{word()} * n) >> 32);
  }

 private:
  const RandomStreams& streams_;
  std::uint32_t agent_, index_;
  Philox::ctr_type block_{};
  int used_ = 4;
};

// Draw index ranges: generators use [0, 2^30), small-world redraws [2^30, 2^31), colleague ties
// [2^31, 2^32), so no two mechanisms share a draw.
inline constexpr std::uint32_t kRedrawIndex = 1u << 30;
inline constexpr std::uint32_t kColleagueIndex = 1u << 31;

// G(n, p) with p = mean_degree / (n - 1): person u's ties to v > u by geometric skips
// (Batagelj & Brandes 2005), rows in parallel.
EdgePairs erdos_renyi(const RandomStreams& streams, std::uint32_t n, double mean_degree);

// Watts & Strogatz (1998): ring lattice, each person tied to mean_degree / 2 people on each
// side; each tie (u, u + j) moves with probability rewiring to a random person outside u's
// lattice neighbourhood; a move that would repeat a tie is drawn again (mean degree exact).
EdgePairs small_world(const RandomStreams& streams, std::uint32_t n, int mean_degree,
                      double rewiring);

// Barabasi & Albert (1999): a clique of m + 1 people, then each newcomer ties to m distinct
// people chosen with probability proportional to degree. Sequential by nature.
EdgePairs scale_free(const RandomStreams& streams, std::uint32_t n, int m);

// Runs f(begin, end, out) over fixed blocks of [0, n) in parallel; joins the blocks in order,
// so the result does not depend on threads.
template <class F>
EdgePairs edges_by_block(std::size_t n, std::size_t block, F&& f) {
  std::vector<EdgePairs> parts(block_count(n, block));
  for_each_block(n, block, [&](std::size_t b, std::size_t begin, std::size_t end) {
    f(begin, end, parts[b]);
  });
  std::size_t total = 0;
  for (const EdgePairs& part : parts) total += part.size();
  EdgePairs out;
  out.reserve(total);
  for (EdgePairs& part : parts) {
    out.insert(out.end(), part.begin(), part.end());
    EdgePairs().swap(part);
  }
  return out;
}

}  // namespace flywheel::model
