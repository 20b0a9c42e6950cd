// Phase 6, money: a month's profit and loss in real money, and the running totals and trailing
// windows that make CAC, payback, burn multiple, ARR growth and cash one-month metrics
// (docs/model.md#money-burn-and-cash). Everything here is integer cents.
#pragma once

#include "money.hpp"

#include <flywheel/spec/metrics.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace flywheel::model {

// The sum of `field` over r and the (window - 1) months before it (`past`, oldest first).
template <typename Field>
std::int64_t trailing(const MonthRecord& r, const std::vector<MonthRecord>& past, int window,
                      Field field) {
  std::int64_t sum = field(r);
  const std::size_t n = std::min(past.size(), static_cast<std::size_t>(window - 1));
  for (std::size_t i = past.size() - n; i < past.size(); ++i) sum += field(past[i]);
  return sum;
}

// What the month's money needs from the scenario, in cents.
struct MoneyRules {
  double agent_scale = 1;  // what one simulated unit stands for (1 / kMicro in the mean field)
  double gross_margin = 1.0;
  std::int64_t hosting_cents_per_user = 0;  // per active user and month
  std::int64_t starting_cash_cents = 0;
};

MoneyRules money_rules(const Scenario& scenario);

// Writes r's operating costs, gross profit, net burn, running totals and trailing windows, from
// r's stocks, flows and spend and from the months before it (`past`, oldest first). r's spend
// fields, mrr and referral spend are set; `spend` gives G&A and the community's CAC share.
void close_money(MonthRecord& r, const MonthSpend& spend, const std::vector<MonthRecord>& past,
                 const MoneyRules& rules);

}  // namespace flywheel::model
