#include "accounts.hpp"

#include "parallel_blocks.hpp"

#include <algorithm>

namespace flywheel::model {

namespace {

// Per-step thresholds of the account decisions of this month.
struct AccountRules {
  std::uint64_t pql_conversion = 0;
  std::uint64_t free_conversion = 0;
  int pql_min_active = 1;
  int min_seats = 1;
};

AccountRules account_rules(const Model& model, int month) {
  const PlgSpec& plg = model.scenario.strategy.plg;
  const double dt = model.time.step_months();
  return {probability_threshold(step_probability(plg.pql_conversion_per_month.at(month), dt)),
          probability_threshold(step_probability(plg.free_conversion_per_month.at(month), dt)),
          plg.pql_min_active_users, plg.min_seats};
}

int count_active(const People& people, std::uint32_t first, std::uint32_t last) {
  int active = 0;
  for (std::uint32_t p = first; p < last; ++p) active += is_active(people.stage[p]) ? 1 : 0;
  return active;
}

void book_movement(std::int64_t before, std::int64_t after, Plan plan_before, AccountTally& t) {
  if (before == 0 && after > 0) {
    if (plan_before == Plan::cancelled) {
      t.mrr_reactivation += after;
      ++t.reactivated;
    } else {
      t.mrr_new += after;
      ++t.converted_new;
    }
  } else if (before > 0 && after == 0) {
    t.mrr_churned += before;
    ++t.churned;
  } else if (after > before) {
    t.mrr_expansion += after - before;
  } else {
    t.mrr_contraction += before - after;
  }
}

void advance_account(const Model& model, const AccountRules& rules, ReplicateState& state,
                     std::uint32_t a, int step, AccountTally& tally) {
  Accounts& acc = state.accounts;
  const int active = count_active(state.people, acc.first_person[a], acc.first_person[a + 1]);
  const Plan plan_before = acc.plan[a];
  if (active == 0 && plan_before != Plan::paid) {
    acc.pql[a] = 0;  // no user, no decision: neither a PQL (rule >= 1) nor a conversion
    return;
  }
  const std::int64_t price = model.price_cents[acc.segment[a]];
  const std::int64_t mrr_before = plan_before == Plan::paid ? acc.seats[a] * price : 0;
  // Draw only when a decision is open: skipping is exact with counter-based streams.
  auto word = [&](int i) {
    return model.streams.words(a, static_cast<std::uint32_t>(step), Decision::account_event)[i];
  };
  if (plan_before == Plan::paid) {
    const std::uint64_t cancel = model.cancel_threshold[acc.segment[a]];
    if (active == 0 || (cancel != 0 && word(0) < cancel)) {
      acc.plan[a] = Plan::cancelled;
      acc.seats[a] = 0;
    } else {
      acc.seats[a] = std::max(rules.min_seats, active);
    }
  } else {
    const bool pql = active >= rules.pql_min_active;
    if (pql && !acc.pql[a]) ++tally.new_pqls;
    acc.pql[a] = pql;
    const std::uint64_t threshold =
        pql ? rules.pql_conversion : (active > 0 ? rules.free_conversion : 0);
    if (threshold != 0 && word(1) < threshold) {
      acc.plan[a] = Plan::paid;
      acc.pql[a] = 0;
      acc.seats[a] = std::max(rules.min_seats, active);
    }
  }
  const std::int64_t mrr_after = acc.plan[a] == Plan::paid ? acc.seats[a] * price : 0;
  if (mrr_after != mrr_before) book_movement(mrr_before, mrr_after, plan_before, tally);
  tally.mrr_end += mrr_after;
  if (acc.plan[a] == Plan::paid) {
    ++tally.paying;
  } else if (active > 0) {
    ++tally.free_active;
    tally.pqls += acc.pql[a];
  }
}

}  // namespace

void advance_accounts(const Model& model, ReplicateState& state, int step, int month,
                      std::vector<AccountTally>& blocks) {
  const AccountRules rules = account_rules(model, month);
  for_each_block(state.accounts.size(), kAccountBlock,
                 [&](std::size_t b, std::size_t begin, std::size_t end) {
                   AccountTally& t = blocks[b];
                   t.paying = t.free_active = t.pqls = t.mrr_end = 0;
                   for (std::size_t a = begin; a < end; ++a) {
                     advance_account(model, rules, state, static_cast<std::uint32_t>(a), step, t);
                   }
                 });
}

}  // namespace flywheel::model
