// Building one replicate's social network (network.hpp) from the scenario's `network:` block:
// the generator's ties plus colleague ties within accounts, stored as CSR with both directions.
#pragma once

#include "model.hpp"
#include "model_state.hpp"

#include "network/network_csr.hpp"
#include "network/network_generators.hpp"

namespace flywheel::model {

// Colleague ties, a tie source (network_csr.hpp): accounts of at most clique_max people are
// cliques; in larger ones each person ties to sample_degree random colleagues (draws keyed by
// person, kColleagueIndex on), drawn again whenever a block is read.
class ColleagueTies {
 public:
  ColleagueTies(const RandomStreams& streams, const Accounts& accounts, int clique_max,
                int sample_degree);
  std::size_t blocks() const;
  // Each tie once: a pair of colleagues who sampled each other is given by the first of them.
  template <class Emit>
  void ties(std::size_t block, Emit&& emit) const {
    const std::vector<std::uint32_t>& first = accounts_.first_person;
    const std::size_t end = std::min(accounts_.size(), (block + 1) * kBlock);
    std::vector<std::uint32_t> picks;
    for (std::size_t a = block * kBlock; a < end; ++a) {
      const std::uint32_t from = first[a], size = first[a + 1] - first[a];
      if (size <= clique_max_) {
        for (std::uint32_t i = from; i < from + size; ++i) {
          for (std::uint32_t j = i + 1; j < from + size; ++j) emit(i, j);
        }
        continue;
      }
      const std::uint32_t k = std::min(sample_degree_, size - 1);
      sample_account(from, size, k, picks);
      for (std::uint32_t i = 0; i < size; ++i) {
        for (std::uint32_t x = 0; x < k; ++x) {
          const std::uint32_t j = picks[std::size_t{i} * k + x];
          const auto of_j = picks.begin() + std::ptrdiff_t{j - from} * k;
          if (j > from + i || std::find(of_j, of_j + k, from + i) == of_j + k) emit(from + i, j);
        }
      }
    }
  }

 private:
  static constexpr std::size_t kBlock = std::size_t{1} << 12;
  // Each person's k picks among the account's people, person by person.
  void sample_account(std::uint32_t first, std::uint32_t size, std::uint32_t k,
                      std::vector<std::uint32_t>& picks) const;

  const RandomStreams& streams_;
  const Accounts& accounts_;
  std::uint32_t clique_max_, sample_degree_;
  bool none_;
};

// The scenario's network for this replicate; empty (well mixed) when network.model is
// well_mixed.
Network build_network(const Model& model, const Accounts& accounts);

}  // namespace flywheel::model
