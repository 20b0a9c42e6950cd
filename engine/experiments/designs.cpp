#include <flywheel/experiments/designs.hpp>

#include <flywheel/common/rng.hpp>

#include "design_draws.hpp"

#include <boost/random/sobol.hpp>
#include <boost/random/uniform_01.hpp>

#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace flywheel {

namespace {

constexpr int kSobolMaxDims = boost::random::default_sobol_table::max_dimension;
// Above this, the Morris level arithmetic in int64 and double would stop being exact.
constexpr int kMorrisMaxLevels = 1 << 20;
constexpr double kTwoPow32 = 4294967296.0;

void require(bool ok, const char* function, const std::string& problem) {
  if (!ok) throw std::invalid_argument(std::string(function) + ": " + problem);
}

void require_at_least(const char* function, const char* name, int value, int minimum) {
  require(value >= minimum, function,
          std::string(name) + " = " + std::to_string(value) + "; expected " + name +
              " >= " + std::to_string(minimum));
}

void require_counts(const char* function, const char* count_name, int count, int dims) {
  require_at_least(function, count_name, count, 1);
  require_at_least(function, "dims", dims, 1);
}

void require_sobol_dims(const char* function, std::int64_t sobol_dims, const std::string& what) {
  require(sobol_dims <= kSobolMaxDims, function,
          what + " = " + std::to_string(sobol_dims) + " exceeds the " +
              std::to_string(kSobolMaxDims) + " dimensions of Boost's Sobol table");
}

double uniform_coordinate(const RandomStreams& streams, int point, int dim) {
  DrawEngine engine(streams, static_cast<std::uint32_t>(point), static_cast<std::uint32_t>(dim),
                    Decision::design);
  return boost::random::uniform_01<double>()(engine);
}

UnitPoints uniform_points(int samples, int dims, std::uint32_t seed) {
  const RandomStreams streams(seed, design_draws::kReplicate);
  UnitPoints points(samples, std::vector<double>(dims));
  for (int i = 0; i < samples; ++i) {
    for (int d = 0; d < dims; ++d) points[i][d] = uniform_coordinate(streams, i, d);
  }
  return points;
}

// A random order of the strata 0..samples-1 of one dimension.
std::vector<int> strata_order(const RandomStreams& streams, int samples, int dim) {
  std::vector<int> strata(samples);
  std::iota(strata.begin(), strata.end(), 0);
  DrawEngine engine(streams, design_draws::kLhsPermutationAgent, static_cast<std::uint32_t>(dim),
                    Decision::design);
  design_draws::shuffle(strata, engine);
  return strata;
}

// The two values a Morris coordinate takes, x* and x* + delta, for base choice k of
// floor(p/2) (SALib: x* from linspace(0, 1 - delta, floor(p/2)), delta = p / (2 (p - 1))).
// Each is one division of exact integers, so for an even p they are exactly level / (p - 1).
struct MorrisLevels {
  int base_choices;
  std::int64_t p;

  explicit MorrisLevels(int levels) : base_choices(levels / 2), p(levels) {}
  // Over the common denominator 2 (p - 1) (h - 1), h = floor(p/2) > 1:
  // x* = k (p - 2) / that, delta = p (h - 1) / that.
  double low(int k) const {
    if (base_choices == 1) return 0.0;
    return static_cast<double>(k * (p - 2)) / static_cast<double>(denominator());
  }
  double high(int k) const {
    if (base_choices == 1) return static_cast<double>(p) / static_cast<double>(2 * (p - 1));
    return static_cast<double>(k * (p - 2) + p * (base_choices - 1)) /
           static_cast<double>(denominator());
  }

 private:
  std::int64_t denominator() const { return 2 * (p - 1) * (base_choices - 1); }
};

// Trajectory t: draws, in this order, a base choice per dimension, a sign per dimension and the
// dimension order; then moves one dimension per row.
void append_trajectory(UnitPoints& rows, const RandomStreams& streams, int trajectory, int dims,
                       const MorrisLevels& levels) {
  DrawEngine engine(streams, static_cast<std::uint32_t>(trajectory), design_draws::kMorrisStep,
                    Decision::design);
  std::vector<int> base(dims);
  for (int& k : base) k = design_draws::uniform_index(engine, levels.base_choices);
  std::vector<int> up(dims);
  for (int& u : up) u = design_draws::uniform_index(engine, 2);
  std::vector<int> order(dims);
  std::iota(order.begin(), order.end(), 0);
  design_draws::shuffle(order, engine);

  std::vector<double> row(dims);
  for (int d = 0; d < dims; ++d) row[d] = up[d] ? levels.low(base[d]) : levels.high(base[d]);
  rows.push_back(row);
  for (int d : order) {
    row[d] = up[d] ? levels.high(base[d]) : levels.low(base[d]);
    rows.push_back(row);
  }
}

}  // namespace

