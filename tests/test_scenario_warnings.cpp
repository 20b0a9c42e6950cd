// Dead-scenario warnings (include/flywheel/scenario/warnings.hpp): one minimal scenario per
// warning, the located form, and no warning on any shipped scenario.
#include "fixtures.hpp"

#include <flywheel/scenario/loader.hpp>
#include <flywheel/scenario/warnings.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using flywheel::Diagnostic;
using flywheel::Override;
using Paths = std::vector<std::string>;

// A business that can earn, with no warning: line 8 is the price, 12 signups, 13 activation;
// the `strategy` text given to business() starts on line 14.
std::string business(const std::string& strategy = "  plg: {free_conversion_per_month: 0.01}\n",
                     const std::string& more = "") {
  return "name: t\n"
         "market:\n"
         "  people: 1000\n"
         "  segments:\n"
         "    - name: smb\n"
         "      share: 1\n"
         "      account_size: {distribution: fixed, mean_people: 4}\n"
         "      price_usd_per_seat_month: 10\n"
         "acquisition:\n"
         "  innovation_p_per_month: 0.01\n"
         "funnel:\n"
         "  signup_per_month: 0.1\n"
         "  activation_per_month: 0.3\n"
         "strategy:\n" +
         strategy + more;
}

std::vector<Diagnostic> warnings_of(const std::string& yaml,
                                    const std::vector<Override>& overrides = {}) {
  std::vector<Diagnostic> warnings;
  flywheel::load_scenario_text(yaml, "w.yaml", overrides, ".", &warnings);
  return warnings;
}

Paths paths_of(const std::string& yaml, const std::vector<Override>& overrides = {}) {
  Paths paths;
  for (const Diagnostic& w : warnings_of(yaml, overrides)) paths.push_back(w.path);
  return paths;
}

const std::string kSold =
    "      sales: {sold: true}\n";  // appended to the segment by sold_business()

std::string sold_business(const std::string& strategy, const std::string& sales = kSold) {
  std::string yaml = business(strategy);
  const std::string price = "      price_usd_per_seat_month: 10\n";
  yaml.insert(yaml.find(price) + price.size(), sales);
  return yaml;
}

}  // namespace

TEST_CASE("warnings: a business that can earn has none", "[warnings]") {
  CHECK(paths_of(business()).empty());
  CHECK(paths_of(sold_business("  slg: {reps: 5}\n")).empty());
}

TEST_CASE("warnings: no price, located at the price, and the pure form", "[warnings]") {
  const std::vector<Diagnostic> located =
      warnings_of(business(), {{"market.segments[0].price_usd_per_seat_month", "0"}});
  REQUIRE(located.size() == 1);
  CHECK(located[0].path == "market.segments[0].price_usd_per_seat_month");
  CHECK(located[0].file == "--set");  // the value came from the override
  CHECK(located[0].message.find("no revenue is possible") == 0);
  CHECK(located[0].message.find("; fix: set market.segments[].price_usd_per_seat_month") !=
        std::string::npos);
  std::string zero = business();
  zero.replace(zero.find("seat_month: 10"), 14, "seat_month: 0");
  const std::vector<Diagnostic> in_file = warnings_of(zero);
  REQUIRE(in_file.size() == 1);
  CHECK(in_file[0].to_string().find("w.yaml:8:33: market.segments[0].price_usd_per_seat_month: "
                                    "no revenue") == 0);
  // scenario_warnings is the same list without positions.
  const std::vector<Diagnostic> pure =
      flywheel::scenario_warnings(flywheel::load_scenario_text(zero, "w.yaml"));
  REQUIRE(pure.size() == 1);
  CHECK(pure[0].path == in_file[0].path);
  CHECK(pure[0].message == in_file[0].message);
  CHECK(pure[0].line == 0);
}

