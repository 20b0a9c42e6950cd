// The active users of an account of n people in the twin: Binomial(n, pi), pi the share of its
// class and plan's people who are active (the closure of docs/mean_field.md: people of one
// account are independent given their account's class and plan). Sums over it for the rules that
// read an account's head count: PQL threshold, seats, abandonment, team effects. Under teammate
// invites (invite_laws.hpp) the same class holds any law of 0..n, read through the same sums.
#pragma once

#include <algorithm>
#include <cmath>
#include <cassert>
#include <cstddef>
#include <memory>
#include <vector>

namespace flywheel::meanfield {

// 1 / i for i < kReciprocals from a table built once (the head counts' laws are rebuilt at every
// evaluation of the right-hand side). The table is fetched once per law, not per term: a
// function-local static's guard inside the loop kept its running product in memory.
inline constexpr int kReciprocals = 1 << 12;
inline const double* reciprocals() {
  static const std::vector<double> table = [] {
    std::vector<double> t(kReciprocals, 0.0);
    for (int j = 1; j < kReciprocals; ++j) t[static_cast<std::size_t>(j)] = 1.0 / j;
    return t;
  }();
  return table.data();
}

class Binomial {
 public:
  // The law of 0 (allocating nothing: a head count's second law exists only under invites).
  Binomial() : p_(&unit_) {}
  // The probabilities of 0..n, computed where they are above kCut (1e-8) of the mode's.
  Binomial(int n, double pi) { assign(n, pi); }

  // Binomial(n, pi) in place: the storage of the previous distribution is reused.
  void assign(int n, double pi) {
    n_ = n;
    points_ = 0;
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
    double* last = at_mode + 1;
    // Their sum, each side's taken along its running product (the additions wait on nothing the
    // products do not): 1 at the mode, the terms below it, the terms above it.
    double below = 0.0, above = 0.0;
    // Both running products, with 1 / i from the table or, past it, by division (the same
    // numbers: the table holds 1.0 / i).
    auto products = [&](auto inv) {
      double at = 1.0;
      for (int k = mode; k > 0; --k) {
        at *= k * inv(n - k + 1) * inverse_odds;
        if (at < kCut) break;
        *--first = at;
        below += at;
      }
      at = 1.0;
      for (int k = mode; k < n; ++k) {
        at *= (n - k) * odds * inv(k + 1);
        if (at < kCut) break;
        *last++ = at;
        above += at;
      }
    };
    if (n < kReciprocals) [[likely]] {
      const double* table = reciprocals();
      products([table](int i) { return table[i]; });
    } else {
      products([](int i) { return 1.0 / i; });
    }
    p_ = first;
    count_ = static_cast<int>(last - first);
    lo_ = mode - static_cast<int>(at_mode - first);
    const double scale = 1.0 / ((1.0 + below) + above);
    for (int i = 0; i < count_; ++i) p_[i] *= scale;
  }

  // Any law of 0..n given by its probabilities at 0 .. count - 1 (normalised here; negative
  // ones as 0, those below kCut of the largest at either end left out).
  void assign_dense(int n, const double* p, int count) {
    n_ = n;
    points_ = 0;
    double top = 0.0;
    for (int i = 0; i < count; ++i) top = std::max(top, p[i]);
    int first = 0, last = count - 1;
    while (first <= last && !(p[first] >= top * kCut)) ++first;
    while (last > first && !(p[last] >= top * kCut)) --last;
    if (!(top > 0.0) || first > last) {
      point_mass(0);
      return;
    }
    count_ = last - first + 1;
    if (buf_.size() < static_cast<std::size_t>(count_)) buf_.resize(static_cast<std::size_t>(count_));
    p_ = buf_.data();
    lo_ = first;
    double sum = 0.0;
    for (int i = 0; i < count_; ++i) {
      p_[i] = std::max(0.0, p[first + i]);
      sum += p_[i];
    }
    const double scale = 1.0 / sum;
    for (int i = 0; i < count_; ++i) p_[i] *= scale;
  }
  // Any law of 0..n given by its probabilities p at the increasing counts x (normalised here):
  // the others' laws under teammate invites (invite_laws.hpp), few points over a wide range.
  // Points below kCut of the largest are left out; points close together are kept as
  // consecutive counts (no search).
  void assign_points(int n, const int* x, const double* p, int count) {
    n_ = n;
    points_ = 0;
    double top = 0.0;
    for (int i = 0; i < count; ++i) top = std::max(top, p[i]);
    if (!(top > 0.0)) {
      point_mass(0);
      return;
    }
    int kept = 0, first = -1, last = -1;
    for (int i = 0; i < count; ++i) {
      if (!(p[i] >= top * kCut)) continue;
      if (first < 0) first = x[i];
      last = x[i];
      ++kept;
    }
    const int span = last - first + 1;
    points_ = span <= 2 * kept + 8 ? 0 : 1;
    count_ = points_ ? kept : span;
    // Points: their probabilities, then their counts (as numbers: exact), in the buffer.
    const std::size_t size = static_cast<std::size_t>(count_) * (points_ ? 2 : 1);
    if (buf_.size() < size) buf_.resize(size);
    p_ = buf_.data();
    lo_ = first;
    if (!points_) std::fill(p_, p_ + count_, 0.0);
    double sum = 0.0;
    for (int i = 0, j = 0; i < count; ++i) {
      if (!(p[i] >= top * kCut)) continue;
      if (points_) {
        p_[count_ + j] = x[i];
        p_[j++] = p[i];
      } else {
        p_[x[i] - first] = p[i];
      }
      sum += p[i];
    }
    const double scale = 1.0 / sum;
    for (int i = 0; i < count_; ++i) p_[i] *= scale;
  }

