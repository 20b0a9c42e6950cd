#include "network_generators.hpp"

#include <cmath>
#include <unordered_set>

namespace flywheel::model {

namespace {

constexpr std::size_t kRowBlock = 1 << 14;

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
  return a < b ? (std::uint64_t{a} << 32 | b) : (std::uint64_t{b} << 32 | a);
}

// Ring distance between people a and b on a ring of n.
std::uint32_t ring_distance(std::uint32_t a, std::uint32_t b, std::uint32_t n) {
  const std::uint32_t d = a > b ? a - b : b - a;
  return std::min(d, n - d);
}

}  // namespace

EdgePairs erdos_renyi(const RandomStreams& streams, std::uint32_t n, double mean_degree) {
  if (n < 2 || !(mean_degree > 0.0)) return {};
  const double p = std::min(1.0, mean_degree / (n - 1.0));
  const double log_q = std::log1p(-p);  // -inf when p = 1: every skip is 0
  return edges_by_block(n, kRowBlock, [&](std::size_t begin, std::size_t end, EdgePairs& out) {
    for (auto u = static_cast<std::uint32_t>(begin); u < end; ++u) {
      NetworkDraws draws(streams, u, 0);
      // Skips between successive ties of row u are Geometric(p) failures.
      std::uint64_t v = u;
      while (true) {
        const double skip = p >= 1.0 ? 0.0 : std::floor(std::log(draws.open01()) / log_q);
        v += 1 + static_cast<std::uint64_t>(std::min(skip, 4294967296.0));
        if (v >= n) break;
        out.push_back({u, static_cast<std::uint32_t>(v)});
      }
    }
  });
}

namespace {

// A random person outside u's lattice neighbourhood (ring distance > half), or v if none.
std::uint32_t rewired_target(NetworkDraws& draws, std::uint32_t u, std::uint32_t n,
                             std::uint32_t half) {
  while (true) {
    const std::uint32_t w = draws.below(n);
    if (w != u && ring_distance(u, w, n) > half) return w;
  }
}

}  // namespace

EdgePairs small_world(const RandomStreams& streams, std::uint32_t n, int mean_degree,
                      double rewiring) {
  const auto half = static_cast<std::uint32_t>(mean_degree / 2);
  if (n < 2 || half == 0) return {};
  const bool can_move = n > 2 * half + 1;  // someone lies outside the lattice neighbourhood
  const std::uint64_t threshold = can_move ? probability_threshold(rewiring) : 0;
  std::vector<std::uint8_t> moved(std::size_t{n} * half, 0);
  EdgePairs edges =
      edges_by_block(n, kRowBlock, [&](std::size_t begin, std::size_t end, EdgePairs& out) {
        for (auto u = static_cast<std::uint32_t>(begin); u < end; ++u) {
          NetworkDraws draws(streams, u, 0);
          for (std::uint32_t j = 1; j <= half; ++j) {
            const auto v = static_cast<std::uint32_t>((std::uint64_t{u} + j) % n);
            const bool move = draws.word() < threshold;
            moved[std::size_t{u} * half + j - 1] = move ? 1 : 0;
            out.push_back({u, move ? rewired_target(draws, u, n, half) : v});
          }
        }
      });
  // Moved ties cannot meet lattice ties (they leave the neighbourhood) but may meet each other:
  // draw a repeat again, in tie order, so the graph is simple and the degree mean exact.
  std::unordered_set<std::uint64_t> seen;
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (!moved[i]) continue;
    auto& [u, w] = edges[i];
    NetworkDraws redraw(streams, u, kRedrawIndex + static_cast<std::uint32_t>(i % half) * 256);
    while (!seen.insert(pair_key(u, w)).second) w = rewired_target(redraw, u, n, half);
  }
  return edges;
}

EdgePairs scale_free(const RandomStreams& streams, std::uint32_t n, int m) {
  const auto seeds = std::min<std::uint32_t>(n, static_cast<std::uint32_t>(m) + 1);
  EdgePairs edges;
  edges.reserve(std::size_t{n} * m);
  std::vector<std::uint32_t> ends;  // each person once per tie: a degree-weighted urn
  ends.reserve(2 * std::size_t{n} * m);
  for (std::uint32_t a = 0; a < seeds; ++a) {
    for (std::uint32_t b = a + 1; b < seeds; ++b) {
      edges.push_back({a, b});
      ends.insert(ends.end(), {a, b});
    }
  }
  std::vector<std::uint32_t> chosen;
  for (std::uint32_t t = seeds; t < n; ++t) {
    NetworkDraws draws(streams, t, 0);
    chosen.clear();
    while (chosen.size() < static_cast<std::size_t>(m)) {
      const std::uint32_t v = ends[draws.below(static_cast<std::uint32_t>(ends.size()))];
      if (std::find(chosen.begin(), chosen.end(), v) == chosen.end()) chosen.push_back(v);
    }
    for (std::uint32_t v : chosen) {
      edges.push_back({t, v});
      ends.insert(ends.end(), {t, v});
    }
  }
  return edges;
}

}  // namespace flywheel::model
