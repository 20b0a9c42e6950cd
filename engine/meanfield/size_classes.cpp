#include "size_classes.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

std::vector<double> account_size_pmf(const AccountSize& size) {
  const int max = std::max(1, size.max_people);
  std::vector<double> pmf(static_cast<std::size_t>(max) + 1, 0.0);  // [0] unused
  auto at = [&](int n) -> double& { return pmf[static_cast<std::size_t>(std::clamp(n, 1, max))]; };
  switch (size.distribution) {
    case SizeDistribution::fixed:
      at(static_cast<int>(std::lround(size.mean_people))) = 1.0;
      break;
    case SizeDistribution::geometric: {
      // 1 + Geometric(p) failures with p = 1 / mean (population.cpp); the tail above max is
      // clamped to max.
      if (!(size.mean_people > 1.0)) {
        at(1) = 1.0;
        break;
      }
      const double p = 1.0 / size.mean_people;
      double left = 1.0;
      for (int n = 1; n < max; ++n) {
        const double q = p * std::pow(1.0 - p, n - 1);
        at(n) = q;
        left -= q;
      }
      at(max) += std::max(0.0, left);
      break;
    }
    case SizeDistribution::lognormal: {
      // round(LogNormal(mu, sigma)) clamped to [1, max], mu = ln(mean) - sigma^2 / 2.
      const double mu = std::log(size.mean_people) - 0.5 * size.sigma * size.sigma;
      // In double precision: Boost.Math's default promotes to long double, which made these
      // few thousand CDFs a tenth of a short scenario's expectation; the pmf needs no more.
      using Double = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
      const boost::math::normal_distribution<double, Double> z(mu, size.sigma);
      auto below = [&](double x) { return x <= 0.0 ? 0.0 : boost::math::cdf(z, std::log(x)); };
      for (int n = 1; n <= max; ++n) {
        const double lo = n == 1 ? 0.0 : below(n - 0.5);
        const double hi = n == max ? 1.0 : below(n + 0.5);
        at(n) += std::max(0.0, hi - lo);
      }
      break;
    }
  }
  return pmf;
}

namespace {

// People per segment: the market's people by share, the last segment takes the rest.
std::vector<double> people_per_segment(const Scenario& scenario) {
  const auto& segments = scenario.market.segments;
  const double total = static_cast<double>(scenario.market.people);
  std::vector<double> out;
  double assigned = 0.0;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    double n = i + 1 == segments.size() ? total - assigned : total * segments[i].share;
    n = std::clamp(n, 0.0, total - assigned);
    out.push_back(n);
    assigned += n;
  }
  return out;
}

}  // namespace

std::vector<SizeClass> size_classes(const Scenario& scenario) {
  std::vector<SizeClass> out;
  const std::vector<double> people = people_per_segment(scenario);
  for (std::size_t g = 0; g < people.size(); ++g) {
    const std::vector<double> pmf = account_size_pmf(scenario.market.segments[g].account_size);
    const int max = static_cast<int>(pmf.size()) - 1;
    double mean = 0.0;
    for (int n = 1; n <= max; ++n) mean += n * pmf[static_cast<std::size_t>(n)];
    const double accounts = people[g] / mean;
    // Bins [lo, hi): single sizes up to kExactSizes, then 40% wide.
    const std::size_t first = out.size();
    for (int lo = 1; lo <= max;) {
      const int hi = lo <= kExactSizes ? lo + 1 : std::max(lo + 1, (lo * 7 + 4) / 5);
      double share = 0.0, size_sum = 0.0;
      for (int n = lo; n < std::min(hi, max + 1); ++n) {
        share += pmf[static_cast<std::size_t>(n)];
        size_sum += n * pmf[static_cast<std::size_t>(n)];
      }
      lo = hi;
      if (share < 1e-9) continue;  // negligible: its people go to the last class kept
      const int size = static_cast<int>(std::lround(size_sum / share));
      // The class keeps the bin's people: accounts x size = people of the bin.
      out.push_back({static_cast<int>(g), size, accounts * size_sum / size});
    }
    double kept = 0.0;
    for (std::size_t i = first; i < out.size(); ++i) kept += out[i].accounts * out[i].size;
    if (out.size() > first && kept > 0.0) {
      const double fix = people[g] / kept;
      for (std::size_t i = first; i < out.size(); ++i) out[i].accounts *= fix;
    }
  }
  return out;
}

}  // namespace flywheel::meanfield
