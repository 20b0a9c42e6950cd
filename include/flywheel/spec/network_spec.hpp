// The scenario's `network:` block (docs/model.md#network): which graph people talk over
// and how colleagues in one account are tied. Well mixed (no graph) is the default.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace flywheel {

enum class NetworkModel : std::uint8_t {
  well_mixed,
  erdos_renyi,
  small_world,
  scale_free,
  edge_list
};

const char* to_string(NetworkModel m);

struct NetworkSpec {
  NetworkModel model = NetworkModel::well_mixed;
  double mean_degree = 10.0;          // erdos_renyi, small_world (even): ties per person
  double rewiring_probability = 0.1;  // small_world: share of lattice ties rewired at random
  int attachments_m = 3;              // scale_free: ties each newcomer makes (Barabasi-Albert m)
  std::string edge_list;              // edge_list: file of person-index pairs, as written
  int account_clique_max = 20;        // accounts up to this many people are cliques
  int account_sample_degree = 5;      // larger accounts: colleagues each person is tied to
  // edge_list: the pairs read by the loader (undirected, validated), in file order.
  std::vector<std::array<std::uint32_t, 2>> edges;
  bool well_mixed() const { return model == NetworkModel::well_mixed; }
  bool operator==(const NetworkSpec&) const = default;
};

}  // namespace flywheel
