// What optimize writes (optimize_files.cpp) and the rules run and files share: how a number is
// written, how far a constraint misses, which candidates are feasible for a run's bounds.
#pragma once

#include <flywheel/experiments/optimize.hpp>

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

namespace flywheel::optimize_detail {

// A number as the files write it: shortest round-trip text, empty when not finite.
inline std::string number_or_empty(double v) { return std::isfinite(v) ? fmt::format("{}", v) : ""; }

// How far a constraint misses (<= 0: met), relative to its bound (or absolute for a bound 0).
inline double miss(const OptimizeConstraint& k, double bound, const StatisticValue& v) {
  if (!std::isfinite(v.value)) return 1.0;
  const double scale = std::abs(bound) > 0 ? std::abs(bound) : 1.0;
  return (k.at_most ? v.value - bound : bound - v.value) / scale;
}

// The bounds of a run: the spec's, with the frontier constraint's moved to the run's level.
std::vector<double> run_bounds(const OptimizeSpec& spec, const OptimizeRun& run);
bool feasible_under(const OptimizeSpec& spec, const Candidate& c, const std::vector<double>& bounds);

std::string best_yaml(const OptimizeSpec& spec, const OptimizeResult& r);
std::string candidates_csv(const OptimizeSpec& spec, const OptimizeResult& r);
std::string trace_csv(const OptimizeSpec& spec, const OptimizeResult& r);
std::string frontier_csv(const OptimizeSpec& spec, const OptimizeResult& r);
std::string optimize_json(const OptimizeSpec& spec, const OptimizeResult& r, int scenarios,
                          int replicates);

}  // namespace flywheel::optimize_detail
