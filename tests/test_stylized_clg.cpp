// Stylized facts of the shipped community scenarios: the hypothesis pair "active members
// retain 50% longer" and clg-community's outputs against cited (or stated) ranges.
#include "fixtures.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace flywheel;

namespace {

// A shipped scenario with fewer replicates and, optionally, a finer sample (agent_scale).
Scenario shipped(const std::string& relative, int replicates, int agent_scale = 0) {
  std::vector<Override> set = {{"simulation.replicates", std::to_string(replicates)}};
  if (agent_scale > 0) set.push_back({"simulation.agent_scale", std::to_string(agent_scale)});
  return load_scenario(test::source_path(relative), set);
}

// Mean and standard error of values over replicates.
test::MeanSe mean_se(const std::vector<double>& x) {
  const auto n = static_cast<double>(x.size());
  double mean = 0, ss = 0;
  for (double v : x) mean += v / n;
  for (double v : x) ss += (v - mean) * (v - mean);
  return {mean, std::sqrt(ss / (n - 1) / n)};
}

// Active members' mean lifetime as users, months 13-36: person-months of active members who
// are users / their churn events (the exponential maximum-likelihood estimate).
std::vector<double> member_lifetimes(const RunResult& run) {
  std::vector<double> out;
  for (const ReplicateResult& r : run.replicates) {
    double exposure = 0, churns = 0;
    for (int m = 12; m < 36; ++m) {
      exposure += static_cast<double>(r.months[m].active_member_users_start);
      churns += static_cast<double>(r.months[m].member_churns);
    }
    out.push_back(exposure / churns);
  }
  return out;
}

}  // namespace

TEST_CASE("hypothesis: active members of the 1/1.5 scenario live ~1.5x longer",
          "[stylized][community]") {
  // A 1-in-5 sample rather than 1-in-20: member churn events are few, and the finer sample
  // brings the ratio's standard error to ~0.04.
  const RunResult base = run_scenario(
      shipped("scenarios/hypotheses/members-retain-50pct-longer-baseline.yaml", 12, 5));
  const RunResult longer =
      run_scenario(shipped("scenarios/hypotheses/members-retain-50pct-longer.yaml", 12, 5));
  // Paired by replicate: the two arms share their random numbers (same seed and keys).
  const std::vector<double> a = member_lifetimes(base), b = member_lifetimes(longer);
  std::vector<double> ratios;
  for (std::size_t r = 0; r < a.size(); ++r) {
    ratios.push_back(b[r] / a[r]);
    UNSCOPED_INFO("replicate " << r << ": " << a[r] << " -> " << b[r] << " months");
  }
  const test::MeanSe paired = mean_se(ratios);
  const double ratio = paired.mean, se = paired.se;
  INFO("member lifetime ratio " << ratio << " +- " << se);
  // Each member's hazard is x 1/1.5 exactly (tests/test_community.cpp checks 1.5 in a still
  // population). Pooled over stages the ratio may run a little above 1.5: members who live
  // longer spend more of their time as regulars and champions, whose base churn is lower
  // (measured: 1.55 +- 0.03). The band: 1.5 up to that composition effect, +- 4 SE.
  CHECK(ratio > 1.5 - 4 * se);
  CHECK(ratio < 1.7 + 4 * se);
  CHECK(se < 0.06);
  // And every active user benefits in the aggregate: fewer users churn over three years.
  auto churned = [](const RunResult& run) {
    std::vector<double> x;
    for (const ReplicateResult& r : run.replicates) {
      double n = 0;
      for (const MonthRecord& m : r.months) {
        for (std::int64_t c : m.churn_by_stage) n += static_cast<double>(c);
      }
      x.push_back(n);
    }
    return mean_se(x);
  };
  const test::MeanSe churn_a = churned(base), churn_b = churned(longer);
  CHECK(churn_b.mean < churn_a.mean);
}

TEST_CASE("clg-community lands in cited ranges at month 36", "[stylized][community]") {
  const RunResult run = run_scenario(shipped("scenarios/clg-community.yaml", 12));
  const int last = 35;
  // Free-to-paid, retention, payback and LTV:CAC are held to their public ranges in
  // docs/validation.md (tests/test_validation.cpp), with one definition each.
  // Share of active users who are community members. No published benchmark found: an
  // assumption that an active community is a minority of the user base, 10-30%.
  const test::MeanSe share = test::across_replicates(run, last, [](const MonthRecord& m) {
    return static_cast<double>(m.member_users) / static_cast<double>(m.active_users);
  });
  INFO("member share of users " << share.mean << " +- " << share.se);
  CHECK(share.mean > 0.10);
  CHECK(share.mean < 0.30);
  // Signups the community brings in the last year: an assumed 10-30% for a community-led
  // company (no public benchmark found; the scenario was sized to it).
  double community = 0, all = 0;
  for (const ReplicateResult& r : run.replicates) {
    for (int m = 24; m < 36; ++m) {
      for (int c = 0; c < kChannelCount; ++c)
        all += static_cast<double>(r.months[m].signups_by_channel[c]);
      community +=
          static_cast<double>(r.months[m].signups_by_channel[static_cast<int>(Channel::community)]);
    }
  }
  INFO("community share of signups " << community / all);
  CHECK(community / all > 0.10);
  CHECK(community / all < 0.30);
  // The engagement ladder keeps the 90-9-1 shape (Nielsen 2006; FeverBee): contributors and
  // leaders are a small minority of members.
  const test::MeanSe contributors = test::across_replicates(run, last, [](const MonthRecord& m) {
    const auto& l = m.members_by_level;
    return static_cast<double>(l[3] + l[4]) / static_cast<double>(l[1] + l[2] + l[3] + l[4]);
  });
  INFO("contributing share of members " << contributors.mean);
  CHECK(contributors.mean > 0.01);
  CHECK(contributors.mean < 0.15);
}
