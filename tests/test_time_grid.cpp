// Time: steps, calendar months of 30.4375 days, hazard conversion.
#include <flywheel/spec/time_grid.hpp>

#include "model/month_ledger.hpp"

#include <catch2/catch.hpp>

using namespace flywheel;

TEST_CASE("every month holds the same whole number of steps and ends on a step", "[time]") {
  const TimeGrid month(StepSize::month, 36);
  CHECK(month.steps() == 36);
  CHECK(month.month_of_step(0) == 0);
  CHECK(month.month_of_step(35) == 35);
  CHECK(month.closes_month(0));
  CHECK(month.step_days() == 30.4375);

  const TimeGrid day(StepSize::day, 12);
  CHECK(day.steps() == 360);
  CHECK(day.month_of_step(29) == 0);
  CHECK(day.month_of_step(30) == 1);
  CHECK(day.closes_month(29));
  CHECK_FALSE(day.closes_month(28));
  CHECK(day.closes_month(359));
  CHECK(day.step_days() == Approx(30.4375 / 30));

  const TimeGrid week(StepSize::week, 12);
  CHECK(week.steps() == 48);
  CHECK(week.step_days() == Approx(7.609375));
  CHECK(week.step_months() == 0.25);
  CHECK(week.steps_in_days(14) == Approx(14 / 7.609375));
  for (const TimeGrid& grid : {month, day, week}) {
    int closes = 0;
    for (int s = 0; s < grid.steps(); ++s) {
      closes += grid.closes_month(s) ? 1 : 0;
      // The snapshot of a month is taken at its true end: month m ends at m + 1 months.
      if (grid.closes_month(s)) CHECK(grid.end_time_months(s) == grid.month_of_step(s) + 1.0);
      CHECK(grid.month_of_step(s) == s / grid.steps_per_month());
    }
    CHECK(closes == grid.months());  // exactly one snapshot a month
  }
}

TEST_CASE("monthly probabilities become per-step probabilities by hazard", "[time]") {
  CHECK(step_probability(0.2, 1.0) == Approx(0.2));
  CHECK(step_probability(0.0, 0.25) == 0.0);
  CHECK(step_probability(1.0, 0.01) == 1.0);
  // Four quarter-month steps compound back to the monthly probability.
  const double q = step_probability(0.2, 0.25);
  CHECK(1.0 - std::pow(1.0 - q, 4) == Approx(0.2).epsilon(1e-12));
  CHECK(rate_from_monthly_probability(1.0 - std::exp(-0.3)) == Approx(0.3));
}

TEST_CASE("median time to value from the step histogram", "[time]") {
  // Bin k: activated k steps after the signup step, k steps apart from mid-step to mid-step; in
  // the signup step itself, a quarter of a step after the signup.
  std::array<std::int64_t, model::kTtvBins> h{};
  CHECK_FALSE(model::median_ttv_days(h, 7.0).has_value());
  h[0] = 1;
  CHECK(*model::median_ttv_days(h, 8.0) == Approx(2.0));  // a quarter of the first step
  h[2] = 2;                                               // values 0.25, 2, 2 steps
  CHECK(*model::median_ttv_days(h, 1.0) == Approx(2.0));
  h[4] = 1;  // 0.25, 2, 2, 4: mean of middles
  CHECK(*model::median_ttv_days(h, 1.0) == Approx(2.0));
  h[4] = 3;  // 0.25, 2, 2, 4 x3
  CHECK(*model::median_ttv_days(h, 1.0) == Approx(3.0));
}
