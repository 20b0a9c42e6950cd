// The twin's month: its MonthRecord in fixed point, from the state at the month's end, the
// flows integrated over it and the months before (trailing windows), then the agent model's own
// money rules (close_money) and metric formulas (derive_metrics).
#include "binomial.hpp"
#include "twin.hpp"

#include "model/money.hpp"
#include "model/month_money.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

namespace {

std::int64_t fixed(double x) { return std::llround(x * kMicro); }

struct Stocks {
  std::array<double, kStageCount> stages{};
  double paying = 0, free_active = 0, pqls = 0, mrr_cents = 0;
  double queue = 0, working = 0;  // the sales floor
};

// The month's start reads only the people by stage, the paying accounts and MRR: its free
// active accounts and PQLs (`heads` false) are not taken.
Stocks stocks(const Twin& twin, const State& y, bool heads = true) {
  Stocks s;
  const MonthRates& r = twin.rates;
  // One head count reassigned block by block: assign reuses its storage, where constructing one
  // per block allocated and zeroed 2n + 2 numbers each time (a third of the records' cost).
  HeadCount a;
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    const int n = twin.classes[k].size;
    const auto segment = static_cast<std::uint8_t>(twin.classes[k].segment);
    for (int plan = 0; plan < twin.plans; ++plan) {
      std::array<double, 2> active{};
      for (int group = kFirst; group <= kRest; ++group) {
        const People<const double> b = twin.people(y, k, plan, group);
        double aware = 0.0, evaluators = 0.0;
        for (int c : twin.aware_channels) aware += b[cAware + c];
        for (int i = 0; i < twin.bins; ++i) evaluators += b[cEvaluator + i];
        const std::array<double, kStageCount> by_stage = {
            b[cUnaware],  aware,         evaluators, b[cBeginner],
            b[cRegular], b[cChampion], b[cChurnedNever] + b[cChurnedEver]};
        for (int st = 0; st < kStageCount; ++st) s.stages[st] += by_stage[st];
        active[group] = std::max(0.0, b[cBeginner] + b[cRegular] + b[cChampion]);
      }
      const double accounts = y[twin.accounts_at(k, plan)];
      if (!(accounts > 0.0)) continue;
      if (plan == twin.queue_plan) s.queue += accounts;
      if (plan >= twin.work0 && twin.work0 >= 0 && plan < twin.work0 + kCyclePhases) {
        s.working += accounts;
      }
      if (twin.is_contract(plan)) {  // a sales contract: its seats at the contract price
        s.paying += accounts;
        s.mrr_cents += y[twin.seats_at(k, plan)] *
                       static_cast<double>(twin.model.deals[segment].contract_price_cents);
        continue;
      }
      if (twin.is_paid(plan)) {
        s.paying += accounts;
        s.mrr_cents += y[twin.seats_at(k, plan)] *
                       static_cast<double>(twin.model.seat_price(segment, std::uint8_t(plan - twin.paid0)));
        continue;
      }
      if (!heads || plan == kUntouched || !twin.access(plan)) continue;
      a.assign(active[kFirst] / accounts, n - 1,
               n > 1 ? active[kRest] / (accounts * (n - 1)) : 0.0);
      if (twin.laws.has(k * static_cast<std::size_t>(twin.plans) + static_cast<std::size_t>(plan))) {
        law_head(twin, y, k, plan, a);  // teammate invites: the others' law
      }
      s.free_active += accounts * (1.0 - a.pmf(0));
      if (r.self_serve && !twin.is_trial(plan)) {  // the PQL rule is not read on trial
        s.pqls += accounts * a.expect([&](int x) { return x >= r.pql_min_active ? 1.0 : 0.0; });
      }
    }
  }
  return s;
}

double active_of(const Stocks& s) {
  return s.stages[int(Stage::beginner)] + s.stages[int(Stage::regular)] +
         s.stages[int(Stage::champion)];
}

}  // namespace

