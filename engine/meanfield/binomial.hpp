// The active users of an account of n people in the twin: Binomial(n, pi), pi the share of its
// class and plan's people who are active (the closure of docs/mean_field.md: people of one
// account are independent given their account's class and plan). Sums over it for the rules that
// read an account's head count: PQL threshold, seats, abandonment, team effects.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace flywheel::meanfield {

// log(n!) from a table up to kLogFactorials (built once; lgamma beyond): the head counts' pmfs
// are rebuilt at every evaluation of the right-hand side.
inline double log_factorial(int n) {
  constexpr int kLogFactorials = 1 << 15;
  static const std::vector<double> table = [] {
    std::vector<double> t(kLogFactorials, 0.0);
    for (int i = 2; i < kLogFactorials; ++i) t[static_cast<std::size_t>(i)] = t[i - 1] + std::log(i);
    return t;
  }();
  return n < kLogFactorials ? table[static_cast<std::size_t>(n)] : std::lgamma(n + 1.0);
}

class Binomial {
 public:
  Binomial() { assign(0, 0.0); }
  // The probabilities of 0..n, computed where they are above 1e-13 of the mode's.
  Binomial(int n, double pi) { assign(n, pi); }

  // Binomial(n, pi) in place: the storage of the previous distribution is reused.
  void assign(int n, double pi) {
    n_ = n;
    pmf_.clear();
    pi = std::clamp(pi, 0.0, 1.0);
    if (n <= 0 || pi <= 0.0) {
      lo_ = 0;
      pmf_.push_back(1.0);
      finish(1.0);
      return;
    }
    if (pi >= 1.0) {
      lo_ = n;
      pmf_.push_back(1.0);
      finish(1.0);
      return;
    }
    const int mode = std::min(n, static_cast<int>(std::floor((n + 1) * pi)));
    // Most accounts' head counts have their mode at 0: pmf(0) = (1 - pi)^n needs no factorial.
    const double log_mode =
        mode == 0 ? n * std::log1p(-pi)
                  : log_factorial(n) - log_factorial(mode) - log_factorial(n - mode) +
                        mode * std::log(pi) + (n - mode) * std::log1p(-pi);
    const double odds = pi / (1.0 - pi);
    // From the mode down, then reversed, then up: pmf(k - 1) = pmf(k) k / ((n - k + 1) odds),
    // pmf(k + 1) = pmf(k) (n - k) / (k + 1) odds. Each ratio is formed apart from the running
    // product, so that only a multiplication (not the division) waits on the previous term.
    const double top = std::exp(log_mode);
    double at = top;
    pmf_.push_back(top);
    for (int k = mode; k > 0; --k) {
      at *= k / ((n - k + 1.0) * odds);
      if (at < top * kCut) break;
      pmf_.push_back(at);
    }
    std::reverse(pmf_.begin(), pmf_.end());
    lo_ = mode - static_cast<int>(pmf_.size()) + 1;
    at = top;
    for (int k = mode; k < n; ++k) {
      at *= (n - k) * odds / (k + 1.0);
      if (at < top * kCut) break;
      pmf_.push_back(at);
    }
    double sum = 0.0;
    for (double p : pmf_) sum += p;
    finish(1.0 / sum);
  }

  int n() const { return n_; }
  // P(a <= X <= b) and E[X 1{a <= X <= b}], from the running sums.
  double mass(int a, int b) const { return range(below_, a, b); }
  double first_moment(int a, int b) const { return range(below_k_, a, b); }
  double mean() const { return below_k_.back(); }
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
  // Normalises the probabilities and forms the running sums of pmf(k) and k pmf(k).
  void finish(double scale) {
    below_.resize(pmf_.size() + 1);
    below_k_.resize(pmf_.size() + 1);
    below_[0] = below_k_[0] = 0.0;
    for (std::size_t i = 0; i < pmf_.size(); ++i) {
      pmf_[i] *= scale;
      below_[i + 1] = below_[i] + pmf_[i];
      below_k_[i + 1] = below_k_[i] + static_cast<double>(lo_ + static_cast<int>(i)) * pmf_[i];
    }
  }

  double range(const std::vector<double>& sums, int a, int b) const {
    a = std::max(a, lo_);
    b = std::min(b, hi());
    return a > b ? 0.0 : sums[static_cast<std::size_t>(b - lo_ + 1)] - sums[static_cast<std::size_t>(a - lo_)];
  }

  static constexpr double kCut = 1e-13;  // relative to the mode: below the integrator's tolerance
  int n_ = 0;
  int lo_ = 0;
  std::vector<double> pmf_;
  std::vector<double> below_, below_k_;  // below_[i]: pmf summed over lo .. lo + i - 1
};

// The active users of an account: its first signer (active with pi1) and `others` other people
// (Binomial(others, pi2)), independent given the account's class and plan.
class HeadCount {
 public:
  HeadCount() : HeadCount(0.0, 0, 0.0) {}
  HeadCount(double pi1, int others, double pi2) { assign(pi1, others, pi2); }
  // In place, reusing the storage (Twin::rhs rebuilds every block's at each evaluation).
  void assign(double pi1, int others, double pi2) {
    pi1_ = std::clamp(pi1, 0.0, 1.0);
    x_.assign(others, pi2);
  }

  double pi1() const { return pi1_; }
  const Binomial& others() const { return x_; }  // the active others: Binomial(others, pi2)

  double pmf(int a) const { return (1.0 - pi1_) * x_.pmf(a) + pi1_ * x_.pmf(a - 1); }
  // E[f(a)], E[f(a) 1{first active}], E[f(a) x] with x the active others, each in one pass.
  template <class F>
  double expect(F f) const {
    return x_.expect([&](int x) { return (1.0 - pi1_) * f(x) + pi1_ * f(x + 1); });
  }
  template <class F>
  double expect_first(F f) const {
    return pi1_ * x_.expect([&](int x) { return f(x + 1); });
  }
  template <class F>
  double expect_others(F f) const {
    return x_.expect([&](int x) { return ((1.0 - pi1_) * f(x) + pi1_ * f(x + 1)) * x; });
  }
  // Calls visit(x, p) for each number x of active others with its probability p: for several
  // expectations in one pass.
  template <class Visit>
  void visit_others(Visit visit) const {
    for (int x = x_.lo(); x <= x_.hi(); ++x) visit(x, x_.pmf(x));
  }

 private:
  double pi1_ = 0.0;
  Binomial x_;
};

}  // namespace flywheel::meanfield
