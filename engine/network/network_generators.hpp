// Random graph generators for the `network:` block, each keyed by (seed, replicate) with draws
// (agent = person, kSetupStep, Decision::network, index): the same seed gives the same graph on
// any thread count. Each gives undirected ties, every tie once.
#pragma once

#include "kernels/parallel_blocks.hpp"

#include <flywheel/common/rng.hpp>

#include <algorithm>
#include <array>
#include <cmath>
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
// (Batagelj & Brandes 2005). A tie source (network_csr.hpp): each block of rows is drawn again
// whenever it is read, so no ties are held.
class ErdosRenyiTies {
 public:
  ErdosRenyiTies(const RandomStreams& streams, std::uint32_t n, double mean_degree);
  std::size_t blocks() const { return empty_ ? 0 : block_count(n_, kRowBlock); }
  template <class Emit>
  void ties(std::size_t block, Emit&& emit) const {
    const std::size_t end = std::min<std::size_t>(n_, (block + 1) * kRowBlock);
    for (auto u = static_cast<std::uint32_t>(block * kRowBlock); u < end; ++u) {
      NetworkDraws draws(streams_, u, 0);
      // Skips between successive ties of row u are Geometric(p) failures.
      std::uint64_t v = u;
      while (true) {
        const double skip = p_ >= 1.0 ? 0.0 : std::floor(std::log(draws.open01()) / log_q_);
        v += 1 + static_cast<std::uint64_t>(std::min(skip, 4294967296.0));
        if (v >= n_) break;
        emit(u, static_cast<std::uint32_t>(v));
      }
    }
  }

 private:
  static constexpr std::size_t kRowBlock = std::size_t{1} << 14;
  const RandomStreams& streams_;
  std::uint32_t n_;
  bool empty_;
  double p_, log_q_;
};

inline ErdosRenyiTies erdos_renyi(const RandomStreams& streams, std::uint32_t n,
                                  double mean_degree) {
  return ErdosRenyiTies(streams, n, mean_degree);
}

// Barabasi & Albert (1999): a clique of m + 1 people, then each newcomer ties to m distinct
// people chosen with probability proportional to degree. Sequential by nature. The ties, in
// order, are also the degree-weighted urn (each person once per tie end), so nothing else is
// held.
EdgePairs scale_free(const RandomStreams& streams, std::uint32_t n, int m);

}  // namespace flywheel::model
