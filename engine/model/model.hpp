// The model compiled from a scenario for one replicate: the spec's business units turned into
// per-step numbers (thresholds, cents, window lengths) once, before step 0.
#pragma once

#include <flywheel/common/rng.hpp>
#include <flywheel/spec/scenario.hpp>
#include <flywheel/spec/time_grid.hpp>

#include "kernels/parallel_blocks.hpp"

#include <cstdint>
#include <vector>

namespace flywheel::model {

// One segment's sales funnel, compiled (strategy.slg, market.segments[].sales).
struct SegmentDeal {
  bool sold = false;
  std::uint64_t mql = 0, sql = 0, won = 0, renewal = 0;  // probability thresholds
  double cycle_log_median = 0, cycle_sigma = 0;          // ln(median days), sd of ln(days)
  double seat_share = 0;
  std::int64_t contract_price_cents = 0;  // one contract seat for one month
  double ramp_start_share = 1.0;          // share of the contract seats billed in month 0
};

struct Model {
  Model(const Scenario& scenario, std::uint32_t replicate);

  const Scenario& scenario;
  TimeGrid time;
  RandomStreams streams;
  // One seat for one month, per segment and plan tier: seat_price_cents[segment * tiers + tier].
  std::vector<std::int64_t> seat_price_cents;
  int tiers = 1;
  std::int64_t seat_price(std::uint8_t segment, std::uint8_t tier) const {
    return seat_price_cents[static_cast<std::size_t>(segment) * tiers + tier];
  }
  std::vector<std::uint64_t> cancel_threshold;  // per segment: cancellation in one step
  // Activation window of W days (window_months; 0: none) from the signup, which falls at the
  // middle of its step: after the signup step the evaluator has window_full_steps whole steps,
  // then one step of window_last_exposure_months, then drops out (window_full_steps < 0: no
  // window). People who start the run as evaluators signed up at its start: the same with the
  // initial_ numbers. A window no longer than the rest of the signup step ends in it.
  double window_months = 0.0;
  int window_full_steps = -1;
  double window_last_exposure_months = 0.0;
  int initial_window_full_steps = -1;
  double initial_window_last_months = 0.0;

  // Sales-led growth, per segment (empty when strategy.slg is off).
  std::vector<SegmentDeal> deals;
  int contract_term_steps = 1;
  int recycle_steps = 0;
  int true_up_steps = 0;  // steps between in-term true-ups (0: at renewal only)
  int ramp_months = 0;    // a new contract's billed seats reach the contract seats after this
  bool sales_led() const { return !deals.empty(); }

  // Onboarding quality (strategy.plg): multiplies the activation hazard.
  double onboarding_activation_multiplier(int month) const {
    const PlgSpec& plg = scenario.strategy.plg;
    return plg.enabled ? plg.onboarding_activation_multiplier.at(month) : 1.0;
  }

 private:
  void compile_sales(const Scenario& s);
  void compile_window(double window_days);
};

}  // namespace flywheel::model
