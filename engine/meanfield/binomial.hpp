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
    at_.clear();
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

  // Any law of 0..n given by its probabilities at 0 .. count - 1 (normalised here; negative
  // ones as 0, those below kCut of the largest at either end left out).
  void assign_dense(int n, const double* p, int count) {
    n_ = n;
    at_.clear();
    double top = 0.0;
    for (int i = 0; i < count; ++i) top = std::max(top, p[i]);
    int first = 0, last = count - 1;
    while (first <= last && !(p[first] >= top * kCut)) ++first;
    while (last > first && !(p[last] >= top * kCut)) --last;
    pmf_.clear();
    if (!(top > 0.0) || first > last) {
      lo_ = 0;
      pmf_.push_back(1.0);
      finish(1.0);
      return;
    }
    double sum = 0.0;
    for (int i = first; i <= last; ++i) {
      pmf_.push_back(std::max(0.0, p[i]));
      sum += pmf_.back();
    }
    lo_ = first;
    finish(1.0 / sum);
  }
  // Any law of 0..n given by its probabilities p at the increasing counts x (normalised here):
  // the others' laws under teammate invites (invite_laws.hpp), few points over a wide range,
  // read through the same sums. Points below kCut of the largest are left out.
  void assign_points(int n, const int* x, const double* p, int count) {
    n_ = n;
    double top = 0.0;
    for (int i = 0; i < count; ++i) top = std::max(top, p[i]);
    pmf_.clear();
    at_.clear();
    if (!(top > 0.0)) {
      lo_ = 0;
      pmf_.push_back(1.0);
      finish(1.0);
      return;
    }
    double sum = 0.0;
    for (int i = 0; i < count; ++i) {
      if (!(p[i] >= top * kCut)) continue;
      at_.push_back(x[i]);
      pmf_.push_back(p[i]);
      sum += p[i];
    }
    lo_ = at_.front();
    // Points close together are read faster as consecutive counts (no search).
    const int span = at_.back() - lo_ + 1;
    if (span <= 2 * static_cast<int>(at_.size()) + 8) {
      std::vector<double>& dense = below_;  // as scratch: finish() rebuilds it
      dense.assign(static_cast<std::size_t>(span), 0.0);
      for (std::size_t i = 0; i < at_.size(); ++i) dense[static_cast<std::size_t>(at_[i] - lo_)] = pmf_[i];
      pmf_.swap(dense);
      at_.clear();
    }
    finish(1.0 / sum);
    for (std::size_t i = 0; i < at_.size(); ++i) {  // points: at their own counts
      below_k_[i + 1] = below_k_[i] + static_cast<double>(at_[i]) * pmf_[i];
    }
  }

  int n() const { return n_; }
  // P(a <= X <= b) and E[X 1{a <= X <= b}], from the running sums.
  double mass(int a, int b) const { return range(below_, a, b); }
  double first_moment(int a, int b) const { return range(below_k_, a, b); }
  double mean() const { return below_k_.back(); }
  int lo() const { return lo_; }
  int hi() const { return at_.empty() ? lo_ + static_cast<int>(pmf_.size()) - 1 : at_.back(); }
  double pmf(int k) const {
    if (!at_.empty()) {
      const auto it = std::lower_bound(at_.begin(), at_.end(), k);
      return it == at_.end() || *it != k ? 0.0 : pmf_[static_cast<std::size_t>(it - at_.begin())];
    }
    return k < lo() || k > hi() ? 0.0 : pmf_[static_cast<std::size_t>(k - lo_)];
  }

  // E[f(a)] over the distribution.
  template <class F>
  double expect(F f) const {
    double sum = 0.0;
    if (!at_.empty()) {
      for (std::size_t i = 0; i < at_.size(); ++i) sum += pmf_[i] * f(at_[i]);
      return sum;
    }
    for (int k = lo(); k <= hi(); ++k) sum += pmf_[static_cast<std::size_t>(k - lo_)] * f(k);
    return sum;
  }
  // Calls visit(k, pmf(k)) over the counts that have a probability, in increasing order.
  template <class Visit>
  void visit(Visit v) const {
    if (!at_.empty()) {
      for (std::size_t i = 0; i < at_.size(); ++i) v(at_[i], pmf_[i]);
      return;
    }
    for (int k = lo(); k <= hi(); ++k) v(k, pmf_[static_cast<std::size_t>(k - lo_)]);
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
    if (!at_.empty()) [[unlikely]] {
      const auto from = std::lower_bound(at_.begin(), at_.end(), a);
      const auto to = std::upper_bound(from, at_.end(), b);
      return to <= from ? 0.0 : sums[static_cast<std::size_t>(to - at_.begin())] -
                                    sums[static_cast<std::size_t>(from - at_.begin())];
    }
    a = std::max(a, lo_);
    b = std::min(b, hi());
    return a > b ? 0.0 : sums[static_cast<std::size_t>(b - lo_ + 1)] - sums[static_cast<std::size_t>(a - lo_)];
  }

  static constexpr double kCut = 1e-13;  // relative to the mode: below the integrator's tolerance
  int n_ = 0;
  int lo_ = 0;
  std::vector<double> pmf_;
  std::vector<int> at_;  // the counts of pmf_ when given by points (assign_points), else lo ..
  std::vector<double> below_, below_k_;  // below_[i]: pmf summed over its entries before i
};

