#include "abc_smc.hpp"

#include <flywheel/common/rng.hpp>

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <boost/math/distributions/normal.hpp>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace flywheel::abc {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Uniform doubles in (0, 1) from one particle's stream (53 bits from two words, centred).
class Uniforms {
 public:
  Uniforms(const RandomStreams& streams, std::uint32_t particle, std::uint32_t attempt)
      : draws_(streams, particle, attempt, Decision::calibration) {}
  double operator()() {
    const std::uint64_t hi = draws_() >> 5;  // 27 bits
    const std::uint64_t lo = draws_() >> 6;  // 26 bits
    return (static_cast<double>((hi << 26) | lo) + 0.5) / 9007199254740992.0;
  }
  std::uint32_t word() { return draws_(); }

 private:
  DrawEngine draws_;
};

double standard_normal_quantile(double u) {
  static const boost::math::normal_distribution<double> unit(0, 1);
  return boost::math::quantile(unit, u);
}

double standard_normal_cdf(double x) {
  static const boost::math::normal_distribution<double> unit(0, 1);
  if (x == kInf) return 1;
  if (x == -kInf) return 0;
  return boost::math::cdf(unit, x);
}

}  // namespace

double Population::ess() const {
  double s = 0;
  for (double w : weights) s += w * w;
  return s > 0 ? 1.0 / s : 0.0;
}

double Population::acceptance() const {
  return simulations > 0 ? static_cast<double>(values.size()) / static_cast<double>(simulations)
                         : 0.0;
}

double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights,
                         double q) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  double total = 0;
  for (double w : weights) total += w;
  double cum = 0;
  for (std::size_t i : order) {
    cum += weights[i];
    if (cum >= q * total) return values[i];
  }
  return values[order.back()];
}

std::vector<int> systematic_resample(const std::vector<double>& weights, int n, double u) {
  std::vector<int> out;
  double total = 0;
  for (double w : weights) total += w;
  double cum = weights.empty() ? 0 : weights[0] / total;
  std::size_t j = 0;
  for (int k = 0; k < n; ++k) {
    const double target = (k + u) / n;
    while (target > cum && j + 1 < weights.size()) cum += weights[++j] / total;
    out.push_back(static_cast<int>(j));
  }
  return out;
}

Sampler::Sampler(std::vector<Prior> priors, int particles, double quantile, std::uint32_t seed,
                 int max_attempts)
    : priors_(std::move(priors)),
      particles_(particles),
      quantile_(quantile),
      seed_(seed),
      max_attempts_(max_attempts) {
  for (const Prior& p : priors_) {
    const bool log = p.kind == Prior::Kind::log_uniform || p.kind == Prior::Kind::lognormal;
    log_space_.push_back(log);
    zlo_.push_back(log ? (p.lo > 0 ? std::log(p.lo) : -kInf) : p.lo);
    zhi_.push_back(log ? (p.hi < kInf ? std::log(p.hi) : kInf) : p.hi);
  }
}

std::vector<double> Sampler::to_z(const std::vector<double>& values) const {
  std::vector<double> z(values.size());
  for (std::size_t k = 0; k < values.size(); ++k)
    z[k] = log_space_[k] ? std::log(values[k]) : values[k];
  return z;
}

std::vector<double> Sampler::to_values(const std::vector<double>& z) const {
  std::vector<double> v(z.size());
  for (std::size_t k = 0; k < z.size(); ++k) v[k] = log_space_[k] ? std::exp(z[k]) : z[k];
  return v;
}

bool Sampler::inside(const std::vector<double>& z) const {
  for (std::size_t k = 0; k < z.size(); ++k) {
    if (!(z[k] >= zlo_[k] && z[k] <= zhi_[k])) return false;
  }
  return true;
}

// ln of the prior density on z, up to a constant (the same for every particle).
double Sampler::log_prior(const std::vector<double>& z) const {
  double lp = 0;
  for (std::size_t k = 0; k < z.size(); ++k) {
    const Prior& p = priors_[k];
    if (p.kind == Prior::Kind::normal || p.kind == Prior::Kind::lognormal) {
      const double s = (z[k] - p.a) / p.b;
      lp += -0.5 * s * s;
    }
  }
  return lp;
}

