// The typed, validated, immutable scenario spec: everything a run needs, in business units.
// Built once by the loader (loader.hpp) from YAML; the model never sees YAML.
// Each field is documented once, in the parameter schema (engine/scenario/param_schema.cpp) and
// docs/parameters.md generated from it.
#pragma once

#include <flywheel/spec/network_spec.hpp>
#include <flywheel/spec/schedule.hpp>
#include <flywheel/spec/strategy.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flywheel {

// Life-cycle stages of one person (docs/model.md#one-step-the-phases), in the flywheel's order.
enum class Stage : std::uint8_t {
  unaware = 0,
  aware,
  evaluator,  // signed up, not yet activated (time to value running)
  beginner,   // activated
  regular,    // adopted
  champion,   // advocates
  churned,    // left; may reactivate
};
inline constexpr int kStageCount = 7;
inline constexpr std::array<const char*, kStageCount> kStageNames = {
    "unaware", "aware", "evaluator", "beginner", "regular", "champion", "churned"};

// Beginner, regular and champion are "active users" (counted for PQLs, seats and ARPU).
constexpr bool is_active(Stage s) {
  return s == Stage::beginner || s == Stage::regular || s == Stage::champion;
}

enum class StepSize : std::uint8_t { day, week, month };

enum class SizeDistribution : std::uint8_t { fixed, geometric, lognormal };

// People per account (company): at least 1, at most max_people.
struct AccountSize {
  SizeDistribution distribution = SizeDistribution::geometric;
  double mean_people = 3.0;  // fixed: the size; geometric: mean of 1 + Geometric; lognormal: mean
  double sigma = 1.0;        // lognormal only: sd of log(size)
  int max_people = 1000;
  bool operator==(const AccountSize&) const = default;
};

struct Segment {
  std::string name;
  double share = 1.0;  // share of the market's people, shares sum to 1
  AccountSize account_size;
  double price_usd_per_seat_month = 0.0;  // list price of one paid seat
  double cancel_per_month = 0.0;          // voluntary cancellation probability of a paid account
  SegmentSales sales;                     // how the segment buys through sales (SLG)
  bool operator==(const Segment&) const = default;
};

struct SimulationSpec {
  int months = 36;  // horizon, calendar months of 30.4375 days
  StepSize step = StepSize::week;
  int replicates = 100;
  std::uint32_t seed = 1;
  int agent_scale = 1;  // one simulated account stands for agent_scale real ones
  bool operator==(const SimulationSpec&) const = default;
};

struct MarketSpec {
  std::int64_t people = 100000;  // total addressable people
  std::vector<Segment> segments;
  bool operator==(const MarketSpec&) const = default;
};

// Phase 1 channels that need no strategy lever: Bass innovation and imitation (rates per month).
struct AcquisitionSpec {
  double innovation_p_per_month = 0.0;  // Bass p: spontaneous awareness rate
  double imitation_q_per_month = 0.0;   // Bass q: word-of-mouth rate x share of sources
  // Stages whose people spread word of mouth (default: regular, champion).
  std::array<bool, kStageCount> word_of_mouth_sources{false, false, false, false,
                                                      true,  true,  false};
  bool operator==(const AcquisitionSpec&) const = default;
};

// Per-person flywheel: probabilities per month, converted to hazards per step.
struct FunnelSpec {
  double signup_per_month = 0.0;        // aware -> evaluator
  double forget_per_month = 0.0;        // aware -> unaware
  double activation_per_month = 0.0;    // evaluator -> beginner
  double activation_window_days = 0.0;  // evaluators not activated by then drop out; 0 = no window
  double adoption_per_month = 0.0;      // beginner -> regular
  double advocacy_per_month = 0.0;      // regular -> champion
  double reactivation_per_month = 0.0;  // churned -> beginner (or evaluator if never activated)
  // churned; index by Stage (only evaluator, beginner, regular, champion are used)
  std::array<double, kStageCount> churn_per_month{};
  // Multiplies the churn hazards of active users whose account pays.
  double paid_churn_multiplier = 1.0;
  // Network effects within accounts: with s = share of the person's teammates who are active
  // users (previous step), adoption hazard x (1 + team_adoption_lift x s) and the churn hazard
  // of active users x (1 - team_churn_reduction x s).
  double team_adoption_lift = 0.0;
  double team_churn_reduction = 0.0;
  // Colleagues reached through the account: an active user's in-product invites sign up each
  // teammate who has not signed up yet at rate teammate_invites_per_month x active / (n - 1).
  double teammate_invites_per_month = 0.0;
  bool team_effects() const { return team_adoption_lift != 0.0 || team_churn_reduction != 0.0; }
  bool operator==(const FunnelSpec&) const = default;
};

// Start state: share of people in each stage at month 0 (default: everyone unaware).
struct InitialSpec {
  std::array<double, kStageCount> stage_shares{1.0, 0, 0, 0, 0, 0, 0};
  bool operator==(const InitialSpec&) const = default;
};

struct Target {
  std::string metric;  // a metric name from metrics.hpp
  std::optional<double> at_least;
  std::optional<double> at_most;
  int by_month = 0;  // reached at some month 1..by_month
  bool operator==(const Target&) const = default;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string source_file;  // where it was loaded from ("" for built in code)
  SimulationSpec simulation;
  MarketSpec market;
  AcquisitionSpec acquisition;
  NetworkSpec network;
  FunnelSpec funnel;
  StrategySpec strategy;
  EconomicsSpec economics;
  InitialSpec initial;
  std::vector<Target> targets;
  bool operator==(const Scenario&) const = default;
};

// Simulated people: market.people / agent_scale, at least 1.
std::int64_t simulated_people(const Scenario& scenario);

const char* to_string(StepSize s);
const char* to_string(SizeDistribution d);

}  // namespace flywheel