UnitPoints random_points(int samples, int dims, std::uint32_t seed) {
  require_counts("random_points", "samples", samples, dims);
  return uniform_points(samples, dims, seed);
}

UnitPoints lhs_points(int samples, int dims, std::uint32_t seed) {
  require_counts("lhs_points", "samples", samples, dims);
  UnitPoints points = uniform_points(samples, dims, seed);  // the jitter inside each stratum
  const RandomStreams streams(seed, design_draws::kReplicate);
  const double n = samples;
  for (int d = 0; d < dims; ++d) {
    const std::vector<int> strata = strata_order(streams, samples, d);
    for (int i = 0; i < samples; ++i) points[i][d] = (strata[i] + points[i][d]) / n;
  }
  return points;
}

UnitPoints sobol_points(int samples, int dims) {
  require_counts("sobol_points", "samples", samples, dims);
  require_sobol_dims("sobol_points", dims, "dims");
  boost::random::sobol engine(static_cast<std::size_t>(dims));
  UnitPoints points(samples, std::vector<double>(dims));
  // Before point 2^32 only the top 32 of Boost's 64 bits are set, so word >> 32 loses nothing.
  for (auto& point : points) {
    for (double& x : point) x = static_cast<double>(engine() >> 32) / kTwoPow32;
  }
  return points;
}

std::vector<std::vector<int>> grid_points(const std::vector<int>& levels) {
  require(!levels.empty(), "grid_points", "no dimensions; expected at least one level count");
  std::int64_t rows = 1;
  for (std::size_t d = 0; d < levels.size(); ++d) {
    require_at_least("grid_points", ("levels[" + std::to_string(d) + "]").c_str(), levels[d], 1);
    rows *= levels[d];
    require(rows <= std::numeric_limits<int>::max(), "grid_points",
            "the full factorial has more than 2^31 - 1 points; reduce the levels");
  }
  const int dims = static_cast<int>(levels.size());
  std::vector<std::vector<int>> points(rows, std::vector<int>(dims));
  for (std::int64_t r = 0; r < rows; ++r) {
    // Mixed-radix digits of r with the last dimension least significant.
    std::int64_t rest = r;
    for (int d = dims - 1; d >= 0; --d) {
      points[r][d] = static_cast<int>(rest % levels[d]);
      rest /= levels[d];
    }
  }
  return points;
}

UnitPoints saltelli_points(int base_samples, int dims) {
  require_counts("saltelli_points", "base_samples", base_samples, dims);
  require_sobol_dims("saltelli_points", 2 * std::int64_t{dims}, "2 * dims");
  const UnitPoints ab = sobol_points(base_samples, 2 * dims);
  UnitPoints rows;
  rows.reserve(static_cast<std::size_t>(base_samples) * (dims + 2));
  for (const auto& point : ab) {
    const std::vector<double> a(point.begin(), point.begin() + dims);
    const std::vector<double> b(point.begin() + dims, point.end());
    rows.push_back(a);
    for (int i = 0; i < dims; ++i) {
      rows.push_back(a);
      rows.back()[i] = b[i];
    }
    rows.push_back(b);
  }
  return rows;
}

UnitPoints morris_points(int trajectories, int dims, int levels, std::uint32_t seed) {
  require_counts("morris_points", "trajectories", trajectories, dims);
  require_at_least("morris_points", "levels", levels, 2);
  require(levels <= kMorrisMaxLevels, "morris_points",
          "levels = " + std::to_string(levels) +
              "; expected levels <= " + std::to_string(kMorrisMaxLevels) + " (4 to 10 are usual)");
  const RandomStreams streams(seed, design_draws::kReplicate);
  const MorrisLevels grid(levels);
  UnitPoints rows;
  rows.reserve(static_cast<std::size_t>(trajectories) * (dims + 1));
  for (int t = 0; t < trajectories; ++t) append_trajectory(rows, streams, t, dims, grid);
  return rows;
}

}  // namespace flywheel
