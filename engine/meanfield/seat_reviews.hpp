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
// (their difference is up - down; at once they are up and down).
struct SeatEvents {
  double up = 0.0, down = 0.0;  // seats added and removed a month, per account
};

inline SeatEvents seat_movements(double up, double down, double review) {
  const double total = up + down + review;
  if (!(up + down > 0.0) || !(review > 0.0)) return {};
  const double p = up / total, q = down / total, s = review / total;
  const double root = std::sqrt(std::max(0.0, 1.0 - 4.0 * p * q));
  const double c = s / root, rho = 2.0 * p / (1.0 + root), sigma = 2.0 * q / (1.0 + root);
  return {review * c * rho / ((1.0 - rho) * (1.0 - rho)),
          review * c * sigma / ((1.0 - sigma) * (1.0 - sigma))};
}

}  // namespace flywheel::meanfield
