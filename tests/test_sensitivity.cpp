// Sensitivity indices: the Jansen estimators by hand, the Ishigami function and a linear model
// against their analytic indices, Morris effects of linear and interacting models, bootstrap
// determinism, NaN propagation and argument validation.
#include <flywheel/experiments/designs.hpp>
#include <flywheel/experiments/sensitivity.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <numbers>
#include <stdexcept>
#include <vector>

using namespace flywheel;

namespace {

using Model = std::function<double(const std::vector<double>&)>;

std::vector<double> evaluate(const UnitPoints& points, const Model& f) {
  std::vector<double> y;
  y.reserve(points.size());
  for (const auto& p : points) y.push_back(f(p));
  return y;
}

// Ishigami & Homma (1990) with x_i = -pi + 2 pi u_i: sin x1 + a sin^2 x2 + b x3^4 sin x1.
constexpr double kA = 7.0, kB = 0.1;
double ishigami(const std::vector<double>& u) {
  const double pi = std::numbers::pi;
  const double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1], x3 = -pi + 2 * pi * u[2];
  return std::sin(x1) + kA * std::sin(x2) * std::sin(x2) + kB * std::pow(x3, 4) * std::sin(x1);
}

// Analytic partial variances (Sobol' & Levitan 1999): V1 = (1 + b pi^4 / 5)^2 / 2,
// V2 = a^2 / 8, V3 = 0, V13 = b^2 pi^8 (1/18 - 1/50), V = V1 + V2 + V13.
struct IshigamiTruth {
  double first[3], total[3];
};
IshigamiTruth ishigami_truth() {
  const double pi4 = std::pow(std::numbers::pi, 4), pi8 = pi4 * pi4;
  const double v1 = 0.5 * std::pow(1 + kB * pi4 / 5, 2), v2 = kA * kA / 8;
  const double v13 = kB * kB * pi8 * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  return {{v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

void check_inside(const Interval& interval, double truth, double tolerance) {
  INFO("estimate " << interval.estimate << " [" << interval.lo << ", " << interval.hi << "], truth "
                   << truth);
  CHECK(interval.lo <= truth);
  CHECK(truth <= interval.hi);
  CHECK(std::abs(interval.estimate - truth) < tolerance);
  CHECK(interval.hi - interval.lo < 0.2);  // an interval too wide to fail is no test
}

}  // namespace

TEST_CASE("Jansen estimators on a hand-computed example", "[sensitivity]") {
  // Two base samples, one dimension: f(A) = {1, 4}, f(AB) = {2, 6}, f(B) = {3, 5}.
  const std::vector<double> y = {1, 2, 3, 4, 6, 5};
  const SobolIndices s = sobol_indices(y, 2, 1, 0, 1);
  // V = population variance of {1, 4, 3, 5} = 8.75 / 4.
  CHECK(s.variance == Approx(2.1875).epsilon(1e-14));
  // S1 = (V - ((3-2)^2 + (5-6)^2) / 4) / V; ST = ((1-2)^2 + (4-6)^2) / 4 / V.
  CHECK(s.first[0].estimate == Approx((2.1875 - 0.5) / 2.1875).epsilon(1e-14));
  CHECK(s.total[0].estimate == Approx(1.25 / 2.1875).epsilon(1e-14));
  CHECK(std::isnan(s.first[0].lo));  // no bootstrap rounds
  CHECK(std::isnan(s.total[0].hi));
}

TEST_CASE("Ishigami Sobol indices match the analytic values", "[sensitivity]") {
  const int n = 4096, dims = 3;
  const std::vector<double> y = evaluate(saltelli_points(n, dims), ishigami);
  const SobolIndices s = sobol_indices(y, n, dims, 300, 7);
  const IshigamiTruth truth = ishigami_truth();
  CHECK(truth.first[0] == Approx(0.3139).margin(1e-4));
  CHECK(truth.total[2] == Approx(0.2437).margin(1e-4));
  for (int i = 0; i < dims; ++i) {
    INFO("dimension " << i);
    check_inside(s.first[i], truth.first[i], 0.05);
    check_inside(s.total[i], truth.total[i], 0.05);
  }
  const double pi4 = std::pow(std::numbers::pi, 4);
  const double variance = kA * kA / 8 + kB * pi4 / 5 + kB * kB * pi4 * pi4 / 18 + 0.5;
  CHECK(s.variance == Approx(variance).epsilon(0.05));
}

TEST_CASE("linear additive model: S1 = ST = c_i^2 / sum c^2", "[sensitivity]") {
  const std::vector<double> c = {1.0, -2.0, 3.0, 0.0};
  const int n = 2048, dims = 4;
  const Model linear = [&](const std::vector<double>& x) {
    double sum = 0;
    for (int i = 0; i < dims; ++i) sum += c[i] * x[i];
    return sum;
  };
  const SobolIndices s = sobol_indices(evaluate(saltelli_points(n, dims), linear), n, dims, 200, 3);
  for (int i = 0; i < dims; ++i) {
    INFO("dimension " << i);
    const double share = c[i] * c[i] / 14.0;
    check_inside(s.first[i], share, 0.02);
    check_inside(s.total[i], share, 0.02);
  }
  CHECK(s.total[3].estimate == 0.0);  // f(A) and f(AB^(4)) agree exactly when c_4 = 0
}

TEST_CASE("Sobol bootstrap is deterministic per seed and moves with the seed", "[sensitivity]") {
  const int n = 256, dims = 3;
  const std::vector<double> y = evaluate(saltelli_points(n, dims), ishigami);
  const SobolIndices a = sobol_indices(y, n, dims, 100, 5), b = sobol_indices(y, n, dims, 100, 5);
  const SobolIndices other = sobol_indices(y, n, dims, 100, 6);
  for (int i = 0; i < dims; ++i) {
    CHECK(a.first[i].lo == b.first[i].lo);
    CHECK(a.total[i].hi == b.total[i].hi);
    CHECK(a.first[i].estimate == other.first[i].estimate);  // the estimate uses no randomness
    CHECK(a.first[i].lo != other.first[i].lo);
    CHECK(a.first[i].lo < a.first[i].hi);
  }
}

TEST_CASE("a NaN output makes every Sobol index NaN, and sizes are checked", "[sensitivity]") {
  const Model sum = [](const std::vector<double>& x) { return x[0] + 2 * x[1]; };
  std::vector<double> y = evaluate(saltelli_points(8, 2), sum);
  REQUIRE(y.size() == 32);
  CHECK_FALSE(std::isnan(sobol_indices(y, 8, 2, 10, 1).first[0].estimate));
  y[17] = std::nan("");
  const SobolIndices s = sobol_indices(y, 8, 2, 10, 1);
  CHECK(std::isnan(s.variance));
  for (const auto& group : {s.first, s.total}) {
    REQUIRE(group.size() == 2);
    for (const Interval& i : group) {
      CHECK(std::isnan(i.estimate));
      CHECK(std::isnan(i.lo));
      CHECK(std::isnan(i.hi));
    }
  }
  CHECK_THROWS_WITH(sobol_indices(y, 8, 3, 10, 1),
                    "sobol_indices: y has 32 values; expected base_samples * (dims + 2) = 40");
  CHECK_THROWS_AS(sobol_indices(y, 0, 2, 10, 1), std::invalid_argument);
  CHECK_THROWS_WITH(sobol_indices(y, 8, 2, -1, 1),
                    "sobol_indices: bootstrap = -1; expected bootstrap >= 0");
}

TEST_CASE("Morris on a linear model: mu_star = |c_i|, mu = c_i, sigma = 0", "[sensitivity]") {
  const std::vector<double> c = {1.5, -2.0, 0.0, 4.0};
  const int trajectories = 25, dims = 4;
  const Model linear = [&](const std::vector<double>& x) {
    double sum = 0;
    for (int i = 0; i < dims; ++i) sum += c[i] * x[i];
    return sum;
  };
  const UnitPoints points = morris_points(trajectories, dims, 4, 17);
  const MorrisIndices m =
      morris_indices(points, evaluate(points, linear), trajectories, dims, 100, 2);
  REQUIRE(m.mu_star.size() == 4);
  for (int i = 0; i < dims; ++i) {
    INFO("dimension " << i);
    CHECK(m.mu_star[i].estimate == Approx(std::abs(c[i])).margin(1e-12));
    CHECK(m.mu_star[i].lo == Approx(std::abs(c[i])).margin(1e-12));
    CHECK(m.mu_star[i].hi == Approx(std::abs(c[i])).margin(1e-12));
    CHECK(m.mu[i] == Approx(c[i]).margin(1e-12));
    CHECK(m.sigma[i] == Approx(0.0).margin(1e-12));
  }
}

TEST_CASE("Morris on an interaction: sigma > 0 where effects depend on other inputs",
          "[sensitivity]") {
  // y = x0 x1 + 3 x2 - x3^2: EE_0 = x1, EE_1 = x0 vary; EE_2 = 3 exactly; EE_3 < 0 always.
  const Model f = [](const std::vector<double>& x) { return x[0] * x[1] + 3 * x[2] - x[3] * x[3]; };
  const int trajectories = 60, dims = 4;
  const UnitPoints points = morris_points(trajectories, dims, 4, 5);
  const std::vector<double> y = evaluate(points, f);
  const MorrisIndices m = morris_indices(points, y, trajectories, dims, 200, 9);
  CHECK(m.sigma[0] > 0.1);
  CHECK(m.sigma[1] > 0.1);
  CHECK(m.sigma[2] == Approx(0.0).margin(1e-12));
  CHECK(m.mu[3] < 0);
  CHECK(m.mu_star[3].estimate == Approx(-m.mu[3]).epsilon(1e-12));
  // EE_0 = x1 where x1 is uniform on the grid {0, 1/3, 2/3, 1}: mean near 1/2.
  CHECK(m.mu_star[0].lo < m.mu_star[0].estimate);
  CHECK(m.mu_star[0].estimate < m.mu_star[0].hi);
  CHECK(m.mu_star[0].lo < 0.5);
  CHECK(0.5 < m.mu_star[0].hi);
  const MorrisIndices again = morris_indices(points, y, trajectories, dims, 200, 9);
  CHECK(again.mu_star[0].lo == m.mu_star[0].lo);
  CHECK(morris_indices(points, y, trajectories, dims, 200, 10).mu_star[0].lo != m.mu_star[0].lo);
}

TEST_CASE("Morris indices reject points that are not trajectories and give NaN for a NaN output",
          "[sensitivity]") {
  const int trajectories = 3, dims = 2;
  UnitPoints points = morris_points(trajectories, dims, 4, 1);
  std::vector<double> y(points.size(), 1.0);
  CHECK_NOTHROW(morris_indices(points, y, trajectories, dims, 10, 1));
  CHECK_THROWS_WITH(morris_indices(points, y, trajectories, 3, 10, 1),
                    "morris_indices: points has 9 values; expected trajectories * (dims + 1) = 12");
  CHECK_THROWS_AS(morris_indices(points, std::vector<double>(8, 1.0), trajectories, dims, 10, 1),
                  std::invalid_argument);
  y[4] = std::nan("");
  const MorrisIndices m = morris_indices(points, y, trajectories, dims, 10, 1);
  CHECK(std::isnan(m.mu[0]));
  CHECK(std::isnan(m.sigma[1]));
  CHECK(std::isnan(m.mu_star[0].estimate));
  CHECK(std::isnan(m.mu_star[1].hi));
  // Rows 0 and 2 of a trajectory differ in both dimensions.
  std::swap(points[1], points[2]);
  CHECK_THROWS_WITH(morris_indices(points, y, trajectories, dims, 10, 1),
                    Catch::Contains("differ in more than one dimension"));
  points = morris_points(trajectories, dims, 4, 1);
  points[2] = points[0];  // the second move undoes the first
  CHECK_THROWS_WITH(morris_indices(points, y, trajectories, dims, 10, 1),
                    Catch::Contains("changes dimension") && Catch::Contains("twice"));
  points[1] = points[0];
  CHECK_THROWS_WITH(morris_indices(points, y, trajectories, dims, 10, 1),
                    Catch::Contains("are equal"));
}