TEST_CASE("warnings: no way to pay, no activation, no signups, nobody aware", "[warnings]") {
  CHECK(paths_of(business("  plg: {free_conversion_per_month: 0}\n")) == Paths{"strategy"});
  CHECK(paths_of(business(), {{"funnel.activation_per_month", "0"}}) ==
        Paths{"funnel.activation_per_month"});
  CHECK(paths_of(business("  plg: {free_conversion_per_month: 0.01, "
                          "onboarding_activation_multiplier: 0}\n")) ==
        Paths{"funnel.activation_per_month"});
  CHECK(paths_of(business(), {{"funnel.signup_per_month", "0"}}) ==
        Paths{"funnel.signup_per_month"});
  CHECK(paths_of(business(), {{"acquisition.innovation_p_per_month", "0"}}) ==
        Paths{"acquisition"});
  // Paid marketing or people aware at the start are a way in; sales need neither signups nor
  // activation (outbound finds leads, a win onboards people).
  CHECK(paths_of(business(), {{"acquisition.innovation_p_per_month", "0"},
                              {"strategy.marketing.spend_usd_per_month", "1000"}})
            .empty());
  CHECK(paths_of(sold_business("  slg: {reps: 5}\n"),
                 {{"funnel.activation_per_month", "0"}, {"funnel.signup_per_month", "0"}})
            .empty());
}

TEST_CASE("warnings: a diffusion model that means to earn nothing has none", "[warnings]") {
  // As the docking cases: no price, a free tier that never converts, no spend, no money target.
  std::string diffusion = business("  plg: {free_tier: true}\n");
  diffusion.replace(diffusion.find("seat_month: 10"), 14, "seat_month: 0");
  CHECK(paths_of(diffusion).empty());
  // The same with a money target (or any spend) means to earn: then the missing price is named.
  CHECK(paths_of(diffusion + "targets: [{metric: arr_usd, at_least: 1000, by_month: 12}]\n") ==
        Paths{"market.segments[0].price_usd_per_seat_month", "targets[0].at_least"});
  CHECK(paths_of(diffusion, {{"economics.product_spend_usd_per_month", "5000"}}) ==
        Paths{"market.segments[0].price_usd_per_seat_month"});
  // A ramp share with no ramp months never acts; with them it is a ramped deal.
  CHECK(paths_of(sold_business("  plg: {free_conversion_per_month: 0.01}\n  slg: {reps: 5}\n",
                               "      sales: {sold: true, ramp_start_share: 0.5}\n")) ==
        Paths{"market.segments[0].sales.ramp_start_share"});
  CHECK(paths_of(sold_business("  plg: {free_conversion_per_month: 0.01}\n"
                               "  slg: {reps: 5, ramp_months: 6}\n",
                               "      sales: {sold: true, ramp_start_share: 0.5}\n"))
            .empty());
}

TEST_CASE("warnings: PLG levers with no effect", "[warnings]") {
  CHECK(paths_of(business("  plg: {free_conversion_per_month: 0.01, "
                          "pql_conversion_per_month: 0.1, pql_min_active_users: 5}\n")) ==
        Paths{"strategy.plg.pql_min_active_users"});
  CHECK(paths_of(business("  plg: {free_conversion_per_month: 0.01, pql_conversion_per_month: "
                          "0.1, pql_min_active_users: 4}\n"))
            .empty());  // the largest account has 4 people: reachable
  CHECK(paths_of(business("  plg:\n    free_conversion_per_month: 0.01\n"
                          "    trial: {enabled: true, conversion_without_card: 0}\n")) ==
        Paths{"strategy.plg.trial.conversion_without_card"});
  CHECK(paths_of(business("  plg: {free_conversion_per_month: 0.01, upgrade_per_month: 0.01}\n")) ==
        Paths{"strategy.plg.upgrade_per_month"});
}