  int n() const { return n_; }
  int lo() const { return lo_; }
  int hi() const { return points_ ? static_cast<int>(p_[2 * count_ - 1]) : lo_ + count_ - 1; }
  // The probabilities of lo() .. hi() (a law given by points has none such).
  const double* probabilities() const {
    assert(!points_);
    return p_;
  }
  double pmf(int k) const {
    if (!points_) [[likely]] return k < lo_ || k > lo_ + count_ - 1 ? 0.0 : p_[k - lo_];
    const double* at = p_ + count_;
    const double* it = std::lower_bound(at, at + count_, static_cast<double>(k));
    return it == at + count_ || *it != k ? 0.0 : p_[it - at];
  }
  // The counts with a probability: the i-th of them is count(i), its probability prob(i), for
  // i < entries() (consecutive counts from lo(), or the points).
  int entries() const { return count_; }
  int count(int i) const { return points_ ? static_cast<int>(p_[count_ + i]) : lo_ + i; }
  double prob(int i) const { return p_[i]; }

  // E[f(a)] over the distribution.
  template <class F>
  double expect(F f) const {
    double sum = 0.0;
    if (points_) [[unlikely]] {
      for (int i = 0; i < count_; ++i) sum += p_[i] * f(count(i));
      return sum;
    }
    for (int i = 0; i < count_; ++i) sum += p_[i] * f(lo_ + i);
    return sum;
  }
  // Calls v(k, pmf(k)) over the counts that have a probability, in increasing order.
  template <class Visit>
  void visit(Visit v) const {
    for (int i = 0; i < count_; ++i) v(count(i), p_[i]);
  }
  // P(a <= X <= b) and E[X]: summed where asked (only the laws of teammate invites ask).
  double mass(int a, int b) const {
    double sum = 0.0;
    for (int i = 0; i < count_; ++i) {
      const int k = count(i);
      if (k >= a && k <= b) sum += p_[i];
    }
    return sum;
  }
  double mean() const { return expect([](int k) { return static_cast<double>(k); }); }

  Binomial(const Binomial& other) { *this = other; }
  Binomial& operator=(const Binomial& other) {
    if (this == &other) return *this;
    n_ = other.n_;
    lo_ = other.lo_;
    count_ = other.count_;
    points_ = other.points_;
    buf_.assign(other.p_, other.p_ + other.count_ * (other.points_ ? 2 : 1));
    p_ = buf_.data();
    return *this;
  }

