// Sales contracts (strategy.slg): a won account signs for contract seats =
// max(1, round(contract_seat_share x its people)) at list price x contract_price_multiplier,
// for contract_term_months. During the term it bills its contract seats and cannot cancel;
// every true_up_months of the term (if > 0) active users above the contract seats are added to
// the contract (expansion). At term end it renews with probability renewal_rate if it has an
// active user, its seats trued up to max(1, active users), else it cancels. On the win people
// of the account not yet active are onboarded top-down as beginners, each with probability
// onboarding_share, in person order until the active users fill the contract seats.
// A ramped deal (strategy.slg.ramp_months > 0, sales.ramp_start_share < 1) bills
// max(1, round(s x contract seats)) in its first term, s = start + (1 - start) x
// min(1, whole months since the win / ramp_months): each rise onboards people into the new
// seats (a phased rollout) and is booked as expansion; the ramp ends with the first term.
#pragma once

#include "accounts.hpp"
#include "model.hpp"
#include "model_state.hpp"

#include <cstdint>

namespace flywheel::model {

// MRR of one account in cents: seats x its seat price (contract or list x tier).
inline std::int64_t account_mrr(const Model& model, const Accounts& acc, std::uint32_t a) {
  if (acc.plan[a] != Plan::paid) return 0;
  const std::int64_t price = (acc.flags[a] & kContracted)
                                 ? model.deals[acc.segment[a]].contract_price_cents
                                 : model.seat_price(acc.segment[a], acc.tier[a]);
  return acc.seats[a] * price;
}

// A won deal: the contract starts this step and the account's people are onboarded.
void start_contract(const Model& model, std::uint64_t onboarding, ReplicateState& state,
                    std::uint32_t a, int step, AccountTally& tally);

// A contracted paying account's billing this step: the term's seats (the next wave of a ramped
// deal, onboarded like the first), or the renewal decision.
void bill_contract(const Model& model, std::uint64_t onboarding, ReplicateState& state,
                   std::uint32_t a, int step, int active, AccountTally& tally);

}  // namespace flywheel::model
