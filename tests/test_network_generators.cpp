// The graph generators and the CSR build (engine/network/network_generators.hpp, network_build.hpp):
// degree distributions against theory within standard errors, simplicity of the graphs, and
// reproducibility from (seed, replicate) whatever the thread count.
#include "model/network_build.hpp"
#include "network/network_generators.hpp"
#include "network/network_small_world.hpp"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace flywheel;
using namespace flywheel::model;

namespace {

std::vector<double> degrees(const Network& net) {
  std::vector<double> out;
  for (std::size_t p = 0; p + 1 < net.offsets.size(); ++p) {
    out.push_back(static_cast<double>(net.offsets[p + 1] - net.offsets[p]));
  }
  return out;
}

double mean_of(const std::vector<double>& x) {
  double sum = 0;
  for (double v : x) sum += v;
  return sum / static_cast<double>(x.size());
}

double variance_of(const std::vector<double>& x) {
  const double m = mean_of(x);
  double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  return ss / static_cast<double>(x.size() - 1);
}

// Every list strictly ascending, no self-loop, and every tie stored in both directions.
void check_simple_and_symmetric(const Network& net) {
  const auto n = static_cast<std::uint32_t>(net.offsets.size() - 1);
  std::size_t bad = 0;
  for (std::uint32_t p = 0; p < n; ++p) {
    const auto near = net.neighbours(p);
    for (std::size_t i = 0; i < near.size(); ++i) {
      bad += near[i] == p || (i > 0 && near[i] <= near[i - 1]);
      const auto back = net.neighbours(near[i]);
      bad += !std::binary_search(back.begin(), back.end(), p);
    }
  }
  CHECK(bad == 0);
}

// Mean local clustering coefficient (people with degree < 2 count 0).
double clustering(const Network& net) {
  const auto n = static_cast<std::uint32_t>(net.offsets.size() - 1);
  double sum = 0;
  for (std::uint32_t p = 0; p < n; ++p) {
    const auto near = net.neighbours(p);
    if (near.size() < 2) continue;
    std::size_t closed = 0;
    for (std::uint32_t a : near) {
      const auto of_a = net.neighbours(a);
      for (std::uint32_t b : near)
        closed += b > a && std::binary_search(of_a.begin(), of_a.end(), b);
    }
    const double k = static_cast<double>(near.size());
    sum += static_cast<double>(closed) / (k * (k - 1) / 2);
  }
  return sum / n;
}

}  // namespace

TEST_CASE("network: Erdos-Renyi degrees are Poisson (mean and variance)", "[network][stochastic]") {
  const std::uint32_t n = 20000;
  const double c = 8.0, p = c / (n - 1);
  const Network net = csr_of(n, erdos_renyi(RandomStreams(7, 0), n, c));
  check_simple_and_symmetric(net);
  const std::vector<double> k = degrees(net);
  // Mean degree = 2E / n with E ~ Binomial(n(n-1)/2, p): se = 2 sqrt(n(n-1)/2 p(1-p)) / n.
  const double mean_se = 2 * std::sqrt(n * (n - 1) / 2.0 * p * (1 - p)) / n;
  CHECK(std::abs(mean_of(k) - c) <= 4 * mean_se);
  // Poisson(c): variance c(1 - p); se of the sample variance sqrt((mu4 - sigma^4) / n) with
  // mu4 - sigma^4 = c + 2c^2.
  const double var_se = std::sqrt((c + 2 * c * c) / n);
  CHECK(std::abs(variance_of(k) - c * (1 - p)) <= 4 * var_se);
}

TEST_CASE("network: Erdos-Renyi with mean degree n - 1 is the complete graph", "[network]") {
  const std::uint32_t n = 50;
  const Network net = csr_of(n, erdos_renyi(RandomStreams(3, 1), n, n - 1.0));
  for (double k : degrees(net)) REQUIRE(k == n - 1);
}

TEST_CASE("network: Barabasi-Albert degrees have a tail exponent near 3", "[network][stochastic]") {
  const std::uint32_t n = 50000;
  const int m = 3;
  const Network net = csr_of(n, PairTies(scale_free(RandomStreams(11, 0), n, m)));
  check_simple_and_symmetric(net);
  // A clique of m + 1, then m ties per newcomer: the degree sum is exact.
  CHECK(net.targets.size() == 2 * (std::size_t(m) * (m + 1) / 2 + std::size_t(n - m - 1) * m));
  // Discrete power-law MLE (Clauset, Shalizi & Newman 2009, eq. 3.7) above k_min = 12:
  // alpha = 1 + n_tail / sum ln(k / (k_min - 1/2)); theory gives 3 (se ~ (alpha-1)/sqrt(n_tail)).
  const double k_min = 12;
  double n_tail = 0, log_sum = 0;
  const std::vector<double> k_all = degrees(net);
  for (double k : k_all) {
    if (k < k_min) continue;
    ++n_tail;
    log_sum += std::log(k / (k_min - 0.5));
  }
  const double alpha = 1 + n_tail / log_sum;
  INFO("alpha " << alpha << " over " << n_tail << " people");
  CHECK(alpha >= 2.5);
  CHECK(alpha <= 3.5);
  CHECK(*std::max_element(k_all.begin(), k_all.end()) > 100);  // hubs exist
}

