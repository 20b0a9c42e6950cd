// Team effects in the twin (model.md "Team effects"): an active user's adoption and churn
// multipliers by the share of its teammates who are active, averaged over the head-count
// closure (people_flows.cpp takes them per block, people_stages.cpp applies them;
// docs/mean_field.md "People").
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

// An account's active first signer and its active others. The first signer's n - 1 teammates
// are the others, `others` = Binomial(n - 1, pi2) of them active; an active other's teammates
// are the first signer (active with pi1) and n - 2 others. `adoption` and `churn` are an active
// user's multipliers with a = 0 .. n - 1 active teammates (team_multipliers).
struct TeamEffects {
  TeamEffect first, other;
};
TeamEffects team_effects(const Binomial& others, double pi1, const double* adoption,
                         const double* churn);
// The same under teammate invites (invite_laws.hpp): the others' laws given the first signer
// not active and active differ, so an active first signer's teammates are the latter's, and an
// active other is one of x active others by the size-biased law of each, weighted by pi1.
TeamEffects team_effects(const HeadCount& head, const double* adoption, const double* churn);

// The multipliers of an active user with a = 0 .. mates active teammates of `mates`, by the
// quarter of them active (the agent model's rule): written to adoption[a] and churn[a].
void team_multipliers(const MonthRates& r, int mates, double* adoption, double* churn);

}  // namespace flywheel::meanfield
