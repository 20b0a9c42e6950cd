#include "contracts.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::model {

namespace {

// Top-down rollout: people not yet active become beginners (they start using the product the
// account bought); the account phase may write its own people's stages.
// Onboarding fills the seats bought: people are taken in order until the active users number
// the contract seats (a rollout staffs the licences it paid for, no more).
void onboard(const Model& model, std::uint64_t onboarding, People& people, std::uint32_t first,
             std::uint32_t last, int step, int seats, AccountTally& tally) {
  int active = 0;
  for (std::uint32_t p = first; p < last; ++p) active += is_active(people.stage[p]) ? 1 : 0;
  for (std::uint32_t p = first; p < last && active < seats; ++p) {
    const Stage s = people.stage[p];
    if (is_active(s)) continue;
    if (model.streams.words(p, static_cast<std::uint32_t>(step), Decision::onboarding)[0] >=
        onboarding) {
      continue;
    }
    people.stage[p] = Stage::beginner;
    people.flags[p] |= kEverActivated;
    if (s == Stage::unaware || s == Stage::aware) people.channel[p] = Channel::sales;
    --tally.stage_change[static_cast<int>(s)];
    ++tally.stage_change[static_cast<int>(Stage::beginner)];
    ++tally.onboarded_users;
    ++active;
  }
}

// Seats a ramped contract bills `elapsed` steps into its first term: from ramp_start_share of the
// contract seats in its first month, linearly to all of them after ramp_months (whole months).
int ramp_seats(const Model& model, const Accounts& acc, std::uint32_t a, int elapsed) {
  const int contract = acc.contract_seats[a];
  if (model.ramp_months <= 0) return contract;
  const double months = std::floor(elapsed * model.time.step_months() + 1e-9);
  const double start = model.deals[acc.segment[a]].ramp_start_share;
  const double share = start + (1.0 - start) * std::min(1.0, months / model.ramp_months);
  return std::clamp(static_cast<int>(std::lround(share * contract)), 1, contract);
}

}  // namespace

void start_contract(const Model& model, std::uint64_t onboarding, ReplicateState& state,
                    std::uint32_t a, int step, AccountTally& tally) {
  Accounts& acc = state.accounts;
  const std::uint32_t first = acc.first_person[a], last = acc.first_person[a + 1];
  const double share = model.deals[acc.segment[a]].seat_share;
  acc.plan[a] = Plan::paid;
  acc.tier[a] = 0;
  acc.flags[a] = static_cast<std::uint8_t>((acc.flags[a] | kContracted) & ~kPqlDeal);
  acc.contract_seats[a] =
      std::max(1, static_cast<int>(std::lround(share * static_cast<double>(last - first))));
  acc.contract_end_step[a] = step + model.contract_term_steps;
  acc.origin[a] = static_cast<std::uint8_t>(Channel::sales);
  acc.sales_stage[a] = SalesStage::customer;
  const int billed = ramp_seats(model, acc, a, 0);
  if (billed < acc.contract_seats[a]) acc.flags[a] |= kRamping;
  acc.seats[a] = billed;  // what the conversion bills (start_paying)
  onboard(model, onboarding, state.people, first, last, step, billed, tally);
}

void bill_contract(const Model& model, std::uint64_t onboarding, ReplicateState& state,
                   std::uint32_t a, int step, int active, AccountTally& tally) {
  Accounts& acc = state.accounts;
  if (step < acc.contract_end_step[a]) {  // in term: no cancellation, the contract's seats
    const int elapsed = step - (acc.contract_end_step[a] - model.contract_term_steps);
    if (acc.flags[a] & kRamping) {  // a ramped deal: the next wave of seats and its rollout
      const int billed = ramp_seats(model, acc, a, elapsed);
      if (billed > acc.seats[a]) {
        onboard(model, onboarding, state.people, acc.first_person[a], acc.first_person[a + 1], step,
                billed, tally);
      }
      if (billed >= acc.contract_seats[a]) acc.flags[a] &= static_cast<std::uint8_t>(~kRamping);
      acc.seats[a] = billed;
      return;
    }
    // A true-up every true_up_steps of the term adds the seats used beyond the contract.
    if (model.true_up_steps > 0 && elapsed > 0 && elapsed % model.true_up_steps == 0 &&
        active > acc.contract_seats[a]) {
      acc.contract_seats[a] = active;
      ++tally.contract_true_ups;
    }
    acc.seats[a] = acc.contract_seats[a];
    return;
  }
  acc.flags[a] &= static_cast<std::uint8_t>(~kRamping);
  const bool renews = active > 0 && model.streams.words(a, static_cast<std::uint32_t>(step),
                                                        Decision::contract)[0] <
                                        model.deals[acc.segment[a]].renewal;
  if (renews) {
    acc.contract_seats[a] = std::max(1, active);  // true-up to usage
    acc.contract_end_step[a] += model.contract_term_steps;
    acc.seats[a] = acc.contract_seats[a];
    ++tally.contracts_renewed;
    return;
  }
  acc.plan[a] = Plan::cancelled;
  acc.seats[a] = 0;
  acc.flags[a] = static_cast<std::uint8_t>(acc.flags[a] & ~kContracted);
  acc.sales_stage[a] = SalesStage::cooling;
  acc.sales_due_step[a] = step + model.recycle_steps;
  ++tally.contracts_lapsed;
}

}  // namespace flywheel::model
