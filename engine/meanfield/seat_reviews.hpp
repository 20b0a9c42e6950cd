// Seat reviews in the twin: an account's seats follow its head count at reviews, the seats
// added and removed a month from the head count's moves between reviews (account_flows.cpp).
#pragma once

#include <algorithm>
#include <cmath>

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

inline SeatEvents seat_movements(double up, double down, double review) {
  if (!(up + down > 0.0) || !(review > 0.0)) return {};
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

}  // namespace flywheel::meanfield