MonthRecord month_record(const Twin& twin, const State& y, const State& start,
                         const std::vector<MonthRecord>& past, int month) {
  MonthRecord r;
  const MonthRecord* last = past.empty() ? nullptr : &past.back();
  const Stocks end = stocks(twin, y);
  const double* f = &y[twin.flows_at];
  for (int st = 0; st < kStageCount; ++st) r.users_by_stage[st] = fixed(end.stages[st]);
  r.active_users = fixed(active_of(end));
  r.accounts_paying = fixed(end.paying);
  r.accounts_free_active = fixed(end.free_active);
  r.pqls = fixed(end.pqls);
  r.mrr_end_cents = fixed(end.mrr_cents);
  // A month starts from the state its predecessor's record was read from (expect.cpp), whose
  // stocks that record holds, rounded alike; only the first month reads its start.
  if (last) {
    r.active_users_start = last->active_users;
    r.accounts_paying_start = last->accounts_paying;
    r.mrr_start_cents = last->mrr_end_cents;
  } else {
    const Stocks begin = stocks(twin, start, false);
    r.active_users_start = fixed(active_of(begin));
    r.accounts_paying_start = fixed(begin.paying);
    r.mrr_start_cents = fixed(begin.mrr_cents);
  }
  for (int c = 0; c < kChannelCount; ++c) {
    r.awareness_by_channel[c] = fixed(f[f_awareness + c]);
    r.signups_by_channel[c] = fixed(f[f_signups + c]);
    r.accounts_new_by_channel[c] = fixed(f[f_accounts_new_by + c]);
  }
  for (int st = 0; st < kStageCount; ++st) r.churn_by_stage[st] = fixed(f[f_churn_by_stage + st]);
#define FLYWHEEL_COUNTER(name) r.name = fixed(f[f_##name]);
#include <flywheel/spec/counters_accounts.inc>
#include <flywheel/spec/counters_community.inc>
#include <flywheel/spec/counters_people.inc>
#undef FLYWHEEL_COUNTER
  // The money identity holds in expectation; rounding each movement to fixed point leaves a few
  // millionths of a cent, put in the churned movement so that it holds exactly, as in the agent
  // model (its test checks every record).
  r.mrr_churned_cents += r.mrr_start_cents + r.mrr_new_cents + r.mrr_expansion_cents +
                         r.mrr_reactivation_cents - r.mrr_contraction_cents -
                         r.mrr_churned_cents - r.mrr_end_cents;
  if (twin.has_community) community_record(twin, y, start, r);
  // Accounts touched at the start count as signed up in the first month, as in the agent model.
  double touched_at_start = 0.0;
  if (!last) {
    for (std::size_t k = 0; k < twin.classes.size(); ++k) {
      touched_at_start += start[twin.accounts_at(k, kProspect)] + start[twin.accounts_at(k, kEngaged)];
    }
  }
  r.accounts_signed_up_total =
      (last ? last->accounts_signed_up_total : 0) + fixed(f[f_first_signups] + touched_at_start);
  r.accounts_converted_total = (last ? last->accounts_converted_total : 0) + r.accounts_new;
  if (twin.sales.on) {  // the sales floor's stocks and the month's means (month_ledger.cpp)
    r.sales_reps = twin.sales.reps;
    r.sales_queue_length = fixed(end.queue);
    r.sales_pipeline = fixed(end.working);
    r.deals_taken = fixed(f[f_deals_taken]);
    // Little's law: the month's queue-months over the deals taken.
    if (f[f_deals_taken] > 1e-9) {
      r.sales_wait_days = f[f_queue_months] / f[f_deals_taken] * kDaysPerMonth;
    }
    const double closed = f[f_deals_won] + f[f_deals_lost];
    if (closed > 1e-9) r.sales_cycle_days = f[f_cycle_days_closed] / closed;
  }

  // Spend is real money (not fixed point), as in the agent model.
  const model::MonthSpend spend = model::month_spend(twin.model, month);
  r.spend_marketing_cents = spend.marketing_cents;
  r.spend_sales_cents = spend.sales_cents;
  r.spend_community_cents = spend.community_cents;
  r.spend_product_cents = spend.product_cents;
  r.content_pieces_planned = spend.content_pieces_planned;
  const ReferralSpec& referrals = twin.scenario.strategy.referrals;
  if (referrals.enabled) {
    r.spend_referral_cents = std::llround(f[f_signups + static_cast<int>(Channel::referral)] *
                                          std::llround(referrals.reward_usd * 100.0));
  }
  r.gross_margin = twin.scenario.economics.gross_margin;
  model::MoneyRules rules = model::money_rules(twin.scenario);
  rules.agent_scale = 1.0 / kMicro;
  model::close_money(r, spend, past, rules);

  // Trailing windows (month_ledger.cpp): logo churn and member / non-member retention.
  constexpr int kYear = 12;
  r.churned_t12m = model::trailing(r, past, kYear, [](const MonthRecord& m) { return m.accounts_churned; });
  r.paying_start_t12m =
      model::trailing(r, past, kYear, [](const MonthRecord& m) { return m.accounts_paying_start; });
  r.months_t12m = std::min(static_cast<int>(past.size()) + 1, kYear);
  r.annual_lookback = past.size() + 1 >= static_cast<std::size_t>(kYear);
  r.step_months = twin.model.time.step_months();
  auto by_stage = [](std::int64_t all, std::int64_t beginners, std::int64_t champions) {
    return std::array<std::int64_t, 3>{beginners, all - beginners - champions, champions};
  };
  auto user_churns = [&](const MonthRecord& m) {
    const auto& c = m.churn_by_stage;
    return by_stage(c[int(Stage::beginner)] + c[int(Stage::regular)] + c[int(Stage::champion)],
                    c[int(Stage::beginner)], c[int(Stage::champion)]);
  };
  auto member_churns = [&](const MonthRecord& m) {
    return by_stage(m.member_churns, m.member_beginner_churns, m.member_champion_churns);
  };
  auto exposure = [&](const MonthRecord& m) {
    return by_stage(m.user_halfsteps, m.beginner_halfsteps, m.champion_halfsteps);
  };
  auto member_exposure = [&](const MonthRecord& m) {
    return by_stage(m.member_user_halfsteps, m.member_beginner_halfsteps,
                    m.member_champion_halfsteps);
  };
  for (std::size_t s = 0; s < 3; ++s) {
    auto pick = [s](auto of) { return [of, s](const MonthRecord& m) { return of(m)[s]; }; };
    r.user_churns_t12m[s] = model::trailing(r, past, kYear, pick(user_churns));
    r.member_churns_t12m[s] = model::trailing(r, past, kYear, pick(member_churns));
    r.user_halfsteps_t12m[s] = model::trailing(r, past, kYear, pick(exposure));
    r.member_user_halfsteps_t12m[s] = model::trailing(r, past, kYear, pick(member_exposure));
  }
  return r;
}

}  // namespace flywheel::meanfield
