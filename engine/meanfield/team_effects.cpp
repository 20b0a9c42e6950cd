// Team effects: the quarter of active teammates averaged over the head-count closure
// (team_effects.hpp).
#include "team_effects.hpp"

#include <algorithm>

namespace flywheel::meanfield {

void team_multipliers(const MonthRates& r, int mates, double* adoption, double* churn) {
  for (int a = 0; a <= mates; ++a) {
    // The quarter floor(4 a / mates + 1/2), rounded half up, at most 4.
    const int q = mates > 0 ? std::min(4, (8 * a + mates) / (2 * mates)) : 0;
    const double share = q / 4.0;
    adoption[a] = 1.0 + r.team_adoption_lift * share;
    churn[a] = std::max(0.0, 1.0 - r.team_churn_reduction * share);
  }
}

TeamEffects team_effects(const Binomial& others, double pi1, const double* adoption,
                         const double* churn) {
  // The first signer's teammates are x active others; an active other is one of x active others
  // (the size-biased law x pmf(x) / mean), its active teammates x - 1 others and the first
  // signer if active (pmf_{n-2}(j) = (j + 1) pmf_{n-1}(j + 1) / ((n - 1) pi2): the block's head
  // count serves without a second law).
  const double* p = others.probabilities();
  const int lo = others.lo(), hi = others.hi();
  double first_adoption = 0.0, first_churn = 0.0, mean = 0.0;
  double with_adoption = 0.0, with_churn = 0.0, alone_adoption = 0.0, alone_churn = 0.0;
  // One pass, x = 0 apart (it has no x - 1): the seven sums are independent chains of
  // additions, each still taken in the order of x, which the processor overlaps where two
  // passes left each pass waiting on its additions' latency.
  auto first_terms = [&](int x) {
    const double px = p[x - lo], weighted = x * px;
    first_adoption += px * adoption[x];
    first_churn += px * churn[x];
    mean += weighted;
    with_adoption += weighted * adoption[x];
    with_churn += weighted * churn[x];
    return weighted;
  };
  if (lo == 0) first_terms(0);
  for (int x = std::max(lo, 1); x <= hi; ++x) {
    const double weighted = first_terms(x);
    alone_adoption += weighted * adoption[x - 1];
    alone_churn += weighted * churn[x - 1];
  }
  TeamEffects e;
  e.first = {first_adoption, first_churn};
  if (!(mean > 0.0)) {  // no active other: the teammates' actives are the first signer
    e.other = {(1.0 - pi1) * adoption[0] + pi1 * adoption[1],
               (1.0 - pi1) * churn[0] + pi1 * churn[1]};
  } else {
    e.other = {(1.0 - pi1) / mean * alone_adoption + pi1 / mean * with_adoption,
               (1.0 - pi1) / mean * alone_churn + pi1 / mean * with_churn};
  }
  return e;
}

TeamEffects team_effects(const HeadCount& head, const double* adoption, const double* churn) {
  const Binomial& idle = head.others(0);
  const Binomial& busy = head.others(1);
  const double pi1 = head.pi1();
  TeamEffects e;
  e.first = {busy.expect([&](int x) { return adoption[x]; }),
             busy.expect([&](int x) { return churn[x]; })};
  // x active others of which this person is one: x - 1 active other teammates, + the signer.
  const double mean = (1.0 - pi1) * idle.mean() + pi1 * busy.mean();
  if (!(mean > 0.0)) {  // no active other: the teammates' actives are the first signer
    e.other = {(1.0 - pi1) * adoption[0] + pi1 * adoption[1],
               (1.0 - pi1) * churn[0] + pi1 * churn[1]};
    return e;
  }
  double alone_adoption = 0.0, alone_churn = 0.0, with_adoption = 0.0, with_churn = 0.0;
  idle.visit([&](int x, double p) {
    if (x < 1) return;
    alone_adoption += x * p * adoption[x - 1];
    alone_churn += x * p * churn[x - 1];
  });
  busy.visit([&](int x, double p) {
    with_adoption += x * p * adoption[x];
    with_churn += x * p * churn[x];
  });
  e.other = {(1.0 - pi1) / mean * alone_adoption + pi1 / mean * with_adoption,
             (1.0 - pi1) / mean * alone_churn + pi1 / mean * with_churn};
  return e;
}

}  // namespace flywheel::meanfield
