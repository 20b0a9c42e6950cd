// Team effects in the twin (model.md "Team effects"): an active user's adoption and churn
// multipliers by the share of its teammates who are active, averaged over the head-count
// closure (people_flows.cpp applies them; docs/mean_field.md "People").
#pragma once

#include "binomial.hpp"
#include "twin.hpp"

namespace flywheel::meanfield {

// The team-effect multipliers of an active user's adoption and churn in an account of n people:
// the agent model's rules by the share of active teammates in quarters, averaged over the
// number of active teammates.
struct TeamEffect {
  double adoption = 1.0, churn = 1.0;
};

// An active first signer: its n - 1 teammates are the others, Binomial(n - 1, pi2).
TeamEffect first_signer_effect(const MonthRates& r, const Binomial& others);
// An active other person: its teammates are the first signer (active with pi1) and n - 2
// others.
TeamEffect other_effect(const MonthRates& r, const Binomial& others, double pi1);

}  // namespace flywheel::meanfield
