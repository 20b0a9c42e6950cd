// The growth levers of a scenario (docs/model.md): paid marketing, product-led (PLG),
// sales-led (SLG), community-led (CLG) growth, referrals, and the economics that price them. A
// lever block left out of the YAML is off (`enabled` false); `enabled: false` switches it off too.
#pragma once

#include <flywheel/spec/strategy_clg.hpp>
#include <flywheel/spec/strategy_referrals.hpp>
#include <flywheel/spec/strategy_slg.hpp>

#include <string>
#include <vector>

namespace flywheel {

struct MarketingSpec {
  Schedule spend_usd_per_month = Schedule::constant(0.0);
  double cost_per_aware_usd = 10.0;  // spend that makes one person aware
  bool operator==(const MarketingSpec&) const = default;
};

// A time-limited trial of the full product for an account that has no access yet.
struct TrialSpec {
  bool enabled = false;
  double days = 14.0;          // trial length
  bool card_required = false;  // opt-out trial: fewer start, more convert
  // Probability that a trial account with an active user converts at expiry.
  double conversion_without_card = 0.4;
  double conversion_with_card = 0.8;
  // Multiplies the signups of people whose account has no access when a card is required.
  double card_signup_multiplier = 0.5;
  bool operator==(const TrialSpec&) const = default;
};

// A paid plan tier: its seat price is the segment's list price x price_multiplier.
struct PlanTier {
  std::string name;
  double price_multiplier = 1.0;
  bool operator==(const PlanTier&) const = default;
};

struct PlgSpec {
  bool enabled = false;
  bool free_tier = true;         // people of any account can use the free product
  int pql_min_active_users = 3;  // PQL rule: a free account with >= this many
  Schedule pql_conversion_per_month = Schedule::constant(0.0);   // self-serve, PQL accounts
  Schedule free_conversion_per_month = Schedule::constant(0.0);  // other free accounts with users
  int min_seats = 1;                                             // seats billed at least
  // Seat policy of a paying self-serve account (seats.hpp): the missing seats are bought, the
  // unused ones removed, each with this probability per month (1: at once).
  Schedule seat_add_per_month = Schedule::constant(1.0);
  Schedule seat_removal_per_month = Schedule::constant(1.0);
  // Onboarding quality: multiplies the activation hazard (1.5 = time to value / 1.5).
  Schedule onboarding_activation_multiplier = Schedule::constant(1.0);
  TrialSpec trial;
  std::vector<PlanTier> tiers;                             // empty: one tier at list price
  Schedule upgrade_per_month = Schedule::constant(0.0);    // paid account moves one tier up
  Schedule downgrade_per_month = Schedule::constant(0.0);  // paid account moves one tier down
  bool operator==(const PlgSpec&) const = default;
};

// Costs that belong to no single lever, the margin on revenue and the cash to start with.
// Gross profit = revenue x gross_margin - hosting of active users (docs/model.md, phase 5).
struct EconomicsSpec {
  double gross_margin = 0.8;  // share of revenue left after the COGS that scale with revenue
  Schedule product_spend_usd_per_month = Schedule::constant(0.0);  // R&D: product, engineering
  Schedule ga_usd_per_month = Schedule::constant(0.0);  // G&A: finance, legal, HR, offices
  double hosting_usd_per_active_user_month = 0.0;       // COGS per active user, free or paid
  double starting_cash_usd = 0.0;                       // cash at month 0
  bool operator==(const EconomicsSpec&) const = default;
};

struct StrategySpec {
  MarketingSpec marketing;
  PlgSpec plg;
  SlgSpec slg;
  ClgSpec clg;
  ReferralSpec referrals;
  bool operator==(const StrategySpec&) const = default;
};

}  // namespace flywheel