// The active users of an account: its first signer (active with pi1) and `others` other people
// (Binomial(others, pi2)), independent given the account's class and plan; under teammate
// invites (invite_laws.hpp) the others' law given the first signer not active and given it
// active, which differ (an active first signer invites its teammates).
class HeadCount {
 public:
  HeadCount() : HeadCount(0.0, 0, 0.0) {}
  HeadCount(double pi1, int others, double pi2) { assign(pi1, others, pi2); }
  // In place, reusing the storage (Twin::rhs rebuilds every block's at each evaluation).
  void assign(double pi1, int others, double pi2) {
    pi1_ = std::clamp(pi1, 0.0, 1.0);
    x_.assign(others, pi2);
    joint_ = false;
  }
  // The others' laws at 0 .. count - 1 (Binomial::assign_dense) instead of the Binomial.
  void assign_laws(double pi1, int others, const double* idle, int idle_count,
                   const double* active, int active_count) {
    pi1_ = std::clamp(pi1, 0.0, 1.0);
    x_.assign_dense(others, idle, idle_count);
    x1_.assign_dense(others, active, active_count);
    joint_ = true;
  }
  // The others' laws given by points (Binomial::assign_points) instead of the Binomial.
  void assign_laws(double pi1, int others, const int* idle_x, const double* idle_p, int idle_count,
                   const int* active_x, const double* active_p, int active_count) {
    pi1_ = std::clamp(pi1, 0.0, 1.0);
    x_.assign_points(others, idle_x, idle_p, idle_count);
    x1_.assign_points(others, active_x, active_p, active_count);
    joint_ = true;
  }

  double pi1() const { return pi1_; }
  // The active others given the first signer active (1) or not (0).
  const Binomial& others(int first_active) const { return joint_ && first_active ? x1_ : x_; }

  double pmf(int a) const { return (1.0 - pi1_) * x_.pmf(a) + pi1_ * others(1).pmf(a - 1); }
  // E[f(a)], E[f(a) 1{first active}], E[f(a) x] with x the active others, each in one pass.
  template <class F>
  double expect(F f) const {
    if (joint_) {
      return (1.0 - pi1_) * x_.expect(f) + pi1_ * x1_.expect([&](int x) { return f(x + 1); });
    }
    return x_.expect([&](int x) { return (1.0 - pi1_) * f(x) + pi1_ * f(x + 1); });
  }
  template <class F>
  double expect_first(F f) const {
    return pi1_ * others(1).expect([&](int x) { return f(x + 1); });
  }
  template <class F>
  double expect_others(F f) const {
    if (joint_) {
      return (1.0 - pi1_) * x_.expect([&](int x) { return f(x) * x; }) +
             pi1_ * x1_.expect([&](int x) { return f(x + 1) * x; });
    }
    return x_.expect([&](int x) { return ((1.0 - pi1_) * f(x) + pi1_ * f(x + 1)) * x; });
  }
  // Calls visit(x, p, p0, p1) for each number x of active others: the probability of x and the
  // first signer not active is p p0, active p p1 (for several expectations in one pass).
  template <class Visit>
  void visit_others(Visit visit) const {
    if (!joint_) {
      x_.visit([&](int x, double p) { visit(x, p, 1.0 - pi1_, pi1_); });
      return;
    }
    // The two laws' counts merged in increasing order.
    thread_local std::vector<std::pair<int, double>> a, b;
    a.clear();
    b.clear();
    x_.visit([&](int x, double p) { a.emplace_back(x, p); });
    x1_.visit([&](int x, double p) { b.emplace_back(x, p); });
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
      const int x = j == b.size() || (i < a.size() && a[i].first < b[j].first) ? a[i].first
                                                                                : b[j].first;
      const double p0 = i < a.size() && a[i].first == x ? a[i++].second : 0.0;
      const double p1 = j < b.size() && b[j].first == x ? b[j++].second : 0.0;
      if (p0 > 0.0 || p1 > 0.0) visit(x, 1.0, (1.0 - pi1_) * p0, pi1_ * p1);
    }
  }
  bool joint() const { return joint_; }

 private:
  double pi1_ = 0.0;
  Binomial x_, x1_;    // x1_ only under teammate invites
  bool joint_ = false;
};

}  // namespace flywheel::meanfield
