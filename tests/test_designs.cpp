// Experiment designs: LHS strata, Sobol against Boost, grid order, random uniformity, Saltelli
// layout and Morris trajectories, plus argument validation.
#include <flywheel/experiments/designs.hpp>
#include <flywheel/common/rng.hpp>

#include <boost/random/sobol.hpp>
#include <boost/random/uniform_01.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

using namespace flywheel;

namespace {

void check_in_unit_cube(const UnitPoints& points, int samples, int dims) {
  REQUIRE(points.size() == static_cast<std::size_t>(samples));
  for (const auto& p : points) {
    REQUIRE(p.size() == static_cast<std::size_t>(dims));
    for (double x : p) {
      CHECK(x >= 0.0);
      CHECK(x < 1.0);
    }
  }
}

}  // namespace

TEST_CASE("LHS puts exactly one point in every stratum of every dimension", "[designs]") {
  for (int n : {1, 2, 7, 64, 500}) {
    for (int dims : {1, 3, 8}) {
      const UnitPoints points = lhs_points(n, dims, 42);
      check_in_unit_cube(points, n, dims);
      for (int d = 0; d < dims; ++d) {
        std::vector<int> hits(n, 0);
        for (const auto& p : points) ++hits[static_cast<int>(std::floor(p[d] * n))];
        INFO("n = " << n << ", dims = " << dims << ", d = " << d);
        CHECK(std::count(hits.begin(), hits.end(), 1) == n);
      }
    }
  }
}

TEST_CASE("LHS strata orders are random permutations, different per dimension", "[designs]") {
  const int n = 50;
  const UnitPoints points = lhs_points(n, 2, 9);
  int same_stratum = 0, in_order = 0;
  for (int i = 0; i < n; ++i) {
    const int s0 = static_cast<int>(points[i][0] * n), s1 = static_cast<int>(points[i][1] * n);
    same_stratum += s0 == s1;
    in_order += s0 == i;
  }
  // A random pair of permutations of 50 agrees in about one place; identity would give 50.
  CHECK(same_stratum < 6);
  CHECK(in_order < 6);
}

TEST_CASE("LHS and random points are deterministic per seed and differ across seeds", "[designs]") {
  CHECK(lhs_points(20, 3, 5) == lhs_points(20, 3, 5));
  CHECK(lhs_points(20, 3, 5) != lhs_points(20, 3, 6));
  CHECK(random_points(20, 3, 5) == random_points(20, 3, 5));
  CHECK(random_points(20, 3, 5) != random_points(20, 3, 6));
  // A coordinate depends only on (seed, point, dimension), not on how many were asked for.
  const UnitPoints small = random_points(4, 2, 5), large = random_points(10, 6, 5);
  for (int i = 0; i < 4; ++i) {
    for (int d = 0; d < 2; ++d) CHECK(small[i][d] == large[i][d]);
  }
}

TEST_CASE("random points are uniform on the unit interval: mean within 4 standard errors of 1/2",
          "[designs][stochastic]") {
  const int n = 20000, dims = 3;
  const UnitPoints points = random_points(n, dims, 2024);
  check_in_unit_cube(points, n, dims);
  const double se = std::sqrt(1.0 / 12.0 / n);
  for (int d = 0; d < dims; ++d) {
    double sum = 0, below_quarter = 0;
    for (const auto& p : points) {
      sum += p[d];
      below_quarter += p[d] < 0.25;
    }
    CHECK(std::abs(sum / n - 0.5) < 4 * se);
    CHECK(std::abs(below_quarter / n - 0.25) < 4 * std::sqrt(0.25 * 0.75 / n));
  }
  // Dimensions are independent draws, not copies.
  CHECK(points[0][0] != points[0][1]);
}

TEST_CASE("Sobol points are Boost's sobol engine output, zero point skipped by Boost",
          "[designs]") {
  const int n = 300, dims = 7;
  const UnitPoints points = sobol_points(n, dims);
  check_in_unit_cube(points, n, dims);
  // Independently: the 64-bit engine through uniform_01 (word * 2^-64, as Boost documents).
  boost::random::sobol engine(dims);
  boost::random::uniform_01<double> unit;
  for (int i = 0; i < n; ++i) {
    for (int d = 0; d < dims; ++d) REQUIRE(points[i][d] == unit(engine));
  }
  // Boost's documented start: dimension 0 is the Gray-coded van der Corput sequence.
  const double first_dim[] = {0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125};
  const double second_dim[] = {0.5, 0.25, 0.75, 0.375, 0.875};
  for (int i = 0; i < 7; ++i) CHECK(points[i][0] == first_dim[i]);
  for (int i = 0; i < 5; ++i) CHECK(points[i][1] == second_dim[i]);
  // A prefix is the same whatever the length asked for.
  CHECK(sobol_points(10, dims) == UnitPoints(points.begin(), points.begin() + 10));
}

