#include <flywheel/spec/time_grid.hpp>

#include <algorithm>
#include <stdexcept>

namespace flywheel {

namespace {
// Step lengths in sixteenths of a day, so that month boundaries (487/16 days) are exact integers.
long long sixteenths(StepSize step) {
  switch (step) {
    case StepSize::day:
      return 16;
    case StepSize::week:
      return 7 * 16;
    case StepSize::month:
      return 487;
  }
  throw std::logic_error("unknown step size");
}
}  // namespace

TimeGrid::TimeGrid(StepSize step, int months)
    : sixteenths_per_step_(sixteenths(step)), months_(months) {
  const long long horizon = 487LL * months;
  steps_ = static_cast<int>((horizon + sixteenths_per_step_ - 1) / sixteenths_per_step_);
}

int TimeGrid::month_of_step(int s) const {
  // The last step may run past the horizon; that tail still belongs to the last month.
  const long long end = (s + 1LL) * sixteenths_per_step_;
  return std::min(months_ - 1, static_cast<int>((end - 1) / 487));
}

bool TimeGrid::closes_month(int s) const {
  return s + 1 == steps_ || month_of_step(s + 1) != month_of_step(s);
}

}  // namespace flywheel
