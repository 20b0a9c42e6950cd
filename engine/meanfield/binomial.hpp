// The active users of an account of n people in the twin: Binomial(n, pi), pi the share of its
// class and plan's people who are active (the closure of docs/mean_field.md: people of one
// account are independent given their account's class and plan). Sums over it for the rules that
// read an account's head count: PQL threshold, seats, abandonment, team effects.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace flywheel::meanfield {

// 1 / i from a table up to kReciprocals (built once; a division beyond): the head counts' laws
// are rebuilt at every evaluation of the right-hand side.
inline double reciprocal(int i) {
  constexpr int kReciprocals = 1 << 12;
  static const std::vector<double> table = [] {
    std::vector<double> t(kReciprocals, 0.0);
    for (int j = 1; j < kReciprocals; ++j) t[static_cast<std::size_t>(j)] = 1.0 / j;
    return t;
  }();
  return i < kReciprocals ? table[static_cast<std::size_t>(i)] : 1.0 / i;
}

class Binomial {
 public:
  Binomial() { assign(0, 0.0); }
  // The probabilities of 0..n, computed where they are above 1e-13 of the mode's.
  Binomial(int n, double pi) { assign(n, pi); }

  // Binomial(n, pi) in place: the storage of the previous distribution is reused.
  void assign(int n, double pi) {
    n_ = n;
    pi = std::clamp(pi, 0.0, 1.0);
    if (n <= 0 || pi <= 0.0 || pi >= 1.0) {
      lo_ = n > 0 && pi >= 1.0 ? n : 0;
      count_ = 1;
      if (buf_.empty()) buf_.resize(1);
      p_ = buf_.data();
      p_[0] = 1.0;
      return;
    }
    const int mode = std::min(n, static_cast<int>(std::floor((n + 1) * pi)));
    const double odds = pi / (1.0 - pi), inverse_odds = (1.0 - pi) / pi;
    // The probabilities relative to the mode's (1 there), normalised at the end, from the mode
    // down and up, written on both sides of the mode's slot (the buffer holds n + 1 numbers each
    // side): pmf(k - 1) = pmf(k) k / ((n - k + 1) odds), pmf(k + 1) = pmf(k) (n - k) odds /
    // (k + 1), 1 / i from a table: no exponential, no division. Each ratio is formed apart from
    // the running product, so that only one multiplication waits on the previous term.
    const std::size_t size = 2 * static_cast<std::size_t>(n) + 2;
    if (buf_.size() < size) buf_.resize(size);
    double* const at_mode = buf_.data() + n;
    *at_mode = 1.0;
    double* first = at_mode;
    double at = 1.0;
    for (int k = mode; k > 0; --k) {
      at *= k * reciprocal(n - k + 1) * inverse_odds;
      if (at < kCut) break;
      *--first = at;
    }
    double* last = at_mode + 1;
    at = 1.0;
    for (int k = mode; k < n; ++k) {
      at *= (n - k) * odds * reciprocal(k + 1);
      if (at < kCut) break;
      *last++ = at;
    }
    p_ = first;
    count_ = static_cast<int>(last - first);
    lo_ = mode - static_cast<int>(at_mode - first);
    double sum = 0.0;
    for (int i = 0; i < count_; ++i) sum += p_[i];
    const double scale = 1.0 / sum;
    for (int i = 0; i < count_; ++i) p_[i] *= scale;
  }

  int n() const { return n_; }
  int lo() const { return lo_; }
  int hi() const { return lo_ + count_ - 1; }
  // The probabilities of lo() .. hi().
  const double* probabilities() const { return p_; }
  double pmf(int k) const { return k < lo_ || k > hi() ? 0.0 : p_[k - lo_]; }

  // E[f(a)] over the distribution.
  template <class F>
  double expect(F f) const {
    double sum = 0.0;
    for (int i = 0; i < count_; ++i) sum += p_[i] * f(lo_ + i);
    return sum;
  }

  Binomial(const Binomial& other) { *this = other; }
  Binomial& operator=(const Binomial& other) {
    if (this == &other) return *this;
    n_ = other.n_;
    lo_ = other.lo_;
    count_ = other.count_;
    buf_.assign(other.p_, other.p_ + other.count_);
    p_ = buf_.data();
    return *this;
  }

 private:
  static constexpr double kCut = 1e-13;  // relative to the mode: below the integrator's tolerance
  int n_ = 0;
  int lo_ = 0;
  int count_ = 1;
  std::vector<double> buf_;
  double* p_ = nullptr;  // the probabilities of lo_ .., in buf_
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
    const double* p = x_.probabilities();
    for (int x = x_.lo(); x <= x_.hi(); ++x) visit(x, p[x - x_.lo()]);
  }

 private:
  double pi1_ = 0.0;
  Binomial x_;
};

}  // namespace flywheel::meanfield
