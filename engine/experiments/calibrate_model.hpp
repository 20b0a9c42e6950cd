// Evaluating a calibration particle: the base scenario with the spec's `set:` values and the
// particle's parameter values applied exactly like `--set path=value`, then either the agent
// model's replicates (seeded by the particle's own stream, reduced by their mean) or the
// mean-field twin (meanfield::expect, deterministic), compared with the data.
#pragma once

#include <flywheel/experiments/calibrate.hpp>
#include <flywheel/spec/scenario.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace flywheel {

class CalibrationModel {
 public:
  explicit CalibrationModel(const CalibrationSpec& spec);

  // Each replicate's months 1..horizon (one trajectory with the mean field). Throws InputError
  // when the values make an invalid scenario.
  std::vector<std::vector<MetricValues>> replicates(const std::vector<double>& values,
                                                    std::uint32_t seed) const;
  // Their mean, month by month (NaN where no replicate defines the metric).
  std::vector<MetricValues> trajectory(const std::vector<double>& values,
                                       std::uint32_t seed) const;
  // The distance to the data; +infinity for an invalid scenario or an undefined value. The
  // simulation stops at the data's last month (months 1..m of a run do not depend on the months
  // after m). `bound`: only whether the distance is within it matters (see abc::Simulate).
  double distance(const std::vector<double>& values, std::uint32_t seed,
                  double bound = std::numeric_limits<double>::infinity()) const;

  // The parameter value as passed to the scenario (integers rounded).
  std::string value_text(std::size_t parameter, double value) const;
  // The resolved base scenario (JSON text), part of the calibration's identity.
  const std::string& base_json() const { return base_json_; }

 private:
  // months: the horizon (0 = the spec's).
  Scenario scenario(const std::vector<double>& values, std::uint32_t seed, int months = 0) const;
  std::vector<std::vector<MetricValues>> runs(const Scenario& s) const;
  std::vector<MetricValues> mean(std::vector<std::vector<MetricValues>> runs) const;

  const CalibrationSpec& spec_;
  std::string base_text_, base_dir_, base_json_;
  CalibrationDistance distance_;
  int fit_months_ = 0;  // the data's last month
};

}  // namespace flywheel
