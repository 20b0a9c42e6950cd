#include "network_build.hpp"

#include <algorithm>

namespace flywheel::model {

namespace {

constexpr std::size_t kAccountTieBlock = 1 << 12;

void account_ties(const RandomStreams& streams, std::uint32_t first, std::uint32_t size,
                  int clique_max, int sample_degree, EdgePairs& out) {
  if (size <= static_cast<std::uint32_t>(clique_max)) {
    for (std::uint32_t i = first; i < first + size; ++i) {
      for (std::uint32_t j = i + 1; j < first + size; ++j) out.push_back({i, j});
    }
    return;
  }
  const std::uint32_t ties = std::min<std::uint32_t>(sample_degree, size - 1);
  std::vector<std::uint32_t> chosen;
  for (std::uint32_t i = first; i < first + size; ++i) {
    NetworkDraws draws(streams, i, kColleagueIndex);
    chosen.clear();
    while (chosen.size() < ties) {
      const std::uint32_t j = first + draws.below(size);
      if (j != i && std::find(chosen.begin(), chosen.end(), j) == chosen.end()) {
        chosen.push_back(j);
      }
    }
    for (std::uint32_t j : chosen) out.push_back({i, j});
  }
}

}  // namespace

EdgePairs colleague_ties(const RandomStreams& streams, const Accounts& accounts, int clique_max,
                         int sample_degree) {
  if (clique_max <= 1 && sample_degree <= 0) return {};
  const std::vector<std::uint32_t>& first = accounts.first_person;
  return edges_by_block(
      accounts.size(), kAccountTieBlock, [&](std::size_t begin, std::size_t end, EdgePairs& out) {
        for (std::size_t a = begin; a < end; ++a) {
          account_ties(streams, first[a], first[a + 1] - first[a], clique_max, sample_degree, out);
        }
      });
}

Network to_csr(std::uint32_t n, EdgePairs edges) {
  std::vector<EdgePairs> parts;
  parts.push_back(std::move(edges));
  return to_csr(n, std::move(parts));
}

// The parts are read where they lie, never concatenated: the peak is the pairs (4 bytes per
// directed tie) plus the targets (4 bytes per directed tie) plus the offsets.
Network to_csr(std::uint32_t n, std::vector<EdgePairs> parts) {
  Network net;
  net.offsets.assign(std::size_t{n} + 1, 0);
  for (const EdgePairs& edges : parts) {
    for (const auto& [a, b] : edges) {
      ++net.offsets[a + 1];
      ++net.offsets[b + 1];
    }
  }
  for (std::size_t p = 0; p < n; ++p) net.offsets[p + 1] += net.offsets[p];
  net.targets.resize(net.offsets[n]);
  std::vector<std::uint64_t> cursor(net.offsets.begin(), net.offsets.end() - 1);
  for (EdgePairs& edges : parts) {
    for (const auto& [a, b] : edges) {
      net.targets[cursor[a]++] = b;
      net.targets[cursor[b]++] = a;
    }
    EdgePairs().swap(edges);
  }
  // Sort each list and drop repeats (a generator tie that is also a colleague tie), in
  // parallel; cursor[p] becomes the kept length.
  for_each_block(n, kPeopleBlock, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t p = begin; p < end; ++p) {
      auto first = net.targets.begin() + static_cast<std::ptrdiff_t>(net.offsets[p]);
      auto last = net.targets.begin() + static_cast<std::ptrdiff_t>(net.offsets[p + 1]);
      std::sort(first, last);
      cursor[p] = static_cast<std::uint64_t>(std::unique(first, last) - first);
    }
  });
  std::uint64_t kept = 0;
  for (std::size_t p = 0; p < n; ++p) {
    const std::uint64_t from = net.offsets[p];
    std::copy_n(net.targets.begin() + static_cast<std::ptrdiff_t>(from), cursor[p],
                net.targets.begin() + static_cast<std::ptrdiff_t>(kept));
    net.offsets[p] = kept;
    kept += cursor[p];
  }
  net.offsets[n] = kept;
  net.targets.resize(kept);
  net.targets.shrink_to_fit();
  return net;
}

namespace {

EdgePairs generator_ties(const Model& model, std::uint32_t n) {
  const NetworkSpec& spec = model.scenario.network;
  switch (spec.model) {
    case NetworkModel::erdos_renyi:
      return erdos_renyi(model.streams, n, spec.mean_degree);
    case NetworkModel::small_world:
      return small_world(model.streams, n, static_cast<int>(spec.mean_degree),
                         spec.rewiring_probability);
    case NetworkModel::scale_free:
      return scale_free(model.streams, n, spec.attachments_m);
    case NetworkModel::edge_list:
      return spec.edges;
    case NetworkModel::well_mixed:
      break;
  }
  return {};
}

}  // namespace

Network build_network(const Model& model, const Accounts& accounts) {
  const NetworkSpec& spec = model.scenario.network;
  if (spec.well_mixed()) return {};
  const std::uint32_t n = accounts.first_person.back();
  std::vector<EdgePairs> parts;
  parts.push_back(generator_ties(model, n));
  parts.push_back(
      colleague_ties(model.streams, accounts, spec.account_clique_max, spec.account_sample_degree));
  return to_csr(n, std::move(parts));
}

}  // namespace flywheel::model
