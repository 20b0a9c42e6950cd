// Schema parts: paid marketing, product-led growth (strategy.plg) and the economics block.
#include "param_schema_parts.hpp"

namespace flywheel::loader {

namespace {

template <auto... Members>
Accessor plg_field() {
  return field<&Scenario::strategy, &StrategySpec::plg, Members...>();
}

template <auto... Members>
Accessor trial_field() {
  return plg_field<&PlgSpec::trial, Members...>();
}

Accessor tier_field_name() {
  return item_field<&PlanTier::name>([](auto& s) -> auto& { return s.strategy.plg.tiers; });
}
Accessor tier_field_multiplier() {
  return item_field<&PlanTier::price_multiplier>(
      [](auto& s) -> auto& { return s.strategy.plg.tiers; });
}

}  // namespace

std::vector<Param> strategy_params() {
  using M = MarketingSpec;
  return {
      block("strategy", Presence::optional, "a map",
            "Growth levers; any numeric lever marked schedule may change over time."),
      block("strategy.marketing", Presence::optional, "a map", "Paid marketing (phase 1)."),
      defaulted("strategy.marketing.spend_usd_per_month", schedule(Range{0}, "an amount in USD"),
                Schedule::constant(0.0), "USD/month", "Paid acquisition spend.",
                field<&Scenario::strategy, &StrategySpec::marketing, &M::spend_usd_per_month>()),
      defaulted("strategy.marketing.cost_per_aware_usd",
                number(Range{0, kInf, true}, "an amount in USD"), 10.0, "USD/person",
                "Spend that makes one person aware.",
                field<&Scenario::strategy, &StrategySpec::marketing, &M::cost_per_aware_usd>()),
  };
}

std::vector<Param> plg_params() {
  using P = PlgSpec;
  using T = TrialSpec;
  return {
      lever_block("strategy.plg",
                  "Product-led growth (phase 3): free tier, trial, PQLs, self-serve conversion, "
                  "plan tiers, onboarding. Left out: no free tier and no self-serve path, so "
                  "people use the product only in accounts that bought it.",
                  plg_field<&P::enabled>()),
      enabled_switch("strategy.plg.enabled", plg_field<&P::enabled>()),
      defaulted("strategy.plg.free_tier", boolean(), true, "",
                "A free plan: people of any account can use the product and activate. Without "
                "it, only paying and trialing accounts have access.",
                plg_field<&P::free_tier>()),
      defaulted("strategy.plg.pql_min_active_users", integer(1), integer_value(3), "people",
                "PQL rule: a free account with at least this many active users is a "
                "product-qualified lead.",
                plg_field<&P::pql_min_active_users>()),
      defaulted("strategy.plg.pql_conversion_per_month", schedule(Range{0, 1}, "a probability"),
                Schedule::constant(0.0), "probability/month",
                "PQL accounts that convert to paid self-serve.",
                plg_field<&P::pql_conversion_per_month>()),
      defaulted("strategy.plg.free_conversion_per_month", schedule(Range{0, 1}, "a probability"),
                Schedule::constant(0.0), "probability/month",
                "Other free accounts with an active user that convert to paid.",
                plg_field<&P::free_conversion_per_month>()),
      defaulted("strategy.plg.min_seats", integer(1), integer_value(1), "seats",
                "Seats billed at least, whatever the number of active users.",
                plg_field<&P::min_seats>()),
      defaulted("strategy.plg.seat_add_per_month", schedule(Range{0, 1}, "a probability"),
                Schedule::constant(1.0), "probability/month",
                "A paying self-serve account with more active users than seats buys the "
                "missing seats with this probability per month (an admin's lag; 1: at once).",
                plg_field<&P::seat_add_per_month>()),
      defaulted("strategy.plg.seat_removal_per_month", schedule(Range{0, 1}, "a probability"),
                Schedule::constant(1.0), "probability/month",
                "A paying self-serve account with unused seats (more seats than active users) "
                "removes them with this probability per month (1: at once).",
                plg_field<&P::seat_removal_per_month>()),
      defaulted("strategy.plg.onboarding_activation_multiplier",
                schedule(Range{0, 100}, "a multiplier"), Schedule::constant(1.0), "x",
                "Onboarding quality: multiplies the activation hazard, so 1.5 cuts the mean "
                "time to value by a third (1 / 1.5).",
                plg_field<&P::onboarding_activation_multiplier>()),
      block("strategy.plg.trial", Presence::optional, "a map",
            "A time-limited trial of the paid product, started by an account's first signup."),
      defaulted("strategy.plg.trial.enabled", boolean(), false, "",
                "Offer the trial. With a free tier, an expired trial reverts to free; without, "
                "the account loses access and its users churn.",
                trial_field<&T::enabled>()),
      defaulted("strategy.plg.trial.days", number(Range{1, 365}, "a number of days"), 14.0, "days",
                "Trial length; 14 and 30 days are the common lengths (OpenView 2022 PLG "
                "benchmarks).",
                trial_field<&T::days>()),
      defaulted("strategy.plg.trial.card_required", boolean(), false, "",
                "Opt-out trial: a card is taken at signup.", trial_field<&T::card_required>()),
      defaulted("strategy.plg.trial.conversion_without_card", probability(), 0.4, "probability",
                "No card: a trial account that has an active user at expiry buys with this "
                "probability; one without never does. The trial_conversion metric (all trials) "
                "is this x the share of trials that activated: opt-in trials convert ~15-25% of "
                "starts (Totango; ProfitWell / Paddle trial benchmarks), i.e. ~40% of activated "
                "ones when ~40-60% activate.",
                trial_field<&T::conversion_without_card>()),
      defaulted("strategy.plg.trial.conversion_with_card", probability(), 0.8, "probability",
                "Card required: as conversion_without_card. Opt-out trials convert ~50-60% of "
                "starts (same sources): the card deters the less serious, so more trials "
                "activate and most activated ones keep paying.",
                trial_field<&T::conversion_with_card>()),
      defaulted("strategy.plg.trial.card_signup_multiplier", number(Range{0, 1}, "a multiplier"),
                0.5, "x",
                "With a card required, multiplies signups of people whose account has no "
                "access: a card at signup deters about half the trial starts.",
                trial_field<&T::card_signup_multiplier>()),
      list("strategy.plg.tiers", Presence::optional, "a list of plan tiers", 0,
           "Paid plan tiers, cheapest first; a new paying account starts on the first. Left "
           "out: one tier at list price.",
           list_field<&Scenario::strategy, &StrategySpec::plg, &P::tiers>()),
      required("strategy.plg.tiers[].name",
               simple(Kind::identifier, "a name matching [a-z][a-z0-9_]*"), "", "Tier name.",
               tier_field_name()),
      required("strategy.plg.tiers[].price_multiplier", number(Range{0, 100}, "a multiplier"), "x",
               "Seat price of this tier = the segment's list price x this.",
               tier_field_multiplier()),
      defaulted("strategy.plg.upgrade_per_month", schedule(Range{0, 1}, "a probability"),
                Schedule::constant(0.0), "probability/month",
                "A paying account moves one tier up (an expansion).",
                plg_field<&P::upgrade_per_month>()),
      defaulted("strategy.plg.downgrade_per_month", schedule(Range{0, 1}, "a probability"),
                Schedule::constant(0.0), "probability/month",
                "A paying account above the first tier moves one tier down (a contraction).",
                plg_field<&P::downgrade_per_month>()),
  };
}

std::vector<Param> economics_params() {
  using E = EconomicsSpec;
  std::vector<Param> params = {
      block("economics", Presence::optional, "a map",
            "Margin on revenue and costs that belong to no single lever (phase 5)."),
      defaulted("economics.gross_margin", probability(), 0.8, "share of revenue",
                "Revenue left after the costs that scale with revenue (support, payment fees, "
                "third-party licences; hosting per active user is "
                "economics.hosting_usd_per_active_user_month); SaaS medians are 75-80% (KeyBanc "
                "Capital Markets & Sapphire Ventures SaaS Survey 2023).",
                field<&Scenario::economics, &E::gross_margin>()),
      defaulted("economics.product_spend_usd_per_month", schedule(Range{0}, "an amount in USD"),
                Schedule::constant(0.0), "USD/month",
                "R&D: product and engineering investment (counted in spend and burn). R&D is "
                "~26% of revenue at IPO (Blossom Street Ventures, SaaS spend as a percent of "
                "revenue).",
                field<&Scenario::economics, &E::product_spend_usd_per_month>()),
  };
  for (Param& p : operating_cost_params()) params.push_back(std::move(p));
  return params;
}

}  // namespace flywheel::loader