TEST_CASE("network: Watts-Strogatz keeps the mean degree exact and clusters far above ER",
          "[network][stochastic]") {
  const std::uint32_t n = 20000;
  const int k = 10;
  const Network ws = csr_of(n, small_world(RandomStreams(5, 0), n, k, 0.05));
  check_simple_and_symmetric(ws);
  CHECK(ws.targets.size() == std::size_t(n) * k);  // no tie lost to a repeat
  const Network er = csr_of(n, erdos_renyi(RandomStreams(5, 0), n, k));
  const double c_ws = clustering(ws), c_er = clustering(er);
  // Theory: C(beta) ~ 3(k-2)/(4(k-1)) (1-beta)^3 = 0.57 (Barrat & Weigt 2000); ER: k/n = 5e-4.
  INFO("clustering small world " << c_ws << ", random " << c_er);
  CHECK(c_ws > 0.5);
  CHECK(c_ws < 0.65);
  CHECK(c_er < 0.002);
  // No rewiring: the ring lattice, every person of degree k.
  const Network ring = csr_of(n, small_world(RandomStreams(5, 0), n, k, 0.0));
  for (double d : degrees(ring)) REQUIRE(d == k);
}

TEST_CASE("network: colleagues form cliques in small accounts, sampled ties in large ones",
          "[network]") {
  Accounts acc;
  acc.first_person = {0, 1, 4, 104};  // sizes 1, 3, 100
  acc.segment = {0, 0, 0};
  const Network net = csr_of(104, ColleagueTies(RandomStreams(1, 0), acc, 3, 4));
  check_simple_and_symmetric(net);
  CHECK(net.neighbours(0).empty());
  for (std::uint32_t p = 1; p < 4; ++p) CHECK(net.neighbours(p).size() == 2);
  for (std::uint32_t p = 4; p < 104; ++p) {
    const auto near = net.neighbours(p);
    CHECK(near.size() >= 4);  // its own 4 picks, plus colleagues who picked it
    CHECK((near.front() >= 4 && near.back() < 104));
  }
  // Both switches at 0: no colleague ties.
  CHECK(ColleagueTies(RandomStreams(1, 0), acc, 0, 0).blocks() == 0);
}

TEST_CASE("network: the same seed rebuilds the same graph on 1 or 3 threads", "[network]") {
  const std::uint32_t n = 40000;  // several row blocks
  auto build = [&](int threads, std::uint32_t seed) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(threads));
    tbb::task_arena arena(threads);
    Network net;
    arena.execute([&] {
      const RandomStreams streams(seed, 2);
      const ErdosRenyiTies er = erdos_renyi(streams, n, 6);
      const SmallWorldTies ws = small_world(streams, n, 6, 0.2);
      net = csr_of(n, er, ws);
    });
    return net;
  };
  const Network one = build(1, 9), three = build(3, 9), other = build(3, 10);
  CHECK(one.offsets == three.offsets);
  CHECK(one.targets == three.targets);
  CHECK(one.targets != other.targets);
}

namespace {

// FNV-1a over the offsets and targets.
std::uint64_t graph_hash(const Network& net) {
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xff;
      h *= 1099511628211ull;
    }
  };
  mix(net.offsets.size());
  for (std::uint64_t v : net.offsets) mix(v);
  mix(net.targets.size());
  for (std::uint32_t v : net.targets) mix(v);
  return h;
}

// Accounts of 1 to 6 people, now and then up to 60 (a fixed LCG).
Accounts mixed_accounts(std::uint32_t n) {
  Accounts acc;
  acc.first_person.push_back(0);
  std::uint32_t p = 0, s = 5;
  while (p < n) {
    s = s * 1103515245u + 12345u;
    const std::uint32_t size = std::min(1 + (s >> 16) % ((s >> 8) % 7 == 0 ? 60 : 6), n - p);
    p += size;
    acc.first_person.push_back(p);
    acc.segment.push_back(0);
  }
  return acc;
}

template <class Ties>
std::uint64_t hash_with_colleagues(std::uint32_t n, const Ties& generator, int clique_max,
                                   int sample_degree) {
  const RandomStreams streams(17, 3);
  const Accounts acc = mixed_accounts(n);
  const ColleagueTies colleagues(streams, acc, clique_max, sample_degree);
  return graph_hash(csr_of(n, generator, colleagues));
}

}  // namespace

// The graphs of a seed are part of the determinism contract: every output depends on them.
// These hashes were computed by the generators of commit 93bd9c2 (pairs sorted into CSR), before
// the CSR builder; a change to any generator, draw or the colleague ties shows here.
TEST_CASE("network: graphs are pinned for a seed", "[network]") {
  const RandomStreams streams(17, 3);
  const EdgePairs none;
  CHECK(hash_with_colleagues(1000, PairTies(none), 3, 4) == 0x4db5718f6a508037ull);
  CHECK(hash_with_colleagues(40000, erdos_renyi(streams, 40000, 6), 20, 5) ==
        0x7a51bd954e8956a9ull);
  CHECK(hash_with_colleagues(100000, small_world(streams, 100000, 10, 0.05), 20, 5) ==
        0x90ce51ea2b9ce471ull);
  // Dense rewiring: many moved ties repeat and are drawn again.
  CHECK(hash_with_colleagues(500, small_world(streams, 500, 100, 1.0), 0, 0) ==
        0x1a1123e5293e0641ull);
  CHECK(hash_with_colleagues(1000, small_world(streams, 1000, 100, 0.7), 3, 2) ==
        0x8d4b57e63384bf57ull);
  const EdgePairs ba = scale_free(streams, 50000, 3);
  CHECK(hash_with_colleagues(50000, PairTies(ba), 10, 3) == 0xa0e34fed78bba91eull);
}
