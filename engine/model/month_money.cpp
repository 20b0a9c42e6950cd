#include "month_money.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::model {

namespace {

constexpr int kQuarterMonths = 3;
constexpr int kYearMonths = 12;

// MRR (simulated cents) at the end of the month `back` months before r, r being month
// c = past.size(): month c - back's end; the start of month 0 when c - back < 0 (the window
// is shorter than `back` in the first months).
std::int64_t mrr_months_ago(const MonthRecord& r, const std::vector<MonthRecord>& past,
                            std::size_t back) {
  if (back <= past.size()) return past[past.size() - back].mrr_end_cents;
  return past.empty() ? r.mrr_start_cents : past.front().mrr_start_cents;
}

}  // namespace

MoneyRules money_rules(const Scenario& scenario) {
  const EconomicsSpec& e = scenario.economics;
  return {static_cast<double>(scenario.simulation.agent_scale), e.gross_margin,
          std::llround(e.hosting_usd_per_active_user_month * 100.0),
          std::llround(e.starting_cash_usd * 100.0)};
}

void close_money(MonthRecord& r, const MonthSpend& spend, const std::vector<MonthRecord>& past,
                 const MoneyRules& rules) {
  const double k = rules.agent_scale;
  // Simulated units scaled back to real ones; exact for the agent model's whole scales.
  auto scaled = [k](std::int64_t x) { return std::llround(static_cast<double>(x) * k); };
  r.spend_ga_cents = spend.ga_cents;
  r.spend_acquisition_cents = r.spend_marketing_cents + r.spend_sales_cents +
                              spend.community_acquisition_cents + r.spend_referral_cents;
  const std::int64_t spend_total = r.spend_marketing_cents + r.spend_sales_cents +
                                   r.spend_community_cents + r.spend_product_cents +
                                   r.spend_ga_cents + r.spend_referral_cents;
  // Gross profit = revenue x gross margin - hosting of every active user (real, scaled back).
  r.revenue_cents = scaled(r.mrr_end_cents);
  r.cogs_hosting_cents = scaled(r.active_users) * rules.hosting_cents_per_user;
  r.gross_profit_cents = std::llround(static_cast<double>(r.revenue_cents) * rules.gross_margin) -
                         r.cogs_hosting_cents;
  r.net_burn_cents = spend_total - r.gross_profit_cents;

  const MonthRecord* last = past.empty() ? nullptr : &past.back();
  r.spend_cumulative_cents = (last ? last->spend_cumulative_cents : 0) + spend_total;
  r.gross_profit_cumulative_cents =
      (last ? last->gross_profit_cumulative_cents : 0) + r.gross_profit_cents;
  r.cash_cents = (last ? last->cash_cents : rules.starting_cash_cents) - r.net_burn_cents;

  const auto q = kQuarterMonths;
  r.acquisition_quarter_cents =
      trailing(r, past, q, [](const MonthRecord& m) { return m.spend_acquisition_cents; });
  r.accounts_new_quarter =
      trailing(r, past, q, [](const MonthRecord& m) { return m.accounts_new; });
  r.mrr_new_quarter_cents =
      scaled(trailing(r, past, q, [](const MonthRecord& m) { return m.mrr_new_cents; }));
  r.gross_profit_quarter_cents =
      trailing(r, past, q, [](const MonthRecord& m) { return m.gross_profit_cents; });
  r.revenue_quarter_cents =
      trailing(r, past, q, [](const MonthRecord& m) { return m.revenue_cents; });
  r.net_burn_quarter_cents =
      trailing(r, past, q, [](const MonthRecord& m) { return m.net_burn_cents; });
  r.net_new_mrr_quarter_cents = scaled(r.mrr_end_cents - mrr_months_ago(r, past, q));

  if (past.size() + 1 >= static_cast<std::size_t>(kYearMonths)) {
    r.mrr_year_ago_cents = mrr_months_ago(r, past, kYearMonths);
    r.net_burn_year_cents =
        trailing(r, past, kYearMonths, [](const MonthRecord& m) { return m.net_burn_cents; });
    r.revenue_year_cents =
        trailing(r, past, kYearMonths, [](const MonthRecord& m) { return m.revenue_cents; });
  }
}

}  // namespace flywheel::model
