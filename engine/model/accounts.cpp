#include "accounts.hpp"

#include "community_programs.hpp"
#include "contracts.hpp"
#include "plan_tiers.hpp"
#include "sales.hpp"
#include "seats.hpp"
#include "teammates.hpp"
#include "trial.hpp"

#include "kernels/byte_scan.hpp"
#include "kernels/parallel_blocks.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>

namespace flywheel::model {

namespace {

// Self-serve conversion thresholds over half a step by the account's state (0: no active user,
// 1: an active user, 2: a PQL). A step is two halves: a change of state falls, on average, at
// the step's middle, so the state at the step's start holds in the first half and the state at
// its end in the second.
using ConversionTable = std::array<std::uint64_t, 3>;

ConversionTable conversion_table(double free_per_month, double pql_per_month, double trust,
                                 double play, double dt) {
  const std::array<double, 3> rate = {
      0.0, rate_from_monthly_probability(free_per_month) * trust * play,
      rate_from_monthly_probability(pql_per_month) * trust * play};
  ConversionTable t{};
  for (int state = 0; state < 3; ++state) {
    t[state] = rate[state] > 0.0 ? probability_threshold(-std::expm1(-rate[state] * (dt / 2))) : 0;
  }
  return t;
}

// Per-step thresholds and rules of the account decisions of this month.
struct AccountRules {
  bool self_serve = false;  // a free tier with PQLs and self-serve conversion (strategy.plg)
  // [trusted][play]: trust (strategy.clg.trust) for accounts with a community user, the play
  // motive's conversion multiplier for accounts with a play member among their active users
  std::array<std::array<ConversionTable, 2>, 2> conversion{};
  bool trust = false;  // the trusted thresholds differ: headcounts look for community users
  bool play = false;   // the play thresholds differ: headcounts look for play members
  int pql_min_active = 1;
  int min_seats = 1;
  TrialRules trial;
  TierRules tiers;
  SalesRules sales;
  SeatRules seats;
};

AccountRules account_rules(const Model& model, const ReplicateState& state, int step, int month) {
  const PlgSpec& plg = model.scenario.strategy.plg;
  const double dt = model.time.step_months();
  AccountRules rules;
  rules.self_serve = plg.enabled && plg.free_tier;
  if (rules.self_serve) {
    const double free = plg.free_conversion_per_month.at(month);
    const double pql = plg.pql_conversion_per_month.at(month);
    // The trust and play multipliers scale the monthly hazard, so they act the same at any step.
    const double trust = trust_conversion_multiplier(model.scenario.strategy.clg);
    const double play = play_conversion_multiplier(model.scenario.strategy.clg);
    for (int trusted = 0; trusted < 2; ++trusted) {
      for (int with_play = 0; with_play < 2; ++with_play) {
        rules.conversion[trusted][with_play] = conversion_table(
            free, pql, trusted ? trust : 1.0, with_play ? play : 1.0, dt);
      }
    }
    rules.trust = rules.conversion[1][0] != rules.conversion[0][0];
    rules.play = rules.conversion[0][1] != rules.conversion[0][0] ||
                 rules.conversion[1][1] != rules.conversion[1][0];
  }
  rules.pql_min_active = plg.pql_min_active_users;
  rules.min_seats = plg.min_seats;
  rules.trial = trial_rules(model);
  rules.tiers = tier_rules(model, month);
  rules.sales = sales_rules(model, state, step, month);
  rules.seats = seat_rules(model, month);
  return rules;
}

bool has_access(Plan plan, bool free_tier) {
  return plan == Plan::paid || plan == Plan::trial || free_tier;
}

// People of one account by where they are in the flywheel.
struct Headcount {
  int active = 0;          // beginners, regulars, champions
  int engaged = 0;         // active + evaluators: people who signed up and are still around
  bool community = false;  // an active user came through the community or is an active member
  bool play = false;       // an active user is a play member
  int new_signups = 0;     // signed up this step (counted only when sales are on)
};

// Stage counts branch-free (stages are mixed, branches on them mispredict); the rarer reads
// (signup steps of evaluators, channels and flags of active users) only where needed.
Headcount count_people(const AccountRules& rules, const People& people, std::uint32_t first,
                       std::uint32_t last, int step) {
  static_assert(int(Stage::beginner) == int(Stage::evaluator) + 1 &&
                int(Stage::champion) == int(Stage::beginner) + 2);
  const Stage* stage = people.stage.data();
  Headcount h;
  for (std::uint32_t p = first; p < last; ++p) {
    const auto s = static_cast<unsigned>(stage[p]);
    h.engaged += s - unsigned(Stage::evaluator) <= 3u ? 1 : 0;
    h.active += s - unsigned(Stage::beginner) <= 2u ? 1 : 0;
  }
  if (rules.sales.on && h.engaged > h.active) {  // a signup of this step is an evaluator still
    for (std::uint32_t p = first; p < last; ++p) {
      h.new_signups += stage[p] == Stage::evaluator && people.signup_step[p] == step ? 1 : 0;
    }
  }
  if (rules.trust && h.active > 0) {
    for (std::uint32_t p = first; p < last && !h.community; ++p) {
      h.community = is_active(stage[p]) &&
                    (people.channel[p] == Channel::community || (people.flags[p] & kActiveMember));
    }
  }
  if (rules.play && h.active > 0) {
    for (std::uint32_t p = first; p < last && !h.play; ++p) {
      const std::uint8_t c = people.community[p];
      h.play = is_active(stage[p]) && c != 0 && member_byte::motive(c) == Motive::play;
    }
  }
  return h;
}

// The channel of the account's earliest signup among its active users: where it came from.
Channel first_channel(const People& people, std::uint32_t first, std::uint32_t last) {
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

// Without access the account's active users cannot use the product: they churn.
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

void book_movement(std::int64_t before, std::int64_t after, Plan plan_before, AccountTally& t) {
  if (before == 0 && after > 0) {
    if (plan_before == Plan::cancelled) {
      t.mrr_reactivation_cents += after;
      ++t.accounts_reactivated;
    } else {
      t.mrr_new_cents += after;
      ++t.accounts_new;
    }
  } else if (before > 0 && after == 0) {
    t.mrr_churned_cents += before;
    ++t.accounts_churned;
  } else if (after > before) {
    t.mrr_expansion_cents += after - before;
  } else {
    t.mrr_contraction_cents += before - after;
  }
}

// A paying account: cancellation, tier moves, seats (a sales contract: contracts.hpp); `start`:
// its active users at the step's start.
void bill_paid(const Model& model, const AccountRules& rules, ReplicateState& state,
               std::uint32_t a, int step, int active, int start, AccountTally& tally) {
  Accounts& acc = state.accounts;
  if (acc.flags[a] & kContracted) {
    return bill_contract(model, rules.sales.onboarding, state, a, step, active, tally);
  }
  const std::uint64_t cancel = model.cancel_threshold[acc.segment[a]];
  // A team with no active user left cancels when its unused seats are removed (seats.hpp).
  const bool abandoned = seats_removed(model, rules.seats, a, step, start, active);
  if (abandoned || (cancel != 0 && model.streams.words(a, static_cast<std::uint32_t>(step),
                                                       Decision::account_event)[0] < cancel)) {
    acc.plan[a] = Plan::cancelled;
    acc.seats[a] = 0;
    return;
  }
  const std::uint8_t tier = step_tier(model, rules.tiers, a, step, acc.tier[a]);
  tally.tier_upgrades += tier > acc.tier[a] ? 1 : 0;
  tally.tier_downgrades += tier < acc.tier[a] ? 1 : 0;
  acc.tier[a] = tier;
  acc.seats[a] = next_seats(model, rules.seats, a, step, acc.seats[a],
                            std::max(rules.min_seats, active), std::max(rules.min_seats, start));
}

// The account's self-serve state by its active users: 0 none, 1 some, 2 a PQL.
int conversion_state(const AccountRules& rules, int active) {
  return active >= rules.pql_min_active ? 2 : active > 0 ? 1 : 0;
}

// A free (or cancelled) account on the free tier: PQL rule and self-serve conversion, over the
// first half of the step in the state of its start (`start` active users, word 1) and over the
// second in the state of its end (word 2). Returns the half it converted in (1, 2) or 0.
int self_serve(const Model& model, const AccountRules& rules, Accounts& acc, std::uint32_t a,
               int step, const Headcount& head, int start, AccountTally& tally) {
  const int state = conversion_state(rules, head.active);
  const bool pql = state == 2;
  if (pql && !acc.pql[a]) ++tally.new_pqls;
  acc.pql[a] = pql;
  if (in_pipeline(acc, a)) return 0;  // an account in the sales pipeline is the reps' to convert
  const ConversionTable& table = rules.conversion[head.community ? 1 : 0][head.play ? 1 : 0];
  const std::uint64_t first = table[conversion_state(rules, start)], second = table[state];
  if (first == 0 && second == 0) return 0;
  const auto w = model.streams.words(a, static_cast<std::uint32_t>(step), Decision::account_event);
  const int half = w[1] < first ? 1 : w[2] < second ? 2 : 0;
  if (half != 0) acc.plan[a] = Plan::paid;
  return half;
}

// A conversion: first tier, seats (a contract's, or the active users), origin.
void start_paying(const AccountRules& rules, ReplicateState& state, std::uint32_t a, int active) {
  Accounts& acc = state.accounts;
  acc.pql[a] = 0;
  acc.tier[a] = 0;
  acc.seats[a] = (acc.flags[a] & kContracted) ? acc.seats[a] : std::max(rules.min_seats, active);
  if (acc.origin[a] == kNoOrigin) {
    acc.origin[a] = static_cast<std::uint8_t>(
        first_channel(state.people, acc.first_person[a], acc.first_person[a + 1]));
  }
}

// Returns whether the account was idle: nobody engaged, nobody active at the step's start (its
// self-serve hazard would act over half the step), not paying or on trial, no sale won.
bool advance_account(const Model& model, const AccountRules& rules, ReplicateState& state,
                     std::uint32_t a, int step, AccountTally& tally) {
  Accounts& acc = state.accounts;
  People& people = state.people;
  const std::uint32_t first = acc.first_person[a], last = acc.first_person[a + 1];
  const Headcount head = count_people(rules, people, first, last, step);
  // Active users at the step's start: those counted at the previous accounts phase.
  int start = head.active;
  if (!acc.active_users.empty()) {
    start = static_cast<int>(acc.active_users[a]);
    acc.active_users[a] = static_cast<std::uint32_t>(head.active);
  }
  const Plan plan_before = acc.plan[a];
  const bool idle =
      head.engaged == 0 && start == 0 && plan_before != Plan::paid && plan_before != Plan::trial;
  if (idle && !rules.sales.on) {  // the common case early in a run: nothing to decide, no MRR
    acc.pql[a] = 0;
    return true;
  }
  const std::int64_t mrr_before = account_mrr(model, acc, a);
  const bool won = rules.sales.on && advance_sales_account(model, rules.sales, state, a, step,
                                                           {head.new_signups}, tally);
  if (idle && !won) {
    acc.pql[a] = 0;  // nobody signed up: no decision to take (draws skipped exactly)
    return true;
  }
  if (head.engaged > 0 && !(acc.flags[a] & kSignedUp)) {
    acc.flags[a] |= kSignedUp;
    ++tally.first_signups;
  }

  switch (step_trial(model, rules.trial, acc, a, step, head.engaged, head.active)) {
    case TrialEvent::started:
      ++tally.trials_started;
      break;
    case TrialEvent::converted:
      ++tally.trials_converted;
      break;
    case TrialEvent::expired:
      ++tally.trials_expired;
      break;
    case TrialEvent::none:
      break;
  }
  int converted_in = 0;  // self-serve: the half of the step the account converted in
  if (plan_before == Plan::paid) {
    bill_paid(model, rules, state, a, step, head.active, start, tally);
  } else if (rules.self_serve && !won && plan_before != Plan::trial && acc.plan[a] != Plan::trial) {
    converted_in = self_serve(model, rules, acc, a, step, head, start, tally);
  }
  if (acc.plan[a] == Plan::paid && plan_before != Plan::paid) {  // a conversion this step
    // Converted in the first half: seats for its start's users, then the second half's seats.
    start_paying(rules, state, a, converted_in == 1 ? start : head.active);
    if (converted_in == 1) {
      acc.seats[a] = second_half_seats(model, rules.seats, a, step, acc.seats[a],
                                       std::max(rules.min_seats, head.active));
    }
  }
  const bool access = has_access(acc.plan[a], rules.self_serve);
  if (!access && head.active > 0) revoke_access(people, first, last, tally);
  if (access) invite_teammates(model, state, a, step, 0.5 * (start + head.active), tally);

  const std::int64_t mrr_after = account_mrr(model, acc, a);
  if (mrr_after != mrr_before) {
    book_movement(mrr_before, mrr_after, plan_before, tally);
    if (mrr_before == 0 && plan_before != Plan::cancelled) ++tally.new_by_channel[acc.origin[a]];
  }
  tally.mrr_end += mrr_after;
  if (acc.plan[a] == Plan::paid) {
    ++tally.paying;
  } else if (access && head.active > 0) {
    ++tally.free_active;
    tally.pqls += acc.pql[a];
  }
  return false;
}

// An account that took the idle return at the latest accounts phase stays idle while nobody in
// it is engaged: that return left no plan paid or on trial and cleared its PQL flag and
// active-user count, and without sales no other phase changes them. Skipping it is exact (an
// idle account draws nothing and tallies nothing); so is skipping a block of such accounts.
static_assert(static_cast<int>(Stage::champion) - static_cast<int>(Stage::evaluator) == 3,
              "the engaged stages (evaluator, beginner, regular, champion) are one range");
constexpr std::uint8_t kEngagedStages = 0b1111u << static_cast<int>(Stage::evaluator);

bool stays_idle(const AccountRules& rules, const ReplicateState& state, std::size_t block,
                std::size_t begin, std::size_t end) {
  const Accounts& acc = state.accounts;
  if (rules.sales.on || !acc.idle_block[block]) return false;
  const std::uint32_t first = acc.first_person[begin], last = acc.first_person[end];
  return !any_byte_in(state.people.stage.data() + first, last - first,
                      static_cast<std::uint8_t>(Stage::evaluator),
                      static_cast<std::uint8_t>(Stage::champion));
}

// Sets engaged[a - begin] for the accounts of [begin, end) with someone engaged. Engaged people
// are a few percent of a market: stages are tested sixteen at a time and only those people's
// accounts are looked up.
void mark_engaged(const ReplicateState& state, std::size_t begin, std::size_t end,
                  std::uint8_t* engaged) {
  const Stage* stage = state.people.stage.data();
  const std::uint32_t* account = state.people.account.data();
  const std::uint32_t first = state.accounts.first_person[begin];
  const std::uint32_t last = state.accounts.first_person[end];
  for (std::uint32_t run = first; run < last; run += 64) {
    const auto n = static_cast<int>(std::min<std::uint32_t>(64, last - run));
    for (std::uint64_t people = codes_in_set(stage + run, n, kEngagedStages); people != 0;
         people &= people - 1) {
      engaged[account[run + std::countr_zero(people)] - begin] = 1;
    }
  }
}

// The accounts of one block; returns whether all of them were idle.
bool advance_block(const Model& model, const AccountRules& rules, ReplicateState& state,
                   std::size_t begin, std::size_t end, int step, AccountTally& t) {
  std::uint8_t* idle = state.accounts.idle.data();
  std::array<std::uint8_t, kAccountBlock> engaged{};
  const bool skip = !rules.sales.on;
  if (skip) mark_engaged(state, begin, end, engaged.data());
  bool all_idle = true;
  for (std::size_t a = begin; a < end; ++a) {
    if (skip && idle[a] && !engaged[a - begin]) continue;
    idle[a] = advance_account(model, rules, state, static_cast<std::uint32_t>(a), step, t);
    all_idle &= idle[a] != 0;
  }
  return all_idle;
}

}  // namespace

void advance_accounts(const Model& model, ReplicateState& state, int step, int month,
                      std::vector<AccountTally>& blocks) {
  const AccountRules rules = account_rules(model, state, step, month);
  std::vector<std::uint8_t>& idle_block = state.accounts.idle_block;
  idle_block.resize(blocks.size(), 0);
  state.accounts.idle.resize(state.accounts.size(), 0);
  for_each_block(state.accounts.size(), kAccountBlock,
                 [&](std::size_t b, std::size_t begin, std::size_t end) {
                   AccountTally& t = blocks[b];
                   t.paying = t.free_active = t.pqls = t.mrr_end = 0;
                   t.deals_closed_step = 0;
                   t.stage_change = {};
                   if (stays_idle(rules, state, b, begin, end)) return;
                   idle_block[b] = advance_block(model, rules, state, begin, end, step, t);
                 });
}

}  // namespace flywheel::model
