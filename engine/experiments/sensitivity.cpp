#include <flywheel/experiments/sensitivity.hpp>

#include <flywheel/common/rng.hpp>

#include "bootstrap.hpp"
#include "design_draws.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace flywheel {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void require(bool ok, const char* function, const std::string& problem) {
  if (!ok) throw std::invalid_argument(std::string(function) + ": " + problem);
}

void require_at_least(const char* function, const char* name, int value, int minimum) {
  require(value >= minimum, function,
          std::string(name) + " = " + std::to_string(value) + "; expected " + name +
              " >= " + std::to_string(minimum));
}

void require_size(const char* function, const char* what, std::size_t size, std::int64_t expected,
                  const std::string& rule) {
  require(static_cast<std::int64_t>(size) == expected, function,
          std::string(what) + " has " + std::to_string(size) + " values; expected " + rule + " = " +
              std::to_string(expected));
}

bool any_nan(std::span<const double> y) {
  return std::any_of(y.begin(), y.end(), [](double v) { return std::isnan(v); });
}

std::vector<int> all_units(int n) {
  std::vector<int> units(n);
  std::iota(units.begin(), units.end(), 0);
  return units;
}

double square(double x) {
  return x * x;
}

// ---- Sobol (Saltelli design) ----

// The outputs of base sample j: f(A_j), f(AB_j^(i)), f(B_j) in saltelli_points order.
struct SaltelliOutputs {
  std::span<const double> y;
  int dims;
  double a(int j) const { return y[static_cast<std::size_t>(j) * (dims + 2)]; }
  double ab(int j, int i) const { return y[static_cast<std::size_t>(j) * (dims + 2) + 1 + i]; }
  double b(int j) const { return y[static_cast<std::size_t>(j) * (dims + 2) + dims + 1]; }
};

struct SobolEstimate {
  std::vector<double> first, total;
  double variance;
};

// Population variance of f(A_j), f(B_j) over the base samples in `units` (repeats count).
double ab_variance(const SaltelliOutputs& f, std::span<const int> units) {
  const double count = 2.0 * static_cast<double>(units.size());
  double sum = 0;
  for (int j : units) sum += f.a(j) + f.b(j);
  const double mean = sum / count;
  double squares = 0;
  for (int j : units) squares += square(f.a(j) - mean) + square(f.b(j) - mean);
  return squares / count;
}

// Jansen (1999) estimators over the base samples in `units` (formulas in sensitivity.hpp).
SobolEstimate jansen(const SaltelliOutputs& f, std::span<const int> units) {
  SobolEstimate e{std::vector<double>(f.dims, 0.0), std::vector<double>(f.dims, 0.0),
                  ab_variance(f, units)};
  for (int j : units) {
    for (int i = 0; i < f.dims; ++i) {
      e.first[i] += square(f.b(j) - f.ab(j, i));
      e.total[i] += square(f.a(j) - f.ab(j, i));
    }
  }
  const double two_n = 2.0 * static_cast<double>(units.size());
  for (int i = 0; i < f.dims; ++i) {
    e.first[i] = (e.variance - e.first[i] / two_n) / e.variance;
    e.total[i] = e.total[i] / two_n / e.variance;
  }
  return e;
}

SobolIndices nan_sobol(int dims) {
  return {std::vector<Interval>(dims, {kNaN, kNaN, kNaN}),
          std::vector<Interval>(dims, {kNaN, kNaN, kNaN}), kNaN};
}

// ---- Morris ----

// The one dimension in which rows r and r + 1 differ; throws otherwise.
int changed_dimension(const UnitPoints& points, std::size_t r) {
  int changed = -1;
  for (std::size_t d = 0; d < points[r].size(); ++d) {
    if (points[r][d] == points[r + 1][d]) continue;
    require(changed < 0, "morris_indices",
            "rows " + std::to_string(r) + " and " + std::to_string(r + 1) +
                " differ in more than one dimension; expected morris_points order");
    changed = static_cast<int>(d);
  }
  require(changed >= 0, "morris_indices",
          "rows " + std::to_string(r) + " and " + std::to_string(r + 1) +
              " are equal; expected one dimension to change");
  return changed;
}

// ee[t][i]: elementary effect of dimension i in trajectory t.
using Effects = std::vector<std::vector<double>>;

