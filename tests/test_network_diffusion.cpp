// Word of mouth over a network (engine/model/flywheel.cpp, Rand & Rust 2011): on a complete graph
// it is well-mixed Bass; on a clustered lattice it diffuses slower; runs with a network are
// byte-identical at any thread count.
#include "fixtures.hpp"

#include <flywheel/model/engine.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace flywheel;
using test::across_replicates;
using test::MeanSe;

namespace {

// A Bass market: p and q only, one-person accounts (no colleague ties), everyone aware a
// source, no churn; weekly steps.
Scenario bass_market(std::int64_t people, int months, int replicates, double p, double q) {
  Scenario s;
  s.name = "bass-network";
  s.simulation = {months, StepSize::week, replicates, 2011, 1};
  s.market.people = people;
  Segment solo;
  solo.name = "solo";
  solo.account_size = {SizeDistribution::fixed, 1, 1, 1};
  s.market.segments = {solo};
  s.acquisition.innovation_p_per_month = p;
  s.acquisition.imitation_q_per_month = q;
  s.acquisition.word_of_mouth_sources = {false, true, true, true, true, true, false};
  return s;
}

MeanSe adopted(const RunResult& run, int month, double people) {
  return across_replicates(run, month, [&](const MonthRecord& r) {
    return 1.0 - r.users_by_stage[static_cast<int>(Stage::unaware)] / people;
  });
}

}  // namespace

TEST_CASE("network: on a complete graph word of mouth is well-mixed Bass",
          "[network][stochastic]") {
  const std::int64_t n = 400;
  Scenario mixed = bass_market(n, 10, 40, 0.02, 0.6);
  Scenario complete = mixed;
  complete.network.model = NetworkModel::erdos_renyi;
  complete.network.mean_degree = n - 1.0;  // p = 1: everyone tied to everyone
  const RunResult a = run_scenario(mixed), b = run_scenario(complete);
  for (int m = 0; m < 10; ++m) {
    const MeanSe x = adopted(a, m, n), y = adopted(b, m, n);
    INFO("month " << m + 1 << ": well mixed " << x.mean << " +- " << x.se << ", complete graph "
                  << y.mean << " +- " << y.se);
    // q s_i / k_i = q S / (N - 1) against q S / N: equal up to 1/N, far below the noise.
    CHECK(std::abs(x.mean - y.mean) <= 4 * std::hypot(x.se, y.se));
  }
  CHECK(adopted(b, 9, n).mean > 0.5);  // the curve took off: imitation did act
  // The channel split too: people made aware by word of mouth over the ten months.
  auto by_word_of_mouth = [](const RunResult& run) {
    std::vector<double> x;
    for (const ReplicateResult& r : run.replicates) {
      double sum = 0;
      for (const MonthRecord& m : r.months) {
        sum += m.awareness_by_channel[static_cast<int>(Channel::word_of_mouth)];
      }
      x.push_back(sum);
    }
    return test::mean_se(x);
  };
  const MeanSe wa = by_word_of_mouth(a), wb = by_word_of_mouth(b);
  INFO("word of mouth: well mixed " << wa.mean << " +- " << wa.se << ", complete " << wb.mean);
  CHECK(wb.mean > 100);
  CHECK(std::abs(wa.mean - wb.mean) <= 4 * std::hypot(wa.se, wb.se));
}

TEST_CASE("network: a clustered small-world lattice diffuses slower than a well-mixed market",
          "[network][stochastic]") {
  const std::int64_t n = 5000;
  Scenario mixed = bass_market(n, 12, 10, 0.005, 0.6);
  Scenario lattice = mixed;
  lattice.network.model = NetworkModel::small_world;
  lattice.network.mean_degree = 4;
  lattice.network.rewiring_probability = 0.01;
  const RunResult a = run_scenario(mixed), b = run_scenario(lattice);
  const MeanSe x = adopted(a, 8, n), y = adopted(b, 8, n);
  INFO("month 9: well mixed " << x.mean << " +- " << x.se << ", lattice " << y.mean << " +- "
                              << y.se);
  CHECK(x.mean - y.mean > 4 * std::hypot(x.se, y.se));
}

TEST_CASE("network: runs with a network are identical on 1 and 3 threads", "[network]") {
  Scenario s = test::small_plg(2, 21);
  s.market.people = 60000;  // several people blocks
  s.simulation.months = 6;
  s.network.model = NetworkModel::small_world;
  s.network.mean_degree = 6;
  s.network.account_clique_max = 8;  // larger accounts: sampled colleague ties
  s.network.account_sample_degree = 3;
  const RunResult one = run_scenario(s, RunOptions{1, {}});
  const RunResult three = run_scenario(s, RunOptions{3, {}});
  REQUIRE(one.replicates.size() == three.replicates.size());
  for (std::size_t r = 0; r < one.replicates.size(); ++r) {
    CHECK(one.replicates[r].months == three.replicates[r].months);
  }
  // The graph changes the outcome: word of mouth now depends on who knows whom.
  Scenario mixed = s;
  mixed.network = NetworkSpec{};
  CHECK(run_scenario(mixed, RunOptions{1, {}}).replicates[0].months != one.replicates[0].months);
}