 private:
  // Relative to the mode: the mass left out is about 1e-8 of the law's, far below the
  // integrator's tolerance (1e-3 relative), and each law's sums run over fewer terms.
  static constexpr double kCut = 1e-8;
  void point_mass(int at) {
    lo_ = at;
    count_ = 1;
    if (buf_.empty()) buf_.resize(1);
    p_ = buf_.data();
    p_[0] = 1.0;
  }
  int n_ = 0;
  int lo_ = 0;
  int count_ = 1;
  int points_ = 0;  // 1: a law given by points (assign_points), their counts after p_'s count_
  std::vector<double> buf_;
  // The probabilities of lo_ .. (or of the points, then the points' counts), in buf_ (or unit_).
  double* p_ = nullptr;
  static inline double unit_ = 1.0;  // the default law's probability (never written)
};

// The active users of an account: its first signer (active with pi1) and `others` other people
// (Binomial(others, pi2)), independent given the account's class and plan; under teammate
// invites (invite_laws.hpp) the others' law given the first signer not active and given it
// active, which differ (an active first signer invites its teammates).
class HeadCount {
 public:
  HeadCount() : HeadCount(0.0, 0, 0.0) {}
  HeadCount(double pi1, int others, double pi2) { assign(pi1, others, pi2); }
  HeadCount(const HeadCount& other) { *this = other; }
  HeadCount& operator=(const HeadCount& other) {
    if (this == &other) return *this;
    pi1_ = other.pi1_;
    x_ = other.x_;
    joint_ = other.joint_;
    if (other.x1_) {
      if (!x1_) x1_ = std::make_unique<Binomial>();
      *x1_ = *other.x1_;
    }
    return *this;
  }
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
    if (!x1_) x1_ = std::make_unique<Binomial>();
    x1_->assign_dense(others, active, active_count);
    joint_ = true;
  }
  // The others' laws given by points (Binomial::assign_points) instead of the Binomial.
  void assign_laws(double pi1, int others, const int* idle_x, const double* idle_p, int idle_count,
                   const int* active_x, const double* active_p, int active_count) {
    pi1_ = std::clamp(pi1, 0.0, 1.0);
    x_.assign_points(others, idle_x, idle_p, idle_count);
    if (!x1_) x1_ = std::make_unique<Binomial>();
    x1_->assign_points(others, active_x, active_p, active_count);
    joint_ = true;
  }

  double pi1() const { return pi1_; }
  bool joint() const { return joint_; }
  // The active others given the first signer active (1) or not (0).
  const Binomial& others(int first_active) const { return joint_ && first_active ? *x1_ : x_; }
  // The most active others any account has.
  int others_hi() const { return joint_ ? std::max(x_.hi(), x1_->hi()) : x_.hi(); }

  double pmf(int a) const { return (1.0 - pi1_) * x_.pmf(a) + pi1_ * others(1).pmf(a - 1); }
  // E[f(a)], E[f(a) 1{first active}], E[f(a) x] with x the active others, each in one pass.
  template <class F>
  double expect(F f) const {
    if (joint_) [[unlikely]] {
      return (1.0 - pi1_) * x_.expect(f) + pi1_ * x1_->expect([&](int x) { return f(x + 1); });
    }
    return x_.expect([&](int x) { return (1.0 - pi1_) * f(x) + pi1_ * f(x + 1); });
  }
  template <class F>
  double expect_first(F f) const {
    return pi1_ * others(1).expect([&](int x) { return f(x + 1); });
  }
  template <class F>
  double expect_others(F f) const {
    if (joint_) [[unlikely]] {
      return (1.0 - pi1_) * x_.expect([&](int x) { return f(x) * x; }) +
             pi1_ * x1_->expect([&](int x) { return f(x + 1) * x; });
    }
    return x_.expect([&](int x) { return ((1.0 - pi1_) * f(x) + pi1_ * f(x + 1)) * x; });
  }
  // Calls visit(x, p, p0, p1) for each number x of active others: the probability of x and the
  // first signer not active is p p0, active p p1 (for several expectations in one pass).
  template <class Visit>
  void visit_others(Visit visit) const {
    if (!joint_) [[likely]] {
      const double p1 = pi1_, p0 = 1.0 - p1;
      const double* p = x_.probabilities();
      const int lo = x_.lo(), hi = x_.hi();
      for (int x = lo; x <= hi; ++x) visit(x, p[x - lo], p0, p1);
      return;
    }
    // The two laws' counts merged in increasing order.
    const Binomial& y = *x1_;
    const int na = x_.entries(), nb = y.entries();
    int i = 0, j = 0;
    while (i < na || j < nb) {
      const int x = j == nb || (i < na && x_.count(i) < y.count(j)) ? x_.count(i) : y.count(j);
      const double p0 = i < na && x_.count(i) == x ? x_.prob(i++) : 0.0;
      const double p1 = j < nb && y.count(j) == x ? y.prob(j++) : 0.0;
      if (p0 > 0.0 || p1 > 0.0) visit(x, 1.0, (1.0 - pi1_) * p0, pi1_ * p1);
    }
  }

 private:
  double pi1_ = 0.0;
  Binomial x_;
  std::unique_ptr<Binomial> x1_;  // only under teammate invites (kept apart: a small head count)
  bool joint_ = false;
};

}  // namespace flywheel::meanfield
