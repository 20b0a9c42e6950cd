#include "network_build.hpp"

#include "network/network_small_world.hpp"

#include <algorithm>

namespace flywheel::model {

ColleagueTies::ColleagueTies(const RandomStreams& streams, const Accounts& accounts, int clique_max,
                             int sample_degree)
    : streams_(streams),
      accounts_(accounts),
      clique_max_(static_cast<std::uint32_t>(std::max(clique_max, 0))),
      sample_degree_(static_cast<std::uint32_t>(std::max(sample_degree, 0))),
      none_(clique_max <= 1 && sample_degree <= 0) {}

std::size_t ColleagueTies::blocks() const {
  return none_ ? 0 : block_count(accounts_.size(), kBlock);
}

// k distinct colleagues of each person (draws keyed by the person, kColleagueIndex on).
void ColleagueTies::sample_account(std::uint32_t first, std::uint32_t size, std::uint32_t k,
                                   std::vector<std::uint32_t>& picks) const {
  picks.clear();
  for (std::uint32_t person = first; person < first + size; ++person) {
    NetworkDraws draws(streams_, person, kColleagueIndex);
    const std::size_t start = picks.size();
    while (picks.size() - start < k) {
      const std::uint32_t j = first + draws.below(size);
      if (j != person &&
          std::find(picks.begin() + std::ptrdiff_t(start), picks.end(), j) == picks.end()) {
        picks.push_back(j);
      }
    }
  }
}

namespace {

// The colleague ties a generator does not give already. Left out before counting, repeats take
// no room in the targets array at its peak; this matters for the small world, where accounts
// are runs of consecutive people and so most colleague ties are lattice ties too.
template <class Ties>
class NewColleagueTies {
 public:
  NewColleagueTies(const ColleagueTies& colleagues, const Ties& generator)
      : colleagues_(colleagues), generator_(generator) {}
  std::size_t blocks() const { return colleagues_.blocks(); }
  template <class Emit>
  void ties(std::size_t block, Emit&& emit) const {
    colleagues_.ties(block, [&](std::uint32_t a, std::uint32_t b) {
      if (!generator_.has(a, b)) emit(a, b);
    });
  }

 private:
  const ColleagueTies& colleagues_;
  const Ties& generator_;
};

// The generator's ties and the colleague ties in one CSR. A generator without has() (random
// graphs, where a colleague tie is rarely a generator tie too) leaves repeats to finish().
template <class Ties>
Network with_colleagues(std::uint32_t n, const Ties& generator, const ColleagueTies& colleagues) {
  if constexpr (requires { generator.has(0u, 0u); }) {
    return csr_of(n, generator, NewColleagueTies<Ties>(colleagues, generator));
  } else {
    return csr_of(n, generator, colleagues);
  }
}

}  // namespace

Network build_network(const Model& model, const Accounts& accounts) {
  const NetworkSpec& spec = model.scenario.network;
  if (spec.well_mixed()) return {};
  const std::uint32_t n = accounts.first_person.back();
  const ColleagueTies colleagues(model.streams, accounts, spec.account_clique_max,
                                 spec.account_sample_degree);
  switch (spec.model) {
    case NetworkModel::erdos_renyi:
      return with_colleagues(n, erdos_renyi(model.streams, n, spec.mean_degree), colleagues);
    case NetworkModel::small_world:
      return with_colleagues(n,
                             small_world(model.streams, n, static_cast<int>(spec.mean_degree),
                                         spec.rewiring_probability),
                             colleagues);
    case NetworkModel::scale_free: {
      const EdgePairs ties = scale_free(model.streams, n, spec.attachments_m);
      return with_colleagues(n, PairTies(ties), colleagues);
    }
    case NetworkModel::edge_list:
      return with_colleagues(n, PairTies(spec.edges), colleagues);
    case NetworkModel::well_mixed:
      break;
  }
  return {};
}

}  // namespace flywheel::model
