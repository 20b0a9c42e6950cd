// Watts & Strogatz (1998) small world as a tie source for the CSR build (network_csr.hpp): a
// ring lattice, each person tied to mean_degree / 2 people on each side; each tie (u, u + j)
// moves with probability rewiring to a random person outside u's lattice neighbourhood. Only
// the moved ties are held (12 bytes each); lattice ties are implied.
#pragma once

#include "network_generators.hpp"

#include <set>
#include <utility>
#include <vector>

namespace flywheel::model {

class SmallWorldTies {
 public:
  SmallWorldTies(const RandomStreams& streams, std::uint32_t n, int mean_degree, double rewiring);

  std::size_t blocks() const { return moved_.size(); }
  // Whether a and b are tied (either way round).
  bool has(std::uint32_t a, std::uint32_t b) const;
  // Person u's ties (u, u + j) for j = 1..half, moved or not, for the people of one block.
  template <class Emit>
  void ties(std::size_t block, Emit&& emit) const {
    const std::vector<Moved>& moved = moved_[block];
    std::size_t k = 0;
    const std::uint64_t begin = block * kRowBlock,
                        end = std::min<std::uint64_t>(n_, begin + kRowBlock);
    for (auto u = static_cast<std::uint32_t>(begin); u < end; ++u) {
      for (std::uint32_t j = 1; j <= half_; ++j) {
        if (k < moved.size() && moved[k].u == u && moved[k].slot == j) {
          emit(u, moved[k++].w);
        } else {
          emit(u, lattice(u, j));
        }
      }
    }
  }

 private:
  static constexpr std::size_t kRowBlock = std::size_t{1} << 14;
  struct Moved {
    std::uint32_t u, slot, w;  // the tie (u, u + slot) now ties u and w
  };
  using TiePos = std::pair<std::size_t, std::size_t>;  // (block, index): ordered as the ties

  void draw_moves(const RandomStreams& streams, double rewiring);
  void resolve_repeats(const RandomStreams& streams);
  bool seen(TiePos at) const;
  bool has_free_target(TiePos at) const;
  void queue_later_repeats(TiePos at, std::set<TiePos>& pending) const;
  std::pair<const Moved*, const Moved*> row(std::uint32_t u) const;
  // The lattice tie (u, u + j) on the ring, j <= half < n.
  std::uint32_t lattice(std::uint32_t u, std::uint32_t j) const {
    return u < n_ - j ? u + j : u - (n_ - j);
  }

  std::uint32_t n_, half_;
  std::vector<std::vector<Moved>> moved_;  // per block of kRowBlock people, in tie order
  // Bit u: person u has a moved tie. Most have none (rewiring is small), and for them row()
  // needs no search; 1 bit per person.
  std::vector<std::uint64_t> has_moved_;
};

// The small world of n people (an empty source when mean_degree < 2 or n < 2).
inline SmallWorldTies small_world(const RandomStreams& streams, std::uint32_t n, int mean_degree,
                                  double rewiring) {
  return SmallWorldTies(streams, n, mean_degree, rewiring);
}

}  // namespace flywheel::model