TEST_CASE("warnings: sales with no reps, no leads, no wins or $0 contracts", "[warnings]") {
  CHECK(paths_of(sold_business("  plg: {free_conversion_per_month: 0.01}\n  slg: {reps: 0}\n")) ==
        Paths{"strategy.slg.reps"});
  CHECK(paths_of(sold_business("  plg: {free_conversion_per_month: 0.01}\n  slg: {reps: 5, "
                               "inbound_lead_per_signup: 0, outbound_leads_per_rep_month: 0, "
                               "pql_assist: false}\n")) == Paths{"strategy.slg"});
  CHECK(paths_of(sold_business("  plg: {free_conversion_per_month: 0.01}\n  slg: {reps: 5}\n",
                               "      sales: {sold: true, sql_to_won: 0}\n")) ==
        Paths{"market.segments[0].sales.sql_to_won"});
  // With PQL assist (a free tier and a reachable PQL rule) PQLs still reach the reps.
  CHECK(paths_of(sold_business("  plg: {free_conversion_per_month: 0.01}\n  slg: {reps: 5}\n",
                               "      sales: {sold: true, mql_to_sql: 0}\n"))
            .empty());
  CHECK(paths_of(sold_business("  plg: {free_conversion_per_month: 0.01}\n"
                               "  slg: {reps: 5, pql_assist: false}\n",
                               "      sales: {sold: true, mql_to_sql: 0}\n")) ==
        Paths{"market.segments[0].sales"});
  CHECK(paths_of(sold_business("  plg: {free_conversion_per_month: 0.01}\n  slg: {reps: 5}\n",
                               "      sales: {sold: true, contract_price_multiplier: 0}\n")) ==
        Paths{"market.segments[0].price_usd_per_seat_month"});
}

TEST_CASE("warnings: referrals nobody sends, no champion sends or nobody accepts", "[warnings]") {
  const std::string plg = "  plg: {free_conversion_per_month: 0.01}\n";
  CHECK(paths_of(business(plg + "  referrals: {acceptance: 0.1}\n")) ==
        Paths{"strategy.referrals"});
  CHECK(paths_of(business(plg + "  referrals: {champion_invites_per_month: 2}\n")) ==
        Paths{"strategy.referrals.champion_invites_per_month"});
  CHECK(paths_of(business(plg + "  referrals: {champion_invites_per_month: 2}\n"),
                 {{"funnel.advocacy_per_month", "0.05"}})
            .empty());
  CHECK(paths_of(business(plg + "  referrals: {regular_invites_per_month: 2, acceptance: 0}\n")) ==
        Paths{"strategy.referrals.acceptance"});
}

TEST_CASE("warnings: network effects nobody can feel", "[warnings]") {
  CHECK(paths_of(business(), {{"market.segments[0].account_size.mean_people", "1"},
                              {"funnel.team_churn_reduction", "0.3"}}) ==
        Paths{"funnel.team_churn_reduction"});
  CHECK(paths_of(business(), {{"acquisition.imitation_q_per_month", "0.4"},
                              {"acquisition.word_of_mouth_sources", "[]"}}) ==
        Paths{"acquisition.word_of_mouth_sources"});
}

TEST_CASE("warnings: community programs with no effect", "[warnings]") {
  const std::string plg = "  plg: {free_conversion_per_month: 0.01}\n";
  CHECK(paths_of(business(plg + "  clg: {join_per_month: 0}\n")) ==
        Paths{"strategy.clg.join_per_month"});
  CHECK(paths_of(business(plg + "  clg:\n"
                                "    content: {enabled: true, people_reached_per_piece: 0}\n"
                                "    support: {enabled: true, answers_per_contributor_per_month: "
                                "0}\n"
                                "    events: {enabled: true}\n"
                                "    champions: {enabled: true, advocacy_multiplier: 1, "
                                "referral_multiplier: 1}\n"
                                "    co_creation: {enabled: true, activation_lift: 0, "
                                "churn_reduction: 0}\n"
                                "    trust: {enabled: true, conversion_multiplier: 1}\n")) ==
        Paths{"strategy.clg.content", "strategy.clg.support", "strategy.clg.events",
              "strategy.clg.champions", "strategy.clg.co_creation",
              "strategy.clg.trust.conversion_multiplier"});
  CHECK(paths_of(business(plg + "  clg:\n    content: {enabled: true}\n"
                                "    events: {enabled: true, budget_usd_per_month: 2000}\n"))
            .empty());
}

TEST_CASE("warnings: motive effects of a motive nobody has", "[warnings]") {
  const std::string plg = "  plg: {free_conversion_per_month: 0.01}\n";
  // Default weights (product 1, practice and play 0): practice and play effects act on nobody.
  CHECK(paths_of(business(plg + "  clg:\n    motive_effects:\n"
                                "      product: {churn_multiplier: 0.9}\n"
                                "      practice: {promotion_multiplier: 2}\n"
                                "      play: {conversion_multiplier: 0.8}\n")) ==
        Paths{"strategy.clg.motive_effects.practice", "strategy.clg.motive_effects.play"});
  CHECK(paths_of(business(plg + "  clg:\n    motives: {product: 0, practice: 1, play: 1}\n"
                                "    motive_effects: {product: {activation_multiplier: 2}}\n")) ==
        Paths{"strategy.clg.motive_effects.product"});
  CHECK(paths_of(business(plg + "  clg:\n    motives: {product: 1, practice: 1, play: 1}\n"
                                "    motive_effects: {play: {engagement_multiplier: 2}}\n"))
            .empty());
}