std::vector<double> ParticleOutcome::to_record() const {
  std::vector<double> r = values;
  r.push_back(distance);
  r.push_back(log_weight);
  r.push_back(static_cast<double>(simulations));  // exact below 2^53
  r.push_back(accepted ? 1.0 : 0.0);
  return r;
}

ParticleOutcome ParticleOutcome::from_record(const std::vector<double>& r) {
  if (r.size() < 4) throw std::logic_error("a particle record is too short");
  ParticleOutcome o;
  const std::size_t d = r.size() - 4;
  o.values.assign(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(d));
  o.distance = r[d];
  o.log_weight = r[d + 1];
  o.simulations = static_cast<long long>(r[d + 2]);
  o.accepted = r[d + 3] != 0;
  return o;
}

std::vector<ParticleOutcome> local_evaluate(
    std::size_t n, const std::function<ParticleOutcome(std::size_t)>& one) {
  std::vector<ParticleOutcome> out(n);
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) { out[i] = one(i); });
  return out;
}

Population Sampler::first(const Simulate& simulate, const Evaluate& evaluate) const {
  const RandomStreams streams(seed_, 0);
  const auto n = static_cast<std::size_t>(particles_);
  const std::vector<ParticleOutcome> outcomes = evaluate(n, [&](std::size_t i) {
    // Draws until the scenario is valid (a finite distance): the prior restricted to valid ones.
    ParticleOutcome o;
    for (int a = 0; a < max_attempts_; ++a) {
      Uniforms u(streams, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(a));
      std::vector<double> z(priors_.size());
      for (std::size_t k = 0; k < z.size(); ++k) {
        const Prior& p = priors_[k];
        const double x = u();
        if (p.kind == Prior::Kind::uniform || p.kind == Prior::Kind::log_uniform) {
          z[k] = zlo_[k] + x * (zhi_[k] - zlo_[k]);
        } else {
          const double plo = standard_normal_cdf((zlo_[k] - p.a) / p.b);
          const double phi = standard_normal_cdf((zhi_[k] - p.a) / p.b);
          z[k] = std::clamp(p.a + p.b * standard_normal_quantile(plo + x * (phi - plo)), zlo_[k],
                            zhi_[k]);
        }
      }
      const std::uint32_t seed = u.word();
      o.values = to_values(z);
      ++o.simulations;
      o.distance = simulate(o.values, seed, kInf);
      if (std::isfinite(o.distance)) break;
    }
    o.accepted = std::isfinite(o.distance);
    return o;
  });
  Population pop;
  pop.generation = 0;
  pop.tolerance = kInf;
  for (const ParticleOutcome& o : outcomes) {
    pop.values.push_back(o.values);
    pop.distances.push_back(o.distance);
    pop.simulations += o.simulations;
  }
  pop.weights.assign(n, 1.0 / static_cast<double>(n));
  return pop;
}

double Sampler::next_tolerance(const Population& previous) const {
  return weighted_quantile(previous.distances, previous.weights, quantile_);
}

