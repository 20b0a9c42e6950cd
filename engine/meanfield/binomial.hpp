// The active users of an account of n people in the twin: Binomial(n, pi), pi the share of its
// class and plan's people who are active (the closure of docs/mean_field.md: people of one
// account are independent given their account's class and plan). Sums over it for the rules that
// read an account's head count: PQL threshold, seats, abandonment, team effects.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace flywheel::meanfield {

class Binomial {
 public:
  // The probabilities of 0..n, computed where they are above 1e-15 of the mode's.
  Binomial(int n, double pi) : n_(n) {
    pi = std::clamp(pi, 0.0, 1.0);
    if (n <= 0 || pi <= 0.0) {
      lo_ = 0;
      pmf_.assign(1, 1.0);
      return;
    }
    if (pi >= 1.0) {
      lo_ = n;
      pmf_.assign(1, 1.0);
      return;
    }
    const int mode = std::min(n, static_cast<int>(std::floor((n + 1) * pi)));
    const double log_mode = std::lgamma(n + 1.0) - std::lgamma(mode + 1.0) -
                            std::lgamma(n - mode + 1.0) + mode * std::log(pi) +
                            (n - mode) * std::log1p(-pi);
    const double odds = pi / (1.0 - pi);
    std::vector<double> up{std::exp(log_mode)}, down;
    for (int k = mode; k < n; ++k) {  // pmf(k + 1) = pmf(k) (n - k) / (k + 1) odds
      const double next = up.back() * (n - k) / (k + 1.0) * odds;
      if (next < up.front() * 1e-15) break;
      up.push_back(next);
    }
    double at = up.front();
    for (int k = mode; k > 0; --k) {  // pmf(k - 1) = pmf(k) k / ((n - k + 1) odds)
      at = at * k / ((n - k + 1.0) * odds);
      if (at < up.front() * 1e-15) break;
      down.push_back(at);
    }
    lo_ = mode - static_cast<int>(down.size());
    pmf_.assign(down.rbegin(), down.rend());
    pmf_.insert(pmf_.end(), up.begin(), up.end());
    double sum = 0.0;
    for (double p : pmf_) sum += p;
    for (double& p : pmf_) p /= sum;
  }

  int n() const { return n_; }
  int lo() const { return lo_; }
  int hi() const { return lo_ + static_cast<int>(pmf_.size()) - 1; }
  double pmf(int k) const { return k < lo() || k > hi() ? 0.0 : pmf_[static_cast<std::size_t>(k - lo_)]; }

  // E[f(a)] over the distribution.
  template <class F>
  double expect(F f) const {
    double sum = 0.0;
    for (int k = lo(); k <= hi(); ++k) sum += pmf_[static_cast<std::size_t>(k - lo_)] * f(k);
    return sum;
  }

 private:
  int n_ = 0;
  int lo_ = 0;
  std::vector<double> pmf_;
};

}  // namespace flywheel::meanfield
