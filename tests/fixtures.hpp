// Scenarios built in code for engine tests (independent of the YAML loader).
#pragma once

#include <flywheel/model/engine.hpp>
#include <flywheel/spec/scenario.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

namespace flywheel::test {

// A small PLG market with every v1 mechanism on: Bass awareness, paid marketing, the whole
// flywheel with churn and reactivation, an activation window, PQLs, conversion, cancellation.
inline Scenario small_plg(int replicates = 6, std::uint32_t seed = 11) {
  Scenario s;
  s.name = "small-plg";
  s.simulation.months = 18;
  s.simulation.step = StepSize::week;
  s.simulation.replicates = replicates;
  s.simulation.seed = seed;
  s.market.people = 6000;
  Segment smb{"smb", 0.7, {SizeDistribution::geometric, 5, 1, 60}, 12.0, 0.02, {}};
  Segment mid{"mid", 0.3, {SizeDistribution::lognormal, 30, 0.8, 400}, 20.0, 0.01, {}};
  s.market.segments = {smb, mid};
  s.acquisition.innovation_p_per_month = 0.01;
  s.acquisition.imitation_q_per_month = 0.8;
  FunnelSpec& f = s.funnel;
  f.signup_per_month = 0.3;
  f.forget_per_month = 0.1;
  f.activation_per_month = 0.5;
  f.activation_window_days = 21;
  f.adoption_per_month = 0.3;
  f.advocacy_per_month = 0.08;
  f.reactivation_per_month = 0.05;
  f.churn_per_month = {0, 0, 0.02, 0.2, 0.05, 0.02, 0};
  s.strategy.marketing.spend_usd_per_month = Schedule{{{0, 2000.0}, {6, 6000.0}}};
  s.strategy.marketing.cost_per_aware_usd = 5;
  s.strategy.plg.enabled = true;  // a free tier: people use the product before paying
  s.strategy.plg.pql_min_active_users = 2;
  s.strategy.plg.pql_conversion_per_month = Schedule::constant(0.3);
  s.strategy.plg.free_conversion_per_month = Schedule::constant(0.02);
  return s;
}

// A still community for exact CLG checks: n people in one-person accounts on a free tier, all
// regulars, no channels, no flywheel moves, and the community on with every rate at zero (each
// test switches on the one rule it checks). Monthly steps, agent_scale 1.
inline Scenario clg_base(std::int64_t people = 20000, int months = 3, int replicates = 1,
                         std::uint32_t seed = 5) {
  Scenario s;
  s.name = "clg-base";
  s.simulation = {months, StepSize::month, replicates, seed, 1};
  s.market.people = people;
  Segment solo;
  solo.name = "solo";
  solo.account_size = {SizeDistribution::fixed, 1, 1, 1};
  solo.price_usd_per_seat_month = 10.0;
  s.market.segments = {solo};
  s.initial.stage_shares = {0, 0, 0, 0, 1, 0, 0};
  s.strategy.plg.enabled = true;  // a free tier: users keep access
  ClgSpec& c = s.strategy.clg;
  c.enabled = true;
  c.join_per_month = Schedule::constant(0.0);
  c.leave_per_month = Schedule::constant(0.0);
  c.gravity = 0.0;
  c.promote_exploring_per_month = c.promote_participating_per_month = 0.0;
  c.promote_contributing_per_month = c.demote_per_month = 0.0;
  return s;
}

// small_plg with the community and every program on.
inline Scenario small_clg(int replicates = 4, std::uint32_t seed = 13) {
  Scenario s = small_plg(replicates, seed);
  ClgSpec& c = s.strategy.clg;
  c.enabled = true;
  c.motives = {0.5, 0.3, 0.2};
  c.join_per_month = Schedule::constant(0.1);
  c.nonuser_draw_per_month = Schedule::constant(0.005);
  c.gravity_scale_members = 200;
  c.initial_members_share = 0.0;
  c.promote_exploring_per_month = 0.3;
  c.promote_participating_per_month = 0.2;
  c.promote_contributing_per_month = 0.1;
  c.member_churn_multiplier = Schedule::constant(0.7);
  c.team_size = Schedule{{{0, 1.0}, {9, 2.0}}};
  c.support = {true, Schedule::constant(300.0), 5.0, 50.0, 1.5, 0.7};
  c.content = {true, Schedule::constant(400.0), 1.0, 20.0};
  c.events = {true, Schedule::constant(2000.0), 0.5, 2000.0};
  c.champions = {true, Schedule::constant(100.0), 1.5, 2.0};
  c.co_creation = {true, Schedule::constant(0.0), 50.0, 3.0, 0.3, 0.2};
  c.trust = {true, Schedule::constant(0.0), 1.5};
  return s;
}

struct MeanSe {
  double mean = 0, se = 0;  // mean over replicates and its standard error
};

// Mean of x and its standard error (0 for a single value).
inline MeanSe mean_se(const std::vector<double>& x) {
  const auto n = static_cast<double>(x.size());
  double mean = 0;
  for (double v : x) mean += v;
  mean /= n;
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return {mean, x.size() > 1 ? std::sqrt(ss / (n - 1) / n) : 0.0};
}

// Mean and standard error over replicates of f(record of month `month`).
template <class F>
MeanSe across_replicates(const RunResult& run, int month, F f) {
  std::vector<double> x;
  for (const ReplicateResult& r : run.replicates) x.push_back(f(r.months[month]));
  return mean_se(x);
}

// Folders under scenarios/ that hold specs of experiments (sweeps, calibrations), not
// scenarios.
inline bool in_spec_folder(const std::filesystem::path& file) {
  const std::filesystem::path folder = file.parent_path().filename();
  return folder == "sweeps" || folder == "calibration" || folder == "optimize";
}

inline std::string source_path(const std::string& relative) {
  return std::string(FLYWHEEL_SOURCE_DIR) + "/" + relative;
}

// The shipped scenarios, found by folder so that a new one is covered without a change to the
// tests that run them all.
inline std::vector<std::filesystem::path> shipped_scenarios() {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const char* dir : {"scenarios", "scenarios/hypotheses", "scenarios/validation"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(FLYWHEEL_SOURCE_DIR) / dir)) {
      if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace flywheel::test
