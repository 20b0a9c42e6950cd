// Time: calendar months of 30.4375 days, each cut into the same whole number of equal steps (a
// month step, four "week" steps of 7.61 days or thirty "day" steps of 1.015 days), so that every
// month holds the same steps and ends on a step boundary; rates given per month turned into
// per-step probabilities by hazard (docs/model.md#time).
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
  int steps_per_month() const { return steps_per_month_; }
  double step_days() const { return kDaysPerMonth / steps_per_month_; }
  double step_months() const { return 1.0 / steps_per_month_; }
  // 0-based calendar month that step s belongs to.
  int month_of_step(int s) const { return s / steps_per_month_; }
  // True when s is the last step of its calendar month: it ends at the month's end.
  bool closes_month(int s) const { return (s + 1) % steps_per_month_ == 0; }
  // Time at which step s ends, months.
  double end_time_months(int s) const { return (s + 1) * step_months(); }
  // A duration in days as a number of steps (not rounded).
  double steps_in_days(double days) const { return days / step_days(); }

 private:
  int steps_per_month_;
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