Effects elementary_effects(const UnitPoints& points, std::span<const double> y, int trajectories,
                           int dims) {
  Effects ee(trajectories, std::vector<double>(dims, kNaN));
  for (int t = 0; t < trajectories; ++t) {
    std::vector<bool> seen(dims, false);
    for (int k = 0; k < dims; ++k) {
      const std::size_t r = static_cast<std::size_t>(t) * (dims + 1) + k;
      const int i = changed_dimension(points, r);
      require(!seen[i], "morris_indices",
              "trajectory " + std::to_string(t) + " changes dimension " + std::to_string(i) +
                  " twice; expected each dimension once");
      seen[i] = true;
      ee[t][i] = (y[r + 1] - y[r]) / (points[r + 1][i] - points[r][i]);
    }
  }
  return ee;
}

double mean_abs_effect(const Effects& ee, std::span<const int> units, int i) {
  double sum = 0;
  for (int t : units) sum += std::abs(ee[t][i]);
  return sum / static_cast<double>(units.size());
}

// Sample mean and sd (divisor n - 1) of dimension i's effects.
std::pair<double, double> mean_sd(const Effects& ee, int i) {
  const double n = static_cast<double>(ee.size());
  double sum = 0;
  for (const auto& row : ee) sum += row[i];
  const double mean = sum / n;
  double squares = 0;
  for (const auto& row : ee) squares += square(row[i] - mean);
  return {mean, ee.size() > 1 ? std::sqrt(squares / (n - 1)) : kNaN};
}

void require_morris_shapes(const UnitPoints& points, std::span<const double> y, int trajectories,
                           int dims, int bootstrap) {
  require_at_least("morris_indices", "trajectories", trajectories, 1);
  require_at_least("morris_indices", "dims", dims, 1);
  require_at_least("morris_indices", "bootstrap", bootstrap, 0);
  const std::int64_t rows = std::int64_t{trajectories} * (dims + 1);
  require_size("morris_indices", "points", points.size(), rows, "trajectories * (dims + 1)");
  require_size("morris_indices", "y", y.size(), rows, "trajectories * (dims + 1)");
  for (std::size_t r = 0; r < points.size(); ++r) {
    require_size("morris_indices", ("points[" + std::to_string(r) + "]").c_str(), points[r].size(),
                 dims, "dims");
  }
}

}  // namespace

SobolIndices sobol_indices(std::span<const double> y, int base_samples, int dims, int bootstrap,
                           std::uint32_t seed) {
  require_at_least("sobol_indices", "base_samples", base_samples, 1);
  require_at_least("sobol_indices", "dims", dims, 1);
  require_at_least("sobol_indices", "bootstrap", bootstrap, 0);
  require_size("sobol_indices", "y", y.size(), std::int64_t{base_samples} * (dims + 2),
               "base_samples * (dims + 2)");
  if (any_nan(y)) return nan_sobol(dims);

  const SaltelliOutputs f{y, dims};
  const SobolEstimate full = jansen(f, all_units(base_samples));
  std::vector<std::vector<double>> first(dims), total(dims);
  const RandomStreams streams(seed, design_draws::kReplicate);
  for (int round = 0; round < bootstrap; ++round) {
    const SobolEstimate e = jansen(f, bootstrap_resample(streams, round, base_samples));
    for (int i = 0; i < dims; ++i) {
      first[i].push_back(e.first[i]);
      total[i].push_back(e.total[i]);
    }
  }
  SobolIndices result{{}, {}, full.variance};
  for (int i = 0; i < dims; ++i) {
    result.first.push_back(bootstrap_interval(full.first[i], std::move(first[i])));
    result.total.push_back(bootstrap_interval(full.total[i], std::move(total[i])));
  }
  return result;
}

MorrisIndices morris_indices(const UnitPoints& points, std::span<const double> y, int trajectories,
                             int dims, int bootstrap, std::uint32_t seed) {
  require_morris_shapes(points, y, trajectories, dims, bootstrap);
  const Effects ee = elementary_effects(points, y, trajectories, dims);
  if (any_nan(y)) {
    return {std::vector<Interval>(dims, {kNaN, kNaN, kNaN}), std::vector<double>(dims, kNaN),
            std::vector<double>(dims, kNaN)};
  }
  std::vector<std::vector<double>> rounds(dims);
  const RandomStreams streams(seed, design_draws::kReplicate);
  for (int round = 0; round < bootstrap; ++round) {
    const std::vector<int> units = bootstrap_resample(streams, round, trajectories);
    for (int i = 0; i < dims; ++i) rounds[i].push_back(mean_abs_effect(ee, units, i));
  }
  MorrisIndices result;
  const std::vector<int> all = all_units(trajectories);
  for (int i = 0; i < dims; ++i) {
    const auto [mu, sigma] = mean_sd(ee, i);
    result.mu.push_back(mu);
    result.sigma.push_back(sigma);
    result.mu_star.push_back(bootstrap_interval(mean_abs_effect(ee, all, i), std::move(rounds[i])));
  }
  return result;
}

}  // namespace flywheel
