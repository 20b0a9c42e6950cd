// flywheel::meanfield::expect: the scenario's expected trajectory (include/flywheel/meanfield/
// expect.hpp). The twin's state and right-hand side are in twin.hpp.
#include <flywheel/meanfield/expect.hpp>

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace flywheel::meanfield {

bool has_mean_field(Metric metric) {
  switch (metric) {
    case Metric::median_ttv_days:   // a median of individual waits
    case Metric::cohort_k:          // descendants of individual signups
    case Metric::viral_cycle_days:  // waits between individual signups
      return false;
    default:
      return true;
  }
}

std::string expected_csv(const ExpectedRun& run) {
  std::string out = "month,metric,value\n";
  for (std::size_t m = 0; m < run.months.size(); ++m) {
    for (int i = 0; i < kMetricCount; ++i) {
      const double v = run.months[m][static_cast<std::size_t>(i)];
      // As timeseries.csv: shortest round-trip numbers, an empty field where undefined.
      out += fmt::format("{},{},{}\n", m + 1, metric_name(static_cast<Metric>(i)),
                         std::isfinite(v) ? fmt::format("{}", v) : std::string());
    }
  }
  return out;
}

ExpectedRun expect(const Scenario& scenario) {
  (void)scenario;
  throw std::logic_error("flywheel::meanfield::expect: the twin's core lands in twin.cpp");
}

}  // namespace flywheel::meanfield