TEST_CASE("Sobol points: the first 2^k points put one point in every dyadic interval",
          "[designs]") {
  // Each coordinate of the first 2^k points of the full sequence is a (0, k, 1)-net; Boost's
  // first 2^k - 1 points plus the origin it leaves out are those 2^k points.
  const int n = 256;
  const UnitPoints points = sobol_points(n - 1, 5);
  for (int d = 0; d < 5; ++d) {
    std::vector<int> hits(n, 0);
    hits[0] = 1;  // the origin
    for (const auto& p : points) ++hits[static_cast<int>(p[d] * n)];
    CHECK(std::count(hits.begin(), hits.end(), 1) == n);
  }
}

TEST_CASE("grid covers the full factorial once, first dimension slowest", "[designs]") {
  const std::vector<int> levels = {2, 3, 1, 4};
  const auto points = grid_points(levels);
  REQUIRE(points.size() == 24);
  CHECK(points[0] == std::vector<int>{0, 0, 0, 0});
  CHECK(points[1] == std::vector<int>{0, 0, 0, 1});
  CHECK(points[4] == std::vector<int>{0, 1, 0, 0});
  CHECK(points[12] == std::vector<int>{1, 0, 0, 0});
  CHECK(points[23] == std::vector<int>{1, 2, 0, 3});
  // Strictly increasing in lexicographic order means every combination once, in product order.
  for (std::size_t r = 1; r < points.size(); ++r) CHECK(points[r - 1] < points[r]);
  for (const auto& p : points) {
    for (std::size_t d = 0; d < levels.size(); ++d) {
      CHECK(p[d] >= 0);
      CHECK(p[d] < levels[d]);
    }
  }
  CHECK(grid_points({5}).size() == 5);
}

TEST_CASE("Saltelli rows: A, AB^(1..d), B per base sample from a 2d-dimensional Sobol point",
          "[designs]") {
  const int n = 16, dims = 4;
  const UnitPoints rows = saltelli_points(n, dims);
  REQUIRE(rows.size() == static_cast<std::size_t>(n * (dims + 2)));
  const UnitPoints ab = sobol_points(n, 2 * dims);
  for (int j = 0; j < n; ++j) {
    const auto& a = rows[j * (dims + 2)];
    const auto& b = rows[j * (dims + 2) + dims + 1];
    for (int d = 0; d < dims; ++d) {
      CHECK(a[d] == ab[j][d]);
      CHECK(b[d] == ab[j][dims + d]);
    }
    for (int i = 0; i < dims; ++i) {
      const auto& abi = rows[j * (dims + 2) + 1 + i];
      REQUIRE(abi.size() == static_cast<std::size_t>(dims));
      for (int d = 0; d < dims; ++d) CHECK(abi[d] == (d == i ? b[d] : a[d]));
    }
  }
}

TEST_CASE("Morris trajectories move one dimension at a time by +-delta on the level grid",
          "[designs]") {
  const int trajectories = 40, dims = 5;
  for (int levels : {2, 4, 6}) {
    const UnitPoints rows = morris_points(trajectories, dims, levels, 11);
    REQUIRE(rows.size() == static_cast<std::size_t>(trajectories * (dims + 1)));
    const double delta = levels / (2.0 * (levels - 1));
    int ups = 0, downs = 0;
    std::set<std::vector<int>> orders;
    for (int t = 0; t < trajectories; ++t) {
      std::vector<int> order;
      for (int k = 0; k < dims; ++k) {
        const auto& from = rows[t * (dims + 1) + k];
        const auto& to = rows[t * (dims + 1) + k + 1];
        std::vector<int> changed;
        for (int d = 0; d < dims; ++d) {
          if (from[d] != to[d]) changed.push_back(d);
        }
        REQUIRE(changed.size() == 1);
        const double step = to[changed[0]] - from[changed[0]];
        CHECK(std::abs(std::abs(step) - delta) < 1e-12);
        (step > 0 ? ups : downs) += 1;
        order.push_back(changed[0]);
      }
      CHECK(std::set<int>(order.begin(), order.end()).size() == dims);  // each dimension once
      orders.insert(order);
    }
    for (const auto& row : rows) {
      for (double x : row) {
        const double level = x * (levels - 1);
        CHECK(std::abs(level - std::round(level)) < 1e-12);
        CHECK(x >= 0.0);
        CHECK(x <= 1.0);
      }
    }
    // Random signs and random dimension orders (120 orders of 5 dimensions).
    CHECK(ups > 40);
    CHECK(downs > 40);
    CHECK(orders.size() > 20);
  }
}

