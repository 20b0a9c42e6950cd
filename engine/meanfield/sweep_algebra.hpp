// An odeint algebra for the twin's state (a std::vector<double>): the same element-wise
// operations as odeint's range_algebra, as loops over plain pointers that the compiler
// vectorises, also built for AVX2 (lanes.hpp). Each element is computed by odeint's own
// operation (scale_sum, rel_error), each term rounded alike, so the numbers are range_algebra's
// whatever the machine; the stepper's passes were SSE2 at best, behind checks for aliasing.
#pragma once

#include "lanes.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace flywheel::meanfield {

// op(out[i], in[i]...) for i < n. An operation only ever reads and writes element i, so an
// output that is also an input (odeint's in-place error) carries nothing between iterations.
template <class Op, class... In>
FLYWHEEL_SWEEP void sweep_each(std::size_t n, Op op, double* out, const In*... in) {
#pragma GCC ivdep
  for (std::size_t i = 0; i < n; ++i) op(out[i], in[i]...);
}

// max(|x[i]|) as odeint's norm_inf (from 0; a NaN is skipped as std::max skips it there), in
// four lanes: the maximum does not depend on the order it is taken in.
FLYWHEEL_SWEEP inline double sweep_norm_inf(const double* x, std::size_t n) {
  double m0 = 0.0, m1 = 0.0, m2 = 0.0, m3 = 0.0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    m0 = std::max(m0, std::abs(x[i]));
    m1 = std::max(m1, std::abs(x[i + 1]));
    m2 = std::max(m2, std::abs(x[i + 2]));
    m3 = std::max(m3, std::abs(x[i + 3]));
  }
  for (; i < n; ++i) m0 = std::max(m0, std::abs(x[i]));
  return std::max(std::max(m0, m1), std::max(m2, m3));
}

// The stepper's error, as odeint's default_error_checker takes it: the maximum over i of
// |err[i]| / (eps_abs + eps_rel (a_x max(|x[i]|, |end[i]|) + a_dxdt |dxdt[i]|)), each term
// computed as odeint's rel_error computes it (with the entry's size at the step's end too) and
// their maximum taken as sweep_norm_inf takes it, in one pass (odeint writes the terms over the
// error estimate, then reads them back for the maximum).
// Four entries at a time in GCC's vector types, which the default build computes in two halves:
// the loop does not vectorise otherwise (a maximum and a division per entry).
FLYWHEEL_SWEEP inline double sweep_error_max(std::size_t n, const double* err, const double* x,
                                             const double* end, const double* dxdt,
                                             double eps_abs, double eps_rel, double a_x,
                                             double a_dxdt) {
  using V = double __attribute__((vector_size(32)));
  using Bits = long long __attribute__((vector_size(32)));
  constexpr long long kMagnitude = 0x7fffffffffffffffLL;
  const Bits magnitude = {kMagnitude, kMagnitude, kMagnitude, kMagnitude};
  V m = {0.0, 0.0, 0.0, 0.0};
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    // No helpers taking or returning a V: without AVX that would change their calling convention.
    Bits e, a, b, d;
    __builtin_memcpy(&e, err + i, sizeof e);
    __builtin_memcpy(&a, x + i, sizeof a);
    __builtin_memcpy(&b, end + i, sizeof b);
    __builtin_memcpy(&d, dxdt + i, sizeof d);
    e &= magnitude;  // |entry|, as std::abs
    a &= magnitude;
    b &= magnitude;
    d &= magnitude;
    const V size = reinterpret_cast<V>(a) < reinterpret_cast<V>(b) ? reinterpret_cast<V>(b)
                                                                   : reinterpret_cast<V>(a);
    V term = reinterpret_cast<V>(e) /
             (eps_abs + eps_rel * (a_x * size + a_dxdt * reinterpret_cast<V>(d)));
    term = reinterpret_cast<V>(reinterpret_cast<Bits>(term) & magnitude);
    m = m < term ? term : m;  // std::max(m, term) in each lane: a NaN is skipped
  }
  double m0 = m[0];
  for (; i < n; ++i) {
    m0 = std::max(m0, std::abs(std::abs(err[i]) /
                               (eps_abs + eps_rel * (a_x * std::max(std::abs(x[i]),
                                                                    std::abs(end[i])) +
                                                     a_dxdt * std::abs(dxdt[i])))));
  }
  return std::max(std::max(m0, m[1]), std::max(m[2], m[3]));
}

struct SweepAlgebra {
  template <class S1, class... S, class Op>
  static void each(S1& s1, Op op, const S&... s) {
    sweep_each(s1.size(), op, s1.data(), s.data()...);
  }
  template <class S1, class S2, class Op>
  static void for_each2(S1& s1, const S2& s2, Op op) { each(s1, op, s2); }
  template <class S1, class S2, class S3, class Op>
  static void for_each3(S1& s1, const S2& s2, const S3& s3, Op op) { each(s1, op, s2, s3); }
  template <class S1, class S2, class S3, class S4, class Op>
  static void for_each4(S1& s1, const S2& s2, const S3& s3, const S4& s4, Op op) {
    each(s1, op, s2, s3, s4);
  }
  template <class S1, class S2, class S3, class S4, class S5, class Op>
  static void for_each5(S1& s1, const S2& s2, const S3& s3, const S4& s4, const S5& s5, Op op) {
    each(s1, op, s2, s3, s4, s5);
  }
  template <class S1, class S2, class S3, class S4, class S5, class S6, class Op>
  static void for_each6(S1& s1, const S2& s2, const S3& s3, const S4& s4, const S5& s5,
                        const S6& s6, Op op) {
    each(s1, op, s2, s3, s4, s5, s6);
  }
  template <class S1, class S2, class S3, class S4, class S5, class S6, class S7, class Op>
  static void for_each7(S1& s1, const S2& s2, const S3& s3, const S4& s4, const S5& s5,
                        const S6& s6, const S7& s7, Op op) {
    each(s1, op, s2, s3, s4, s5, s6, s7);
  }
  template <class S1, class S2, class S3, class S4, class S5, class S6, class S7, class S8,
            class Op>
  static void for_each8(S1& s1, const S2& s2, const S3& s3, const S4& s4, const S5& s5,
                        const S6& s6, const S7& s7, const S8& s8, Op op) {
    each(s1, op, s2, s3, s4, s5, s6, s7, s8);
  }
  template <class S>
  static double norm_inf(const S& s) {
    return sweep_norm_inf(s.data(), s.size());
  }
};

}  // namespace flywheel::meanfield
