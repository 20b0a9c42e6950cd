// Reported metrics from the exact monthly record: scaling by agent_scale and the formulas of
// docs/metrics.md.
#include "fixtures.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/spec/metrics.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace flywheel;

namespace {
double at(const MetricValues& v, Metric m) {
  return v[static_cast<int>(m)];
}
}  // namespace

TEST_CASE("counts and money scale by agent_scale; ratios and spend do not", "[metrics]") {
  MonthRecord r;
  r.users_by_stage = {50, 10, 5, 4, 3, 2, 1};
  r.active_users = 9;
  r.accounts_paying = 4;
  r.accounts_paying_start = 5;
  r.accounts_churned = 1;
  r.mrr_start_cents = 100000;  // $1000
  r.mrr_new_cents = 20000;
  r.mrr_expansion_cents = 5000;
  r.mrr_reactivation_cents = 1000;
  r.mrr_contraction_cents = 3000;
  r.mrr_churned_cents = 10000;
  r.mrr_end_cents = 113000;
  r.spend_marketing_cents = 250000;
  const MetricValues v = derive_metrics(r, 10);
  CHECK(at(v, Metric::users_unaware) == 500);
  CHECK(at(v, Metric::users_churned) == 10);
  CHECK(at(v, Metric::active_users) == 90);
  CHECK(at(v, Metric::mrr_usd) == 11300);
  CHECK(at(v, Metric::arr_usd) == 135600);
  CHECK(at(v, Metric::mrr_churned_usd) == 1000);
  CHECK(at(v, Metric::spend_marketing_usd) == 2500);  // real spend, not a sample
  CHECK(at(v, Metric::logo_churn) == Approx(0.2));    // 1 / 5
  CHECK(at(v, Metric::grr) == Approx(0.87));          // (1000 - 100 - 30) / 1000
  CHECK(at(v, Metric::nrr) == Approx(0.92));          // (1000 - 100 - 30 + 50) / 1000
  // (lost - gained) / start = (130 - 260) / 1000
  CHECK(at(v, Metric::net_revenue_churn) == Approx(-0.13));
  CHECK(at(v, Metric::arpu_usd) == Approx(11300.0 / 90));
  CHECK(at(v, Metric::arpa_usd) == Approx(11300.0 / 40));
}

TEST_CASE("ratios over zero are undefined (NaN), not zero", "[metrics]") {
  const MetricValues v = derive_metrics(MonthRecord{}, 1);
  for (Metric m : {Metric::logo_churn, Metric::grr, Metric::nrr, Metric::net_revenue_churn,
                   Metric::arpu_usd, Metric::arpa_usd, Metric::median_ttv_days}) {
    CHECK(std::isnan(at(v, m)));
  }
  CHECK(at(v, Metric::mrr_usd) == 0);
}

TEST_CASE("every metric has a unique name, a unit and a meaning", "[metrics]") {
  for (int i = 0; i < kMetricCount; ++i) {
    const MetricInfo& info = metric_infos()[i];
    CHECK(metric_by_name(info.name) == static_cast<Metric>(i));
    CHECK_FALSE(info.unit.empty());
    CHECK_FALSE(info.meaning.empty());
  }
  CHECK_FALSE(metric_by_name("arr").has_value());
}

TEST_CASE("a 1-in-10 sample of accounts reports the same market", "[metrics][stochastic]") {
  Scenario full = test::small_plg(12, 4);
  full.market.people = 40000;
  Scenario sampled = full;
  sampled.simulation.agent_scale = 10;
  auto mean_at = [](const RunResult& run, int month, Metric m) {
    const test::MeanSe x = test::across_replicates(run, month, [&](const MonthRecord& r) {
      return at(derive_metrics(r, run.scenario.simulation.agent_scale), m);
    });
    return std::pair{x.mean, x.se};
  };
  const RunResult a = run_scenario(full), b = run_scenario(sampled);
  for (Metric m : {Metric::users_unaware, Metric::active_users, Metric::accounts_paying}) {
    const auto [ma, sa] = mean_at(a, 11, m);
    const auto [mb, sb] = mean_at(b, 11, m);
    INFO(metric_name(m) << ": full " << ma << " +- " << sa << ", sampled " << mb << " +- " << sb);
    CHECK(mb > 0);
    CHECK(std::abs(ma - mb) <= 4 * std::hypot(sa, sb));
  }
}

TEST_CASE("community counts scale by agent_scale; the share, rate and quality do not",
          "[metrics][community]") {
  MonthRecord r;
  r.active_users = 40;
  r.members_by_level = {0, 20, 8, 3, 1};
  r.member_users = 10;
  r.active_member_users = 9;
  r.active_member_users_start = 8;
  r.member_churns = 2;
  r.community_joins = 6;
  r.community_leaves = 4;
  r.support_answers = 7;
  r.content_pieces_contributed = 5;
  r.content_pieces_planned = 4;
  r.product_quality = 0.25;
  const MetricValues v = derive_metrics(r, 10);
  CHECK(at(v, Metric::community_members) == 320);
  CHECK(at(v, Metric::active_members) == 120);
  CHECK(at(v, Metric::members_exploring) == 200);
  CHECK(at(v, Metric::members_participating) == 80);
  CHECK(at(v, Metric::members_contributing) == 30);
  CHECK(at(v, Metric::members_leading) == 10);
  CHECK(at(v, Metric::community_share_of_users) == Approx(0.25));
  CHECK(at(v, Metric::active_member_users) == 90);
  CHECK(at(v, Metric::member_churns) == 20);
  CHECK(at(v, Metric::member_churn_rate) == Approx(0.25));
  CHECK(at(v, Metric::community_joins) == 60);
  CHECK(at(v, Metric::community_leaves) == 40);
  CHECK(at(v, Metric::support_answers) == 70);
  CHECK(at(v, Metric::content_pieces_contributed) == 50);
  CHECK(at(v, Metric::content_pieces_planned) == 4);  // real pieces: not scaled
  CHECK(at(v, Metric::content_pieces) == 54);
  CHECK(at(v, Metric::product_quality) == 0.25);
  CHECK(std::isnan(at(derive_metrics(MonthRecord{}, 1), Metric::member_churn_rate)));
}