TEST_CASE("warnings: targets out of reach, or reached by construction", "[warnings]") {
  // The market's most: 1000 people x $10 = $10,000 MRR, $120,000 ARR.
  const auto target = [](const std::string& t) {
    return paths_of(business() + "targets:\n  - {" + t + ", by_month: 12}\n");
  };
  CHECK(target("metric: arr_usd, at_least: 120000").empty());
  CHECK(target("metric: arr_usd, at_least: 120001") == Paths{"targets[0].at_least"});
  CHECK(target("metric: mrr_usd, at_least: 10001") == Paths{"targets[0].at_least"});
  CHECK(target("metric: accounts_paying, at_least: 1000").empty());
  CHECK(target("metric: accounts_paying, at_least: 1001") == Paths{"targets[0].at_least"});
  CHECK(target("metric: free_to_paid, at_least: 5") == Paths{"targets[0].at_least"});
  CHECK(target("metric: logo_churn, at_most: -0.1") == Paths{"targets[0].at_most"});
  CHECK(target("metric: logo_churn, at_most: 2") == Paths{"targets[0].at_most"});  // 2%?
  CHECK(target("metric: logo_churn, at_most: 0.02").empty());
  CHECK(target("metric: nrr, at_least: 1.2").empty());  // not a share: NRR may pass 1
  // The top tier's price counts: 1.8 x $10 per seat.
  CHECK(paths_of(business("  plg: {free_conversion_per_month: 0.01, tiers: [{name: a, "
                          "price_multiplier: 1}, {name: b, price_multiplier: 1.8}]}\n") +
                 "targets: [{metric: arr_usd, at_least: 200000, by_month: 12}]\n")
            .empty());
}

TEST_CASE("warnings: a schedule change after the horizon never acts", "[warnings]") {
  const std::string yaml = business(
      "  plg: {free_conversion_per_month: 0.01}\n"
      "  marketing:\n"
      "    spend_usd_per_month: [{from_month: 0, value: 100}, {from_month: 35, value: 900}]\n");
  CHECK(paths_of(yaml).empty());  // 36 months by default, counted from 0: 35 is the last
  const std::vector<Diagnostic> late = warnings_of(yaml, {{"simulation.months", "35"}});
  REQUIRE(late.size() == 1);
  CHECK(late[0].path == "strategy.marketing.spend_usd_per_month[1].from_month");
  CHECK(late[0].line == 17);
  // Every scheduled parameter is checked: G&A, seat policies, sales programs too.
  const std::string more = business(
      "  plg: {free_conversion_per_month: 0.01, seat_add_per_month: [{from_month: 0, value: 1}, "
      "{from_month: 40, value: 0.5}]}\n",
      "economics:\n  ga_usd_per_month: [{from_month: 0, value: 10}, {from_month: 50, value: "
      "20}]\n");
  CHECK(paths_of(more) == Paths{"economics.ga_usd_per_month[1].from_month",
                                "strategy.plg.seat_add_per_month[1].from_month"});
}

TEST_CASE("warnings: no shipped scenario has any", "[warnings][scenarios]") {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(FLYWHEEL_SOURCE_DIR) / "scenarios";
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const bool sweep_spec = flywheel::test::in_spec_folder(entry.path());  // not scenarios
    if (!entry.is_regular_file() || entry.path().extension() != ".yaml" || sweep_spec) continue;
    INFO(entry.path().string());
    std::vector<Diagnostic> warnings;
    flywheel::load_scenario(entry.path().string(), {}, &warnings);
    for (const Diagnostic& w : warnings) UNSCOPED_INFO(w.to_string());
    CHECK(warnings.empty());
    ++checked;
  }
  CHECK(checked >= 15);  // scenarios/, hypotheses/ and validation/ (the docking cases)
}
