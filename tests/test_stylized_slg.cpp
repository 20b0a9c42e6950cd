// Stylized facts of the shipped sales-led scenario (scenarios/slg-enterprise.yaml): its outputs
// land within the published ranges its parameters cite.
#include "fixtures.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <vector>

using namespace flywheel;

namespace {

Scenario shipped(int replicates) {
  Scenario s = load_scenario(test::source_path("scenarios/slg-enterprise.yaml"));
  s.simulation.replicates = replicates;
  return s;
}

test::MeanSe mean_se(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return {mean, std::sqrt(ss / (n - 1) / n)};
}

// Per replicate, over months [from, to): deals won / closed and the mean cycle of closed deals.
struct DealStats {
  std::vector<double> win_rate, cycle_days;
};

DealStats deal_stats(const RunResult& run, int from, int to) {
  DealStats out;
  for (const ReplicateResult& r : run.replicates) {
    double won = 0, closed = 0, days = 0;
    for (int k = from; k < to; ++k) {
      const MonthRecord& m = r.months[k];
      const double n = static_cast<double>(m.deals_won + m.deals_lost);
      won += static_cast<double>(m.deals_won);
      closed += n;
      days += m.sales_cycle_days.value_or(0.0) * n;
    }
    out.win_rate.push_back(won / closed);
    out.cycle_days.push_back(days / closed);
  }
  return out;
}

}  // namespace

TEST_CASE("slg-enterprise: annual gross revenue retention of contracts is 88-96%",
          "[stylized][sales]") {
  // Range: KeyBanc Capital Markets & Sapphire Ventures SaaS Survey 2023 reports median gross
  // dollar retention ~91%; 88% (smaller contracts) to 96% (enterprise) brackets the spread.
  const RunResult run = run_scenario(shipped(6));
  std::vector<double> grr;
  for (const ReplicateResult& r : run.replicates) {
    for (int year_start : {24, 36}) {  // years 3 and 4: contracts have renewed at least once
      double kept = 1.0;
      for (int k = year_start; k < year_start + 12; ++k) {
        const MonthRecord& m = r.months[k];
        kept *= 1.0 - static_cast<double>(m.mrr_churned_cents + m.mrr_contraction_cents) /
                          static_cast<double>(m.mrr_start_cents);
      }
      grr.push_back(kept);
    }
  }
  const test::MeanSe g = mean_se(grr);
  INFO("annual GRR " << g.mean << " +- " << g.se);
  CHECK(g.mean > 0.88);
  CHECK(g.mean < 0.96);
  // Renewals happen and some contracts lapse: GRR is not 100% by construction.
  std::int64_t renewed = 0, lapsed = 0;
  for (const ReplicateResult& r : run.replicates) {
    for (const MonthRecord& m : r.months) {
      renewed += m.contracts_renewed;
      lapsed += m.contracts_lapsed;
    }
  }
  CHECK(renewed > 10 * lapsed);
  CHECK(lapsed > 0);
}

TEST_CASE("slg-enterprise: win rates and sales cycles match the configured benchmarks",
          "[stylized][sales]") {
  // Configured: SQL-to-won 25% (mid-market) and 20% (enterprise); median cycles 60 days at
  // ~$25k ACV and 150 days at ~$100k ACV (Optifai 2025: B2B SaaS median 84 days, longer with
  // ACV), lognormal sigma 0.5, so mean cycles are 68 and 170 days.
  const DealStats all = deal_stats(run_scenario(shipped(6)), 12, 48);
  const test::MeanSe w = mean_se(all.win_rate);
  const test::MeanSe c = mean_se(all.cycle_days);
  INFO("win rate " << w.mean << " +- " << w.se << "; cycle " << c.mean << " +- " << c.se);
  CHECK(w.mean > 0.20 - 4 * w.se);
  CHECK(w.mean < 0.25 + 4 * w.se);
  CHECK(c.mean > 60.0);  // a mix of the two segments' cycles
  CHECK(c.mean < 170.0);

  // Mid-market alone, reps constant: the measured cycle is the lognormal's mean (68 days),
  // within 4 SE and half a weekly step of rounding; the win rate is the configured 25%.
  Scenario mid = shipped(6);
  mid.market.segments[1].sales.sold = false;
  mid.strategy.slg.reps = Schedule::constant(20.0);
  const DealStats one = deal_stats(run_scenario(mid), 12, 48);
  const test::MeanSe w1 = mean_se(one.win_rate);
  const test::MeanSe c1 = mean_se(one.cycle_days);
  INFO("mid-market win rate " << w1.mean << " +- " << w1.se << "; cycle " << c1.mean << " +- "
                              << c1.se);
  CHECK(std::fabs(w1.mean - 0.25) < 4 * w1.se);
  CHECK(std::fabs(c1.mean - 60.0 * std::exp(0.125)) < 4 * c1.se + 3.5);
}
