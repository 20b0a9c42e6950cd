// Reference phase 3, the account pass (docs/model.md, "One step", 3): every account in order,
// whether or not anyone in it is engaged, with its headcount taken afresh. Trials, plan tiers,
// contracts, the sales funnel and teammate invites have no fast path and are the engine's own.
#include "reference_step.hpp"

#include "model/community_programs.hpp"
#include "model/contracts.hpp"
#include "model/plan_tiers.hpp"
#include "model/sales.hpp"
#include "model/teammates.hpp"
#include "model/trial.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace flywheel::reference {

using model::Accounts;
using model::AccountTally;
using model::People;
using model::Plan;
using model::ReplicateState;

namespace {

// The per-month hazards of the self-serve decisions of this month.
struct SelfServe {
  bool on = false;           // a free tier (strategy.plg)
  double pql = 0, free = 0;  // conversion hazards of PQLs and of other accounts
  double trust = 1;          // their multiplier with a community user (trust)
  double play = 1;           // their multiplier with a play member among the active users
  int pql_min_active = 1;
  int min_seats = 1;
  double dt = 0;
  // seat policy of a paying account: buy missing seats, remove unused ones (per month)
  double seat_add = 1, seat_removal = 1;
};

// A probability per month over a whole step or half of one.
std::uint64_t per_step(double p_per_month, double months) {
  return probability_threshold(step_probability(p_per_month, months));
}

SelfServe self_serve_rules(const model::Model& model, int month) {
  const PlgSpec& plg = model.scenario.strategy.plg;
  SelfServe r;
  r.dt = model.time.step_months();
  r.on = plg.enabled && plg.free_tier;
  r.pql_min_active = plg.pql_min_active_users;
  r.min_seats = plg.min_seats;
  if (plg.enabled) {
    r.seat_add = plg.seat_add_per_month.at(month);
    r.seat_removal = plg.seat_removal_per_month.at(month);
  }
  if (!r.on) return r;
  r.pql = rate_from_monthly_probability(plg.pql_conversion_per_month.at(month));
  r.free = rate_from_monthly_probability(plg.free_conversion_per_month.at(month));
  r.trust = model::trust_conversion_multiplier(model.scenario.strategy.clg);
  r.play = model::play_conversion_multiplier(model.scenario.strategy.clg);
  return r;
}

// The conversion hazard of an account with these active users (0 without one).
double conversion_rate(const SelfServe& r, int active, bool trusted, bool play) {
  double rate = active >= r.pql_min_active ? r.pql : active > 0 ? r.free : 0.0;
  if (trusted) rate *= r.trust;
  if (play) rate *= r.play;
  return rate;
}

struct Headcount {
  int active = 0;          // beginners, regulars, champions
  int engaged = 0;         // evaluators and active users
  int new_signups = 0;     // evaluators who signed up this step
  bool community = false;  // an active user came through the community or is an active member
  bool play = false;       // an active user is a play member
};

Headcount count(const People& people, std::uint32_t first, std::uint32_t last, int step) {
  Headcount h;
  for (std::uint32_t p = first; p < last; ++p) {
    const Stage s = people.stage[p];
    h.engaged += s == Stage::evaluator || is_active(s) ? 1 : 0;
    h.new_signups += s == Stage::evaluator && people.signup_step[p] == step ? 1 : 0;
    if (!is_active(s)) continue;
    ++h.active;
    h.community |=
        people.channel[p] == Channel::community || (people.flags[p] & model::kActiveMember) != 0;
    h.play |= people.community[p] != 0 &&
              model::member_byte::motive(people.community[p]) == Motive::play;
  }
  return h;
}

// Where a new paying account came from: the channel of its earliest-signed-up active user (read
// at the conversion, after any onboarding of a won deal).
Channel origin(const People& people, std::uint32_t first, std::uint32_t last) {
  Channel channel = Channel::initial;
  std::int32_t earliest = std::numeric_limits<std::int32_t>::max();
  for (std::uint32_t p = first; p < last; ++p) {
    if (is_active(people.stage[p]) && people.signup_step[p] < earliest) {
      earliest = people.signup_step[p];
      channel = people.channel[p];
    }
  }
  return channel;
}

std::uint32_t account_draw(const model::Model& model, std::uint32_t a, int step, int word) {
  return model.streams.words(a, static_cast<std::uint32_t>(step), Decision::account_event)[word];
}

// A paying account: a contract's billing, or cancellation, tier moves and seats. A step is two
// halves: the active users are `start` in the first (a move falls at the step's middle) and
// `active` in the second; each half decides over half a step.
void bill(const model::Model& model, const SelfServe& r, const model::TierRules& tiers,
          std::uint64_t onboarding, ReplicateState& state, std::uint32_t a, int step, int active,
          int start, AccountTally& t) {
  Accounts& acc = state.accounts;
  if (acc.flags[a] & model::kContracted) {
    return model::bill_contract(model, onboarding, state, a, step, active, t);
  }
  const auto seat_draw = [&](int word) {
    return model.streams.words(a, static_cast<std::uint32_t>(step), Decision::seats)[word];
  };
  const std::uint64_t add = per_step(r.seat_add, r.dt / 2);
  const std::uint64_t removal = per_step(r.seat_removal, r.dt / 2);
  // A half with no active user: the team cancels when it removes its unused seats (words 1, 3).
  const bool abandoned =
      (start == 0 && seat_draw(1) < removal) || (active == 0 && seat_draw(3) < removal);
  if (abandoned || account_draw(model, a, step, 0) < model.cancel_threshold[acc.segment[a]]) {
    acc.plan[a] = Plan::cancelled;
    acc.seats[a] = 0;
    return;
  }
  const std::uint8_t tier = model::step_tier(model, tiers, a, step, acc.tier[a]);
  t.tier_upgrades += tier > acc.tier[a] ? 1 : 0;
  t.tier_downgrades += tier < acc.tier[a] ? 1 : 0;
  acc.tier[a] = tier;
  // Seats are a stock: in each half the missing ones bought (words 0, 2), the unused ones
  // removed (words 1, 3).
  for (const auto& [target, word] :
       {std::pair{std::max(r.min_seats, start), 0}, std::pair{std::max(r.min_seats, active), 2}}) {
    const int seats = acc.seats[a];
    if (target > seats && seat_draw(word) < add) acc.seats[a] = target;
    if (target < seats && seat_draw(word + 1) < removal) acc.seats[a] = target;
  }
}

// A free or cancelled account on the free tier: the PQL rule, then self-serve conversion
// (not while the account is the reps' to convert), over the first half of the step at the
// hazard of its start's state (`start` active users, word 1) and over the second at the hazard
// of its end's (word 2): a change falls, on average, at the step's middle. Returns the half
// it converted in, or 0.
int self_serve(const model::Model& model, const SelfServe& r, Accounts& acc, std::uint32_t a,
               int step, const Headcount& h, int start, AccountTally& t) {
  const bool pql = h.active >= r.pql_min_active;
  if (pql && !acc.pql[a]) ++t.new_pqls;
  acc.pql[a] = pql;
  if (model::in_pipeline(acc, a)) return 0;
  auto half = [&](double rate) {
    return rate > 0.0 ? probability_threshold(-std::expm1(-rate * (r.dt / 2))) : 0;
  };
  const std::uint64_t first = half(conversion_rate(r, start, h.community, h.play));
  const std::uint64_t second = half(conversion_rate(r, h.active, h.community, h.play));
  const int in = account_draw(model, a, step, 1) < first    ? 1
                 : account_draw(model, a, step, 2) < second ? 2
                                                            : 0;
  if (in != 0) acc.plan[a] = Plan::paid;
  return in;
}

// MRR before and after -> new, reactivation, churned, expansion or contraction.
void book(std::int64_t before, std::int64_t after, Plan plan_before, std::uint8_t channel,
          AccountTally& t) {
  if (after == before) return;
  if (before == 0) {
    const bool back = plan_before == Plan::cancelled;
    (back ? t.mrr_reactivation_cents : t.mrr_new_cents) += after;
    ++(back ? t.accounts_reactivated : t.accounts_new);
    if (!back) ++t.new_by_channel[channel];
  } else if (after == 0) {
    t.mrr_churned_cents += before;
    ++t.accounts_churned;
  } else if (after > before) {
    t.mrr_expansion_cents += after - before;
  } else {
    t.mrr_contraction_cents += before - after;
  }
}

void revoke_access(People& people, std::uint32_t first, std::uint32_t last, AccountTally& t) {
  for (std::uint32_t p = first; p < last; ++p) {
    const Stage s = people.stage[p];
    if (!is_active(s)) continue;
    people.stage[p] = Stage::churned;
    --t.stage_change[static_cast<int>(s)];
    ++t.stage_change[static_cast<int>(Stage::churned)];
    ++t.access_lost_users;
  }
}

struct Rules {
  SelfServe self;
  model::TrialRules trial;
  model::TierRules tiers;
  model::SalesRules sales;
};

void count_trial(model::TrialEvent e, AccountTally& t) {
  t.trials_started += e == model::TrialEvent::started ? 1 : 0;
  t.trials_converted += e == model::TrialEvent::converted ? 1 : 0;
  t.trials_expired += e == model::TrialEvent::expired ? 1 : 0;
}

void advance_account(const model::Model& model, const Rules& r, ReplicateState& state,
                     std::uint32_t a, int step, AccountTally& t) {
  Accounts& acc = state.accounts;
  const std::uint32_t first = acc.first_person[a], last = acc.first_person[a + 1];
  const Headcount h = count(state.people, first, last, step);
  // The active users at the step's start were counted at the previous accounts phase.
  const int start = acc.active_users.empty() ? h.active : static_cast<int>(acc.active_users[a]);
  if (!acc.active_users.empty()) acc.active_users[a] = static_cast<std::uint32_t>(h.active);
  const Plan before = acc.plan[a];
  const std::int64_t mrr_before = model::account_mrr(model, acc, a);
  const bool won = r.sales.on &&
                   model::advance_sales_account(model, r.sales, state, a, step, {h.new_signups}, t);
  if (h.engaged > 0 && !(acc.flags[a] & model::kSignedUp)) {
    acc.flags[a] |= model::kSignedUp;
    ++t.first_signups;
  }
  count_trial(model::step_trial(model, r.trial, acc, a, step, h.engaged, h.active), t);
  int converted_in = 0;
  if (before == Plan::paid) {
    bill(model, r.self, r.tiers, r.sales.onboarding, state, a, step, h.active, start, t);
  } else if (r.self.on && !won && before != Plan::trial && acc.plan[a] != Plan::trial) {
    converted_in = self_serve(model, r.self, acc, a, step, h, start, t);
  }
  if (acc.plan[a] == Plan::paid && before != Plan::paid) {  // a conversion: first tier
    acc.pql[a] = 0;
    acc.tier[a] = 0;
    const bool contract = acc.flags[a] & model::kContracted;
    // Converted in the first half: seats for its start's users, then the second half's decision
    // (words 2 and 3 of the seat draws).
    const int users = converted_in == 1 ? start : h.active;
    acc.seats[a] = contract ? acc.seats[a] : std::max(r.self.min_seats, users);
    if (converted_in == 1) {
      const int target = std::max(r.self.min_seats, h.active), seats = acc.seats[a];
      const auto seat_draw = [&](int word) {
        return model.streams.words(a, static_cast<std::uint32_t>(step), Decision::seats)[word];
      };
      if (target > seats && seat_draw(2) < per_step(r.self.seat_add, r.self.dt / 2)) {
        acc.seats[a] = target;
      }
      if (target < seats && seat_draw(3) < per_step(r.self.seat_removal, r.self.dt / 2)) {
        acc.seats[a] = target;
      }
    }
    if (acc.origin[a] == model::kNoOrigin) {
      acc.origin[a] = static_cast<std::uint8_t>(origin(state.people, first, last));
    }
  }
  const Plan plan = acc.plan[a];
  const bool access = plan == Plan::paid || plan == Plan::trial || r.self.on;
  if (!access) revoke_access(state.people, first, last, t);
  if (access) {  // no fast path; the active users at the step's middle
    model::invite_teammates(model, state, a, step, 0.5 * (start + h.active), t);
  }
  const std::int64_t mrr_after = model::account_mrr(model, acc, a);
  book(mrr_before, mrr_after, before, acc.origin[a], t);
  t.mrr_end += mrr_after;
  if (plan == Plan::paid) {
    ++t.paying;
  } else if (access && h.active > 0) {
    ++t.free_active;
    t.pqls += acc.pql[a];
  }
}

}  // namespace

void advance_accounts(const model::Model& model, ReplicateState& state, int step, int month,
                      std::vector<AccountTally>& blocks) {
  const Rules rules{self_serve_rules(model, month), model::trial_rules(model),
                    model::tier_rules(model, month), model::sales_rules(model, state, step, month)};
  for (AccountTally& t : blocks) {
    t.paying = t.free_active = t.pqls = t.mrr_end = 0;
    t.deals_closed_step = 0;
    t.stage_change = {};
  }
  AccountTally& tally = blocks.front();  // sums, and new SQLs in account order: one block
  for (std::uint32_t a = 0; a < state.accounts.size(); ++a) {
    advance_account(model, rules, state, a, step, tally);
  }
}

}  // namespace flywheel::reference
