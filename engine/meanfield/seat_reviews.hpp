// Seat reviews in the twin: an account's seats follow its head count at reviews, the seats
// added and removed a month from the head count's moves between reviews (account_flows.cpp).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

#include "lanes.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace flywheel::meanfield {

// The block's seat movements a month, from its accounts' head counts changing one person at a
// time (seats.cpp): an account's seats follow max(min_seats, active users) at its reviews, which
// come at rate `review` (at once: one a day). Between two reviews its head count moves up at
// rate `up` and down at rate `down`; a review books the net change since the last one. The net
// N is a walk stopped at an exponential time: P(N = k) = c rho^k for k >= 0 and c sigma^|k| for
// k < 0, c = s / sqrt(1 - 4 p q), rho = 2 p / (1 + sqrt(1 - 4 p q)), sigma = 2 q / (1 + ...),
// with p, q, s the shares of up, down and review in up + down + review. The seats added a month
// are review E[N+] = review c rho / (1 - rho)^2, the seats removed review c sigma / (1 - sigma)^2
// (their difference is up - down; at once they are up and down). With T = up + down + review
// and R = sqrt(T^2 - 4 up down) these are up P^2 / (2 R (T + R)) and down M^2 / (2 R (T + R)),
// P = up - down + review + R, M = down - up + review + R, P M = 2 review (T + R): one square root
// and one division, each factor formed without cancellation (the larger of P and M directly).
struct SeatEvents {
  double up = 0.0, down = 0.0;  // seats added and removed a month, per account
};

// With review > 0 (up = down = 0 gives 0): without branches, so that callers may vectorise.
inline SeatEvents reviewed_movements(double up, double down, double review) {
  const double total = up + down + review;
  const double gap = up - down;
  const double root = std::sqrt(gap * gap + review * (review + 2.0 * (up + down)));
  const double product = 2.0 * review * (total + root);  // P M
  // The larger factor f (P if up >= down, else M), the other product / f:
  // up P^2 / (2 R (T + R)) and down M^2 / (2 R (T + R)) over one denominator f^2 R (T + R).
  const double f = review + root + std::abs(gap);
  const double f2 = f * f;
  const double half = 0.5 / (f2 * root * (total + root));
  const double big = f2 * f2 * half, small = product * product * half;
  return {up * (gap >= 0.0 ? big : small), down * (gap >= 0.0 ? small : big)};
}

// reviewed_movements of two accounts at once (SSE2's two lanes where there are, the same
// numbers either way): the seats added and removed, scaled by weight, summed over the two.
inline SeatEvents reviewed_movements2(std::array<double, 2> up, std::array<double, 2> down,
                                      double review, std::array<double, 2> weight) {
#if defined(__SSE2__)
  // Lanes set from registers: a round trip through memory would stall on store forwarding.
  const __m128d u = _mm_set_pd(up[1], up[0]), d = _mm_set_pd(down[1], down[0]);
  const __m128d w = _mm_set_pd(weight[1], weight[0]);
  const __m128d r = _mm_set1_pd(review);
  const __m128d total = _mm_add_pd(_mm_add_pd(u, d), r);
  const __m128d gap = _mm_sub_pd(u, d);
  const __m128d root = _mm_sqrt_pd(_mm_add_pd(
      _mm_mul_pd(gap, gap),
      _mm_mul_pd(r, _mm_add_pd(r, _mm_mul_pd(_mm_set1_pd(2.0), _mm_add_pd(u, d))))));
  const __m128d sum = _mm_add_pd(total, root);
  const __m128d product = _mm_mul_pd(_mm_mul_pd(_mm_set1_pd(2.0), r), sum);
  const __m128d magnitude = _mm_andnot_pd(_mm_set1_pd(-0.0), gap);
  const __m128d f = _mm_add_pd(_mm_add_pd(r, root), magnitude);
  const __m128d f2 = _mm_mul_pd(f, f);
  const __m128d half = _mm_div_pd(_mm_set1_pd(0.5), _mm_mul_pd(_mm_mul_pd(f2, root), sum));
  const __m128d big = _mm_mul_pd(_mm_mul_pd(f2, f2), half);
  const __m128d small = _mm_mul_pd(_mm_mul_pd(product, product), half);
  const __m128d rising = _mm_cmpge_pd(gap, _mm_setzero_pd());
  const __m128d for_up = _mm_or_pd(_mm_and_pd(rising, big), _mm_andnot_pd(rising, small));
  const __m128d for_down = _mm_or_pd(_mm_and_pd(rising, small), _mm_andnot_pd(rising, big));
  const __m128d added = _mm_mul_pd(w, _mm_mul_pd(u, for_up));
  const __m128d removed = _mm_mul_pd(w, _mm_mul_pd(d, for_down));
  return {_mm_cvtsd_f64(added) + _mm_cvtsd_f64(_mm_unpackhi_pd(added, added)),
          _mm_cvtsd_f64(removed) + _mm_cvtsd_f64(_mm_unpackhi_pd(removed, removed))};
#else
  const SeatEvents a = reviewed_movements(up[0], down[0], review);
  const SeatEvents b = reviewed_movements(up[1], down[1], review);
  return {weight[0] * a.up + weight[1] * b.up, weight[0] * a.down + weight[1] * b.down};
#endif
}

// reviewed_movements of n accounts given side by side, each weighted (the seats added and removed
// to added[i] and removed[i]): the same operations as reviewed_movements2, lane by lane, in a
// loop without a carried sum that the compiler vectorises (also for AVX2: lanes.hpp).
FLYWHEEL_SWEEP inline void reviewed_sweep(std::size_t n, const double* up, const double* down,
                                          const double* weight, double review, double* added,
                                          double* removed) {
#pragma GCC ivdep
  for (std::size_t i = 0; i < n; ++i) {
    const double u = up[i], d = down[i];
    const double total = (u + d) + review;
    const double gap = u - d;
    const double root = std::sqrt(gap * gap + review * (review + 2.0 * (u + d)));
    const double sum = total + root;
    const double product = (2.0 * review) * sum;
    const double f = (review + root) + std::abs(gap);
    const double f2 = f * f;
    const double half = 0.5 / ((f2 * root) * sum);
    const double big = (f2 * f2) * half, small = (product * product) * half;
    const bool rising = gap >= 0.0;
    added[i] = weight[i] * (u * (rising ? big : small));
    removed[i] = weight[i] * (d * (rising ? small : big));
  }
}

inline SeatEvents seat_movements(double up, double down, double review) {
  if (!(up + down > 0.0) || !(review > 0.0)) return {};
  return reviewed_movements(up, down, review);
}

}  // namespace flywheel::meanfield
