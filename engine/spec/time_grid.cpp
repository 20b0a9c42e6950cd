#include <flywheel/spec/time_grid.hpp>

#include <stdexcept>

namespace flywheel {

namespace {
// Steps per calendar month. A month is 30.4375 days, which no whole number of days or weeks
// divides: steps of exactly 1 or 7 days would give months of 30 or 31 steps, 4 or 5 weeks, and
// monthly flows that jump with the count (fake seasonality). Equal fractions of a month give
// every month the same steps and a step boundary at its end.
int per_month(StepSize step) {
  switch (step) {
    case StepSize::day:
      return 30;  // 1.0146 days
    case StepSize::week:
      return 4;  // 7.6094 days
    case StepSize::month:
      return 1;
  }
  throw std::logic_error("unknown step size");
}
}  // namespace

TimeGrid::TimeGrid(StepSize step, int months)
    : steps_per_month_(per_month(step)), months_(months), steps_(months * per_month(step)) {}

}  // namespace flywheel
