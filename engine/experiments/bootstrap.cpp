#include "bootstrap.hpp"

#include <flywheel/output/statistics.hpp>

#include "design_draws.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace flywheel {

std::vector<int> bootstrap_resample(const RandomStreams& streams, int round, int units) {
  DrawEngine engine(streams, static_cast<std::uint32_t>(round), design_draws::kBootstrapStep,
                    Decision::design);
  std::vector<int> indices(units);
  for (int& i : indices) i = design_draws::uniform_index(engine, units);
  return indices;
}

Interval bootstrap_interval(double estimate, std::vector<double> rounds) {
  std::erase_if(rounds, [](double x) { return std::isnan(x); });
  if (rounds.empty()) {
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    return {estimate, kNaN, kNaN};
  }
  std::sort(rounds.begin(), rounds.end());
  return {estimate, quantile_sorted(rounds, 0.025), quantile_sorted(rounds, 0.975)};
}

}  // namespace flywheel
