// Random numbers: Philox known-answer vectors (Random123's kat_vectors, philox4x32 10 rounds)
// and the first draws of every Boost.Random distribution the model uses, pinned so that a
// library upgrade that changes them fails loudly (results would silently change otherwise).
#include <flywheel/common/rng.hpp>

#include "kernels/philox_batch.hpp"

#include <boost/random/geometric_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <catch2/catch.hpp>

#include <set>

using namespace flywheel;

TEST_CASE("Philox4x32-10 matches the Random123 known-answer vectors", "[rng]") {
  struct Kat {
    Philox::ctr_type ctr;
    Philox::key_type key;
    Philox::ctr_type expected;
  };
  const Kat kats[] = {
      {{{0, 0, 0, 0}}, {{0, 0}}, {{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}}},
      {{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}},
       {{0xffffffff, 0xffffffff}},
       {{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}}},
      {{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}},
       {{0xa4093822, 0x299f31d0}},
       {{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}}},
  };
  for (const Kat& k : kats) CHECK(Philox{}(k.ctr, k.key) == k.expected);
}

TEST_CASE("streams are keyed by (seed, replicate) with counter (agent, step, kind, index)",
          "[rng]") {
  const RandomStreams s(7, 3);
  const auto w = s.words(1, 2, Decision::transition);
  CHECK(w == Philox{}({{1, 2, static_cast<std::uint32_t>(Decision::transition), 0}}, {{7, 3}}));
  CHECK(w[0] == 3119488213u);
  CHECK(w[3] == 2328953701u);
  // Any change of key or counter word gives other numbers.
  std::set<std::uint32_t> firsts = {w[0],
                                    RandomStreams(8, 3).words(1, 2, Decision::transition)[0],
                                    RandomStreams(7, 4).words(1, 2, Decision::transition)[0],
                                    s.words(2, 2, Decision::transition)[0],
                                    s.words(1, 3, Decision::transition)[0],
                                    s.words(1, 2, Decision::account_event)[0],
                                    s.words(1, 2, Decision::transition, 1)[0]};
  CHECK(firsts.size() == 7);
}

TEST_CASE("DrawEngine yields the words of index 0, then index 1", "[rng]") {
  const RandomStreams s(7, 3);
  DrawEngine e(s, 5, 6, Decision::account_event);
  const auto first = s.words(5, 6, Decision::account_event, 0);
  const auto second = s.words(5, 6, Decision::account_event, 1);
  for (int i = 0; i < 4; ++i) CHECK(e() == first[i]);
  for (int i = 0; i < 4; ++i) CHECK(e() == second[i]);
}

TEST_CASE("pinned first draws of the Boost.Random distributions in use", "[rng]") {
  const RandomStreams s(7, 3);
  SECTION("geometric (account sizes)") {
    DrawEngine e(s, 11, 5, Decision::population_account_size);
    boost::random::geometric_distribution<int> d(1.0 / 6.0);
    const int expected[] = {5, 2, 1, 5, 11, 3};
    for (int x : expected) CHECK(d(e) == x);
  }
  SECTION("lognormal (account sizes)") {
    DrawEngine e(s, 11, 5, Decision::population_account_size);
    boost::random::lognormal_distribution<double> d(1.0, 0.5);
    const double expected[] = {2.7777948928295961, 2.124985161368615, 6.522422444617205,
                               1.4143085689614889};
    for (double x : expected) CHECK(d(e) == Approx(x).epsilon(1e-12));
  }
  SECTION("uniform_01 (start stages)") {
    DrawEngine e(s, 11, kSetupStep, Decision::population_stage);
    boost::random::uniform_01<double> d;
    const double expected[] = {0.84957273723557591, 0.58814061619341373, 0.87577187945134938};
    for (double x : expected) CHECK(d(e) == x);
  }
  SECTION("poisson (referral invites), inversion and rejection regimes") {
    DrawEngine small(s, 11, 5, Decision::referral);
    boost::random::poisson_distribution<int, double> few(2.5);
    for (int x : {2, 1, 2, 2, 3, 1, 2, 2}) CHECK(few(small) == x);
    DrawEngine large(s, 11, 5, Decision::referral);
    boost::random::poisson_distribution<int, double> many(40.0);
    for (int x : {46, 40, 43, 44}) CHECK(many(large) == x);
  }
  SECTION("uniform_int (referral invitees)") {
    DrawEngine e(s, 11, 5, Decision::referral);
    boost::random::uniform_int_distribution<std::uint32_t> d(0, 199999);
    for (std::uint32_t x : {100467u, 55997u, 77898u, 87359u}) CHECK(d(e) == x);
  }
}

TEST_CASE("probability thresholds", "[rng]") {
  CHECK(probability_threshold(0.0) == 0);
  CHECK(probability_threshold(-0.5) == 0);
  CHECK(probability_threshold(1.0) == (std::uint64_t{1} << 32));
  CHECK(probability_threshold(0.5) == (std::uint64_t{1} << 31));
  CHECK(probability_threshold(std::nan("")) == 0);
}

TEST_CASE("rng: batched Philox words equal the one-agent-at-a-time stream", "[rng]") {
  using flywheel::model::PhiloxKernel;
  const flywheel::RandomStreams streams(2026, 7);
  std::uint32_t w0[flywheel::model::kDrawBatch], w1[flywheel::model::kDrawBatch];
  for (const PhiloxKernel kernel :
       {PhiloxKernel::portable, PhiloxKernel::avx2, PhiloxKernel::avx512}) {
    if (!flywheel::model::supported(kernel)) continue;  // this CPU lacks the instructions
    for (const std::uint32_t first : {0u, 1000u, 4294967200u}) {  // the last one wraps
      for (const int n : {1, 13, 17, flywheel::model::kDrawBatch}) {
        flywheel::model::philox_words01(kernel, streams.key(), first, 42,
                                        flywheel::Decision::transition, n, w0, w1);
        for (int i = 0; i < n; ++i) {
          const auto w = streams.words(first + static_cast<std::uint32_t>(i), 42,
                                       flywheel::Decision::transition);
          INFO("kernel " << static_cast<int>(kernel) << " first " << first << " lane " << i);
          CHECK(w0[i] == w[0]);
          CHECK(w1[i] == w[1]);
        }
      }
    }
  }
  // The dispatching entry point picks one of them.
  flywheel::model::philox_words01(streams.key(), 5, 42, flywheel::Decision::transition, 3, w0, w1);
  CHECK(w0[2] == streams.words(7, 42, flywheel::Decision::transition)[0]);
}
