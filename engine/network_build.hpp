// Building one replicate's social network (network.hpp) from the scenario's `network:` block:
// the generator's ties plus colleague ties within accounts, stored as CSR with both directions.
#pragma once

#include "model.hpp"
#include "model_state.hpp"
#include "network_generators.hpp"

namespace flywheel::model {

// Colleague ties: accounts of at most clique_max people are cliques; in larger ones each
// person ties to sample_degree random colleagues (draws keyed by person, kColleagueIndex on).
EdgePairs colleague_ties(const RandomStreams& streams, const Accounts& accounts, int clique_max,
                         int sample_degree);

// CSR of n people from undirected ties (one list, or parts read in order): both directions,
// each list ascending, repeats dropped.
Network to_csr(std::uint32_t n, EdgePairs edges);
Network to_csr(std::uint32_t n, std::vector<EdgePairs> parts);

// The scenario's network for this replicate; empty (well mixed) when network.model is
// well_mixed.
Network build_network(const Model& model, const Accounts& accounts);

}  // namespace flywheel::model