std::optional<Population> Sampler::next(const Population& prev, const Simulate& simulate,
                                        const Evaluate& evaluate) const {
  const std::size_t d = priors_.size();
  const std::size_t m = prev.values.size();
  const auto n = static_cast<std::size_t>(particles_);
  // The previous population on z, its weighted covariance and the kernel's Cholesky factor.
  Eigen::MatrixXd Z(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(d));
  for (std::size_t j = 0; j < m; ++j) {
    const std::vector<double> z = to_z(prev.values[j]);
    for (std::size_t k = 0; k < d; ++k)
      Z(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(k)) = z[k];
  }
  const Eigen::VectorXd w =
      Eigen::Map<const Eigen::VectorXd>(prev.weights.data(), static_cast<Eigen::Index>(m));
  const Eigen::RowVectorXd mean = (w.transpose() * Z) / w.sum();
  const Eigen::MatrixXd centred = Z.rowwise() - mean;
  Eigen::MatrixXd cov = 2.0 * (centred.transpose() * w.asDiagonal() * centred) / w.sum();
  // A population collapsed on a point (or a line) has a singular covariance: a small ridge keeps
  // the kernel proper.
  Eigen::LLT<Eigen::MatrixXd> llt;
  for (double ridge = 0;; ridge = ridge == 0 ? 1e-12 : ridge * 100) {
    Eigen::MatrixXd c = cov;
    for (Eigen::Index k = 0; k < c.rows(); ++k) c(k, k) += ridge * (1.0 + std::abs(cov(k, k)));
    llt.compute(c);
    if (llt.info() == Eigen::Success || ridge > 1) break;
  }
  const Eigen::MatrixXd L = llt.matrixL();
  // Cumulative weights for the ancestor draw.
  std::vector<double> cum(m);
  double total = 0;
  for (std::size_t j = 0; j < m; ++j) cum[j] = (total += prev.weights[j]);

  const int generation = prev.generation + 1;
  const RandomStreams streams(seed_, static_cast<std::uint32_t>(generation));
  const double eps = next_tolerance(prev);
  const std::vector<ParticleOutcome> outcomes = evaluate(n, [&](std::size_t i) {
    ParticleOutcome o;
    for (int a = 0; a < max_attempts_; ++a) {
      Uniforms u(streams, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(a));
      const double pick = u() * total;
      const std::size_t j = std::min<std::size_t>(
          static_cast<std::size_t>(std::lower_bound(cum.begin(), cum.end(), pick) - cum.begin()),
          m - 1);
      Eigen::VectorXd e(static_cast<Eigen::Index>(d));
      for (std::size_t k = 0; k < d; ++k)
        e(static_cast<Eigen::Index>(k)) = standard_normal_quantile(u());
      const Eigen::VectorXd step = L * e;
      std::vector<double> z(d);
      for (std::size_t k = 0; k < d; ++k)
        z[k] = Z(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(k)) +
               step(static_cast<Eigen::Index>(k));
      const std::uint32_t seed = u.word();
      if (!inside(z)) continue;  // zero prior density: no simulation
      std::vector<double> values = to_values(z);
      ++o.simulations;
      const double dist = simulate(values, seed, eps);
      if (!(dist <= eps)) continue;
      o.values = std::move(values);
      o.distance = dist;
      o.accepted = true;
      // Weight: prior / sum_j w_j K(z | z_j), K the kernel's normal density (its constant is
      // common to all particles and cancels).
      std::vector<double> terms(m);
      double top = -kInf;
      for (std::size_t jj = 0; jj < m; ++jj) {
        Eigen::VectorXd diff(static_cast<Eigen::Index>(d));
        for (std::size_t k = 0; k < d; ++k)
          diff(static_cast<Eigen::Index>(k)) =
              z[k] - Z(static_cast<Eigen::Index>(jj), static_cast<Eigen::Index>(k));
        const Eigen::VectorXd s = L.triangularView<Eigen::Lower>().solve(diff);
        terms[jj] = std::log(prev.weights[jj]) - 0.5 * s.squaredNorm();
        top = std::max(top, terms[jj]);
      }
      double sum = 0;
      for (double t : terms) sum += std::exp(t - top);
      o.log_weight = log_prior(z) - (top + std::log(sum));
      break;
    }
    return o;
  });
  Population pop;
  pop.generation = generation;
  pop.tolerance = eps;
  for (const ParticleOutcome& o : outcomes) {
    pop.simulations += o.simulations;
    if (!o.accepted) continue;
    pop.values.push_back(o.values);
    pop.distances.push_back(o.distance);
  }
  if (pop.values.size() != n) return std::nullopt;
  double top = -kInf;
  for (const ParticleOutcome& o : outcomes) top = std::max(top, o.log_weight);
  pop.weights.resize(n);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += (pop.weights[i] = std::exp(outcomes[i].log_weight - top));
  for (double& x : pop.weights) x /= sum;
  return pop;
}

}  // namespace flywheel::abc
