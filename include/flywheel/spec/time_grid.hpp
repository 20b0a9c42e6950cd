// Time: steps of a day, a week or a month; calendar months of 30.4375 days for reporting; rates
// given per month turned into per-step probabilities by hazard (docs/model.md#time).
#pragma once

#include <flywheel/spec/scenario.hpp>

#include <cmath>

namespace flywheel {

inline constexpr double kDaysPerMonth = 30.4375;

class TimeGrid {
 public:
  TimeGrid(StepSize step, int months);

  int steps() const { return steps_; }
  int months() const { return months_; }
  double step_days() const { return sixteenths_per_step_ / 16.0; }
  double step_months() const { return sixteenths_per_step_ / kSixteenthsPerMonth; }
  // 0-based calendar month in which step s ends.
  int month_of_step(int s) const;
  // True when s is the last step ending in its calendar month (month-end snapshot).
  bool closes_month(int s) const;
  // Time at which step s ends, months.
  double end_time_months(int s) const { return (s + 1) * step_months(); }

 private:
  static constexpr double kSixteenthsPerMonth = 487.0;  // 30.4375 days = 487/16 days
  long long sixteenths_per_step_;
  int months_;
  int steps_;
};

// Probability per step from a probability per month: 1 - (1 - p)^(dt / month).
inline double step_probability(double p_per_month, double step_months) {
  if (p_per_month >= 1.0) return 1.0;
  return -std::expm1(std::log1p(-p_per_month) * step_months);
}
// Continuous hazard rate (per month) equivalent to a probability per month: -ln(1 - p).
inline double rate_from_monthly_probability(double p_per_month) {
  return p_per_month >= 1.0 ? INFINITY : -std::log1p(-p_per_month);
}

}  // namespace flywheel