TEST_CASE("Morris points reach every level and are deterministic per seed", "[designs]") {
  const int levels = 6;  // base levels {0, 1/5, 2/5}, delta = 3/5
  const UnitPoints rows = morris_points(200, 3, levels, 3);
  std::set<int> seen;
  for (const auto& row : rows) {
    for (double x : row) seen.insert(static_cast<int>(std::lround(x * (levels - 1))));
  }
  CHECK(seen == std::set<int>{0, 1, 2, 3, 4, 5});
  // Odd p as SALib: x* in linspace(0, 1 - delta, floor(p/2)) = {0}, delta = 3/4 for p = 3.
  for (const auto& row : morris_points(5, 2, 3, 3)) {
    for (double x : row) CHECK((x == 0.0 || x == 0.75));
  }
  CHECK(morris_points(3, 2, 4, 8) == morris_points(3, 2, 4, 8));
  CHECK(morris_points(3, 2, 4, 8) != morris_points(3, 2, 4, 9));
}

TEST_CASE("design arguments are validated with a message naming the rule", "[designs]") {
  CHECK_THROWS_WITH(lhs_points(0, 2, 1), "lhs_points: samples = 0; expected samples >= 1");
  CHECK_THROWS_WITH(random_points(3, 0, 1), "random_points: dims = 0; expected dims >= 1");
  CHECK_THROWS_AS(sobol_points(4, 3668), std::invalid_argument);
  CHECK_NOTHROW(sobol_points(1, 3667));
  CHECK_THROWS_WITH(saltelli_points(4, 1834), Catch::Contains("2 * dims = 3668"));
  CHECK_THROWS_WITH(grid_points({2, 0}), "grid_points: levels[1] = 0; expected levels[1] >= 1");
  CHECK_THROWS_AS(grid_points({}), std::invalid_argument);
  CHECK_THROWS_AS(grid_points({65536, 65536}), std::invalid_argument);
  CHECK_THROWS_WITH(morris_points(2, 2, 1, 1), "morris_points: levels = 1; expected levels >= 2");
  CHECK_THROWS_AS(morris_points(0, 2, 4, 1), std::invalid_argument);
}

TEST_CASE("design draws follow the documented Philox counter layout", "[designs]") {
  // random/LHS coordinate d of point i: Decision::design, key (seed, 0), agent = i, step = d.
  const UnitPoints points = random_points(3, 2, 77);
  const RandomStreams streams(77, 0);
  boost::random::uniform_01<double> unit;
  for (int i = 0; i < 3; ++i) {
    for (int d = 0; d < 2; ++d) {
      DrawEngine engine(streams, i, d, Decision::design);
      CHECK(points[i][d] == unit(engine));
    }
  }
  // Pinned outputs: a change of layout or algorithm would silently change every sweep run so far.
  const UnitPoints lhs = {{0.761292087379843, 0.20326954696793109},
                          {0.064149196201469749, 0.4996509503107518},
                          {0.44464444933691993, 0.78603001608280465},
                          {0.73613329441286623, 0.64588057424407452}};
  CHECK(lhs_points(4, 2, 77) == lhs);
  const UnitPoints morris = {
      {0.0, 1.0 / 3, 1.0 / 3}, {0.0, 1.0 / 3, 1.0}, {2.0 / 3, 1.0 / 3, 1.0}, {2.0 / 3, 1.0, 1.0}};
  CHECK(morris_points(1, 3, 4, 77) == morris);
}
