// The CSR builder (engine/network/network_csr.hpp): exact arrays from counted degrees, both directions,
// ascending lists with repeats dropped, and the same arrays whatever the threads or the order
// in which a source gives its ties.
#include "model/network_build.hpp"
#include "network/network_csr.hpp"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

using namespace flywheel;
using namespace flywheel::model;

namespace {

using Pairs = std::vector<std::array<std::uint32_t, 2>>;

Network csr_on(int threads, const auto& build) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  tbb::task_arena arena(threads);
  Network net;
  arena.execute([&] { net = build(); });
  return net;
}

// A source that gives each block's ties in reverse, to show the fill order does not matter.
class ReversedTies {
 public:
  explicit ReversedTies(const Pairs& pairs) : pairs_(pairs) {}
  std::size_t blocks() const { return (pairs_.size() + 999) / 1000; }
  template <class Emit>
  void ties(std::size_t block, Emit&& emit) const {
    const std::size_t begin = block * 1000, end = std::min(pairs_.size(), begin + 1000);
    for (std::size_t i = end; i-- > begin;) emit(pairs_[i][1], pairs_[i][0]);
  }

 private:
  const Pairs& pairs_;
};

// Pseudo-random ties among n people (a fixed LCG), with repeats and both orientations.
Pairs scattered_ties(std::uint32_t n, std::size_t count) {
  Pairs out;
  std::uint64_t s = 12345;
  for (std::size_t i = 0; i < count; ++i) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    const auto a = static_cast<std::uint32_t>((s >> 33) % n);
    const auto b = static_cast<std::uint32_t>((s >> 13) % n);
    if (a != b) out.push_back({a, b});
  }
  return out;
}

}  // namespace

TEST_CASE("csr: no people, or people without ties", "[network][csr]") {
  const Pairs none;
  const Network empty = csr_of(0, PairTies(none));
  CHECK(empty.offsets == std::vector<std::uint64_t>{0});
  CHECK(empty.targets.empty());
  const Network lonely = csr_of(5, PairTies(none));
  CHECK(lonely.offsets == std::vector<std::uint64_t>(6, 0));
  CHECK(lonely.targets.empty());
  for (std::uint32_t p = 0; p < 5; ++p) CHECK(lonely.neighbours(p).empty());
}

TEST_CASE("csr: both directions, ascending, repeats dropped, isolated people empty",
          "[network][csr]") {
  // Person 4 and 6 have no tie; 1-3 comes three times, in both orientations.
  const Pairs ties = {{3, 1}, {1, 3}, {0, 2}, {5, 1}, {2, 1}, {3, 1}, {0, 5}};
  const Network net = csr_of(7, PairTies(ties));
  CHECK(net.offsets == std::vector<std::uint64_t>{0, 2, 5, 7, 8, 8, 10, 10});
  CHECK(net.targets == std::vector<std::uint32_t>{2, 5, 2, 3, 5, 0, 1, 1, 0, 1});
}

TEST_CASE("csr: a self-loop is kept once, as the edge-list loader never lets one through",
          "[network][csr]") {
  // The loader refuses self-loops and repeated ties (test_loader_network.cpp); the builder
  // keeps what it is given, so a generator bug would show as a self-loop, not vanish.
  const Pairs ties = {{2, 2}, {0, 2}};
  const Network net = csr_of(3, PairTies(ties));
  CHECK(net.offsets == std::vector<std::uint64_t>{0, 1, 1, 3});
  CHECK(net.targets == std::vector<std::uint32_t>{2, 0, 2});
}

TEST_CASE("csr: repeats across sources and blocks close up, lists and offsets exact",
          "[network][csr]") {
  // A path over 50,000 people (several blocks of people) given twice, in two sources: the
  // result is the path's CSR, every gap left by a repeat closed.
  const std::uint32_t n = 50000;
  Pairs path;
  for (std::uint32_t p = 0; p + 1 < n; ++p) path.push_back({p, p + 1});
  const Network net = csr_of(n, PairTies(path), ReversedTies(path));
  REQUIRE(net.targets.size() == 2 * std::size_t(n - 1));
  CHECK(net.offsets.back() == net.targets.size());
  for (std::uint32_t p : {0u, 1u, 16383u, 16384u, 32768u, n - 2, n - 1}) {
    std::vector<std::uint32_t> expected;
    if (p > 0) expected.push_back(p - 1);
    if (p + 1 < n) expected.push_back(p + 1);
    const auto near = net.neighbours(p);
    CHECK(std::vector<std::uint32_t>(near.begin(), near.end()) == expected);
  }
}

TEST_CASE("csr: the same arrays on 1 or 2 threads and in any fill order", "[network][csr]") {
  const std::uint32_t n = 40000;
  const Pairs ties = scattered_ties(n, 300000);
  auto forward = [&] { return csr_of(n, PairTies(ties)); };
  auto reversed = [&] { return csr_of(n, ReversedTies(ties)); };
  const Network one = csr_on(1, forward), two = csr_on(2, forward);
  const Network two_reversed = csr_on(2, reversed);
  CHECK(one.offsets == two.offsets);
  CHECK(one.targets == two.targets);
  CHECK(one.offsets == two_reversed.offsets);
  CHECK(one.targets == two_reversed.targets);
  // A check that can fail: the arrays are those of a plain sort of every tie both ways.
  Pairs both;
  for (const auto& [a, b] : ties) {
    both.push_back({a, b});
    both.push_back({b, a});
  }
  std::sort(both.begin(), both.end());
  both.erase(std::unique(both.begin(), both.end()), both.end());
  REQUIRE(one.targets.size() == both.size());
  for (std::size_t i = 0; i < both.size(); ++i) {
    const std::uint32_t p = both[i][0];
    REQUIRE(i >= one.offsets[p]);
    REQUIRE(i < one.offsets[p + 1]);
    REQUIRE(one.targets[i] == both[i][1]);
  }
}

TEST_CASE("csr: generator ties that are also colleague ties are stored once", "[network][csr]") {
  // Accounts of 3 people are cliques; the generator repeats two of those ties and adds one.
  Accounts acc;
  acc.first_person = {0, 3, 6};
  acc.segment = {0, 0};
  const RandomStreams streams(1, 0);
  const ColleagueTies colleagues(streams, acc, 3, 0);
  const Pairs generator = {{0, 1}, {4, 3}, {2, 5}};
  const Network net = csr_of(6, PairTies(generator), colleagues);
  CHECK(net.offsets == std::vector<std::uint64_t>{0, 2, 4, 7, 9, 11, 14});
  CHECK(net.targets == std::vector<std::uint32_t>{1, 2, 0, 2, 0, 1, 5, 4, 5, 3, 5, 2, 3, 4});
}
