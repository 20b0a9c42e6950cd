// Evaluating sweep points: a point's scenario is the base scenario with the point's values set
// on it (exactly like `--set path=value`), run for a range of replicates with the sweep's seed,
// so that every point sees the same random streams (common random numbers across points).
// With `engine: mean_field`, a point is instead its scenario's mean-field twin (meanfield::
// expect), evaluated once: one replicate per point, the same files as an agent sweep.
#pragma once

#include <flywheel/experiments/sweep.hpp>
#include <flywheel/experiments/sweep_points.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace flywheel {

class SweepModel {
 public:
  SweepModel(const SweepSpec& spec, const SweepPoints& points);

  // Outputs of replicates r0..r1-1 of `point`: rows[r - r0][k] for spec.outputs[k].
  // Throws InputError when the point's scenario is invalid (a value out of its range).
  std::vector<std::vector<double>> evaluate(int point, int r0, int r1) const;

  // One evaluation per point, whatever the replicate (engine: mean_field): the points can then be
  // run side by side (run_units) rather than their replicates.
  bool deterministic() const { return spec_.engine == SweepEngine::mean_field; }
  std::uint32_t seed() const { return seed_; }
  int replicates() const { return replicates_; }
  int months() const { return months_; }
  std::size_t outputs() const { return spec_.outputs.size(); }
  // The resolved base scenario (JSON text), part of the sweep's identity.
  const std::string& base_json() const { return base_json_; }

 private:
  Scenario scenario_at(int point) const;

  const SweepSpec& spec_;
  const SweepPoints& points_;
  std::string base_text_, base_dir_;
  std::uint32_t seed_ = 0;
  int replicates_ = 1;
  int months_ = 1;
  std::string base_json_;
};

// The test-only model hook: Ishigami's function sin x1 + a sin^2 x2 + b x3^4 sin x1 (a = 7,
// b = 0.1) of the parameters named x1, x2, x3.
double ishigami(double x1, double x2, double x3);

// optimize's test model (`model: quadratic`): y = 1 - (x1 - 0.3)^2 - (x2 - 0.7)^2 + x3 and
// cost = x1 + x2, so the best (x1, x2) is (0.3, 0.7), or (0.2, 0.6) under mean(cost) <= 0.8.
double quadratic(double x1, double x2, double x3);
double quadratic_cost(double x1, double x2, double x3);

}  // namespace flywheel
