// Team effects: the quarter of active teammates averaged over the head-count closure
// (team_effects.hpp).
#include "team_effects.hpp"

#include <algorithm>
#include <array>

namespace flywheel::meanfield {

namespace {

// The quarter floor(4 a / mates + 1/2) (rounded half up, at most 4) of a active teammates.
int quarter(int a, int mates) { return std::min(4, (8 * a + mates) / (2 * mates)); }

// scale x sum over x of pmf(x) (or x pmf(x) when size_biased), by the quarter of x + shift
// active teammates of `mates`, from the distribution's running sums. Quarter q starts at
// a = ceil((2 q - 1) mates / 8) active teammates.
void add_by_quarter(std::array<double, 5>& out, const Binomial& x, int mates, int shift,
                    double scale, bool size_biased) {
  int from = x.lo();
  for (int q = 0; q <= 4; ++q) {
    const int to = q < 4 ? ((2 * (q + 1) - 1) * mates + 7) / 8 - shift - 1 : x.hi();
    if (to >= from) {
      out[static_cast<std::size_t>(q)] +=
          scale * (size_biased ? x.first_moment(from, to) : x.mass(from, to));
      from = to + 1;
    }
  }
}

TeamEffect effect_of(const MonthRates& r, const std::array<double, 5>& by_quarter) {
  TeamEffect e{0.0, 0.0};
  for (int q = 0; q <= 4; ++q) {
    const double p = by_quarter[static_cast<std::size_t>(q)], share = q / 4.0;
    e.adoption += p * (1.0 + r.team_adoption_lift * share);
    e.churn += p * std::max(0.0, 1.0 - r.team_churn_reduction * share);
  }
  return e;
}

}  // namespace

// An active first signer: its n - 1 teammates are the others, `others` of them active.
TeamEffect first_signer_effect(const MonthRates& r, const Binomial& others) {
  const int mates = others.n();
  std::array<double, 5> by_quarter{};
  add_by_quarter(by_quarter, others, mates, 0, 1.0, false);
  return effect_of(r, by_quarter);
}

// An active other person: its teammates are the first signer (active with pi1) and n - 2
// others, Binomial(n - 2, pi2). That is the size-biased law of the others' Binomial(n - 1, pi2)
// shifted by one (pmf_{n-2}(j) = (j + 1) pmf_{n-1}(j + 1) / ((n - 1) pi2)), so the block's
// head count serves without a second distribution.
TeamEffect other_effect(const MonthRates& r, const Binomial& others, double pi1) {
  const int mates = others.n();
  std::array<double, 5> by_quarter{};
  const double mean = others.mean();
  if (!(mean > 0.0)) {  // no active other: the teammates' actives are the first signer
    by_quarter[static_cast<std::size_t>(quarter(0, mates))] += 1.0 - pi1;
    by_quarter[static_cast<std::size_t>(quarter(1, mates))] += pi1;
    return effect_of(r, by_quarter);
  }
  // x active others of which this person is one: x - 1 active other teammates, + the signer.
  add_by_quarter(by_quarter, others, mates, -1, (1.0 - pi1) / mean, true);
  add_by_quarter(by_quarter, others, mates, 0, pi1 / mean, true);
  return effect_of(r, by_quarter);
}

}  // namespace flywheel::meanfield
