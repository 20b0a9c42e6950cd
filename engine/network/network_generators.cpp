#include "network_generators.hpp"

namespace flywheel::model {

ErdosRenyiTies::ErdosRenyiTies(const RandomStreams& streams, std::uint32_t n, double mean_degree)
    : streams_(streams), n_(n), empty_(n < 2 || !(mean_degree > 0.0)) {
  p_ = empty_ ? 0.0 : std::min(1.0, mean_degree / (n - 1.0));
  log_q_ = std::log1p(-p_);  // -inf when p = 1: every skip is 0
}

EdgePairs scale_free(const RandomStreams& streams, std::uint32_t n, int m) {
  const auto seeds = std::min<std::uint32_t>(n, static_cast<std::uint32_t>(m) + 1);
  EdgePairs edges;
  edges.reserve(std::size_t{seeds} * (seeds - 1) / 2 + std::size_t{n - seeds} * m);
  for (std::uint32_t a = 0; a < seeds; ++a) {
    for (std::uint32_t b = a + 1; b < seeds; ++b) edges.push_back({a, b});
  }
  std::vector<std::uint32_t> chosen;
  for (std::uint32_t t = seeds; t < n; ++t) {
    NetworkDraws draws(streams, t, 0);
    chosen.clear();
    const std::size_t ends = 2 * edges.size();  // the urn before t's ties
    while (chosen.size() < static_cast<std::size_t>(m)) {
      const std::uint32_t end = draws.below(static_cast<std::uint32_t>(ends));
      const std::uint32_t v = edges[end / 2][end % 2];
      if (std::find(chosen.begin(), chosen.end(), v) == chosen.end()) chosen.push_back(v);
    }
    for (std::uint32_t v : chosen) edges.push_back({t, v});
  }
  return edges;
}

}  // namespace flywheel::model
