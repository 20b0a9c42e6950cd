// Schema part: community-led growth (strategy.clg). Frameworks the structure follows: the Orbit
// model's engagement levels (orbit.love, 2021), participation inequality "90-9-1" (Jakob
// Nielsen, 2006; used by FeverBee). Public benchmarks for most rates do not exist: defaults
// without a source are assumptions, and the meaning says so.
#include "param_schema_parts.hpp"

namespace flywheel::loader {

namespace {

template <auto... Members>
Accessor clg_field() {
  return field<&Scenario::strategy, &StrategySpec::clg, Members...>();
}

ValueType rate_schedule() {
  return schedule(Range{0, 1}, "a probability");
}
ValueType budget() {
  return schedule(Range{0}, "an amount in USD");
}
ValueType multiplier(double max = 100) {
  return number(Range{0, max}, "a multiplier");
}

// enabled + budget_usd_per_month of one program.
// Paths are string literals: a Param keeps a view of its path.
template <auto Program, class P>
std::vector<Param> program_head(std::string_view block_path, std::string_view enabled_path,
                                std::string_view budget_path, std::string_view meaning) {
  return {
      block(block_path, Presence::optional, "a map", meaning),
      defaulted(enabled_path, boolean(), false, "", "Run the program.",
                clg_field<Program, &P::enabled>()),
      defaulted(budget_path, budget(), Schedule::constant(0.0), "USD/month",
                "Program budget (counted in community spend while the program is enabled).",
                clg_field<Program, &P::budget_usd_per_month>()),
  };
}

std::vector<Param> community_params() {
  using C = ClgSpec;
  using M = ClgMotives;
  return {
      block("strategy.clg.motives", Presence::optional, "a map",
            "Why people come (weights, normalised to sum 1): product users join to use the "
            "product better; practice and play communities also draw non-users. Each member "
            "draws its motive when it joins: users from the three weights, non-users drawn in "
            "by the community from practice and play (motive_effects says what each does)."),
      defaulted("strategy.clg.motives.product", number(Range{0}), 1.0, "weight", "Product motive.",
                clg_field<&C::motives, &M::product>()),
      defaulted("strategy.clg.motives.practice", number(Range{0}), 0.0, "weight",
                "Practice (craft) motive.", clg_field<&C::motives, &M::practice>()),
      defaulted("strategy.clg.motives.play", number(Range{0}), 0.0, "weight",
                "Play (fun, belonging) motive.", clg_field<&C::motives, &M::play>()),
      defaulted("strategy.clg.join_per_month", rate_schedule(), Schedule::constant(0.05),
                "probability/month",
                "Evaluators and active users who join (before gravity and events). Assumption.",
                clg_field<&C::join_per_month>()),
      defaulted("strategy.clg.nonuser_draw_per_month", rate_schedule(), Schedule::constant(0.0),
                "probability/month",
                "Unaware people drawn in by the community, x (practice + play share) x gravity: "
                "they become aware through it and join. Assumption.",
                clg_field<&C::nonuser_draw_per_month>()),
      defaulted("strategy.clg.gravity", number(Range{0, 100}), 0.5, "x",
                "Join multiplier = 1 + gravity x ln(1 + active members / scale): bigger, more "
                "active communities attract more, with diminishing returns. Assumption.",
                clg_field<&C::gravity>()),
      defaulted("strategy.clg.gravity_scale_members", number(Range{0, kInf, true}), 1000.0,
                "people", "Active members (real people) at which gravity adds gravity x ln 2.",
                clg_field<&C::gravity_scale_members>()),
      defaulted("strategy.clg.gravity_retention", number(Range{0, 100}), 0.0, "x",
                "Members' leave hazard / (1 + gravity_retention x ln(1 + active members / "
                "gravity_scale_members)), active members at the step's middle as for joining: "
                "a bigger, livelier community holds its members too, with diminishing returns. "
                "0 = leaving ignores the community's size. Assumption.",
                clg_field<&C::gravity_retention>()),
      defaulted("strategy.clg.leave_per_month", rate_schedule(), Schedule::constant(0.05),
                "probability/month", "Members who leave (any level). Assumption.",
                clg_field<&C::leave_per_month>()),
      defaulted("strategy.clg.promote_exploring_per_month", probability(), 0.2, "probability/month",
                "Exploring -> participating. Assumption (Orbit model: most members stay "
                "observers).",
                clg_field<&C::promote_exploring_per_month>()),
      defaulted("strategy.clg.promote_participating_per_month", probability(), 0.05,
                "probability/month",
                "Participating -> contributing. Assumption, sized so contributors stay a small "
                "minority (participation inequality 90-9-1: Nielsen 2006).",
                clg_field<&C::promote_participating_per_month>()),
      defaulted("strategy.clg.promote_contributing_per_month", probability(), 0.05,
                "probability/month", "Contributing -> leading. Assumption.",
                clg_field<&C::promote_contributing_per_month>()),
      defaulted("strategy.clg.demote_per_month", probability(), 0.05, "probability/month",
                "Members above exploring who drop one level. Assumption.",
                clg_field<&C::demote_per_month>()),
      defaulted("strategy.clg.initial_members_share", probability(), 0.0, "share",
                "Active users at month 0 who are participating members (an existing community).",
                clg_field<&C::initial_members_share>()),
      defaulted("strategy.clg.member_churn_multiplier", schedule(Range{0, 100}, "a multiplier"),
                Schedule::constant(1.0), "x",
                "Multiplies the churn hazard of active members (participating and above); "
                "1 / 1.5 = members stay 1.5x longer.",
                clg_field<&C::member_churn_multiplier>()),
      defaulted("strategy.clg.team_size", schedule(Range{0}, "a number of people"),
                Schedule::constant(0.0), "people", "Community team (managers, DevRel).",
                clg_field<&C::team_size>()),
      defaulted("strategy.clg.team_cost_usd_per_month", number(Range{0}), 10000.0,
                "USD/person/month",
                "Fully loaded cost of one team member. Assumption: ~$85k/year salary x ~1.4 "
                "loaded; CMX's Community Industry Report publishes salary ranges to check it.",
                clg_field<&C::team_cost_usd_per_month>()),
  };
}

// What each motive does (strategy.clg.motive_effects): multipliers, 1 = no effect.
std::vector<Param> motive_effect_params() {
  using E = ClgMotiveEffects;
  using Pr = ClgProductEffects;
  using Pa = ClgPracticeEffects;
  using Pl = ClgPlayEffects;
  constexpr auto m = &ClgSpec::motive_effects;
  return {
      block("strategy.clg.motive_effects", Presence::optional, "a map",
            "What a member's motive (drawn when it joins: users from the motive weights, "
            "non-users drawn in by the community from practice and play) changes in its "
            "behaviour. Every multiplier defaults to 1 (no effect)."),
      block("strategy.clg.motive_effects.product", Presence::optional, "a map",
            "Members who came for the product: they learn it."),
      defaulted("strategy.clg.motive_effects.product.activation_multiplier", multiplier(), 1.0,
                "x",
                "Activation hazard (evaluator -> beginner) of a product member. Assumption: "
                "members who join to use the product better reach its value sooner (the "
                "community answers how-to questions, shows use cases).",
                clg_field<m, &E::product, &Pr::activation_multiplier>()),
      defaulted("strategy.clg.motive_effects.product.churn_multiplier", multiplier(), 1.0, "x",
                "Churn hazards (evaluator to champion) of a product member, on top of the "
                "active members' member_churn_multiplier. Assumption: users who invest in "
                "learning the product have more reasons to keep it.",
                clg_field<m, &E::product, &Pr::churn_multiplier>()),
      block("strategy.clg.motive_effects.practice", Presence::optional, "a map",
            "Members who came for the craft: they contribute."),
      defaulted("strategy.clg.motive_effects.practice.promotion_multiplier", multiplier(), 1.0,
                "x",
                "Participating -> contributing hazard of a practice member. Assumption: "
                "practitioners come to share what they know, so more of them start answering "
                "and writing.",
                clg_field<m, &E::practice, &Pa::promotion_multiplier>()),
      defaulted("strategy.clg.motive_effects.practice.contribution_multiplier", multiplier(),
                1.0, "x",
                "Answers and content pieces per month of a contributing or leading practice "
                "member (support capacity and content). Assumption: contributing is their "
                "reason to be there, so each contributes more.",
                clg_field<m, &E::practice, &Pa::contribution_multiplier>()),
      block("strategy.clg.motive_effects.play", Presence::optional, "a map",
            "Members who came for fun and belonging: they engage and bring peers, and buy less."),
      defaulted("strategy.clg.motive_effects.play.engagement_multiplier", multiplier(), 1.0, "x",
                "Exploring -> participating hazard of a play member. Assumption: people who "
                "come for the company of others take part rather than lurk.",
                clg_field<m, &E::play, &Pl::engagement_multiplier>()),
      defaulted("strategy.clg.motive_effects.play.word_of_mouth_multiplier",
                number(Range{0, 2.5}, "a multiplier"), 1.0, "x",
                "Weight of a play member as a word-of-mouth source (on top of the champion "
                "program's; at most 2.5: a network stores a source's weight in 16 bits). "
                "Assumption: belonging is shared, so they bring their peers.",
                clg_field<m, &E::play, &Pl::word_of_mouth_multiplier>()),
      defaulted("strategy.clg.motive_effects.play.conversion_multiplier", multiplier(), 1.0,
                "x",
                "Self-serve conversion hazard of a non-paying account with an active user who "
                "is a play member (on top of trust). Assumption: they come for the people, not "
                "for a tool to buy; applied to the account's conversion, not to activation, "
                "because paying is an account decision in the model and play members do use "
                "the product.",
                clg_field<m, &E::play, &Pl::conversion_multiplier>()),
  };
}

std::vector<Param> support_params() {
  using S = ClgSupport;
  constexpr auto p = &ClgSpec::support;
  auto out = program_head<p, S>("strategy.clg.support", "strategy.clg.support.enabled",
                                "strategy.clg.support.budget_usd_per_month",
                                "Community support: contributors answer beginners' questions.");
  out.insert(
      out.end(),
      {
          defaulted("strategy.clg.support.answers_per_contributor_per_month", number(Range{0}), 4.0,
                    "answers/person/month",
                    "Capacity of one contributing or leading member. "
                    "Assumption.",
                    clg_field<p, &S::answers_per_contributor_per_month>()),
          defaulted("strategy.clg.support.answers_per_team_member_per_month", number(Range{0}), 0.0,
                    "answers/person/month", "Capacity of one community team member.",
                    clg_field<p, &S::answers_per_team_member_per_month>()),
          defaulted("strategy.clg.support.activation_multiplier", multiplier(), 1.5, "x",
                    "Activation hazard of answered evaluators. Assumption.",
                    clg_field<p, &S::activation_multiplier>()),
          defaulted("strategy.clg.support.early_churn_multiplier", multiplier(), 0.7, "x",
                    "Evaluator and beginner churn hazard of the answered. Assumption.",
                    clg_field<p, &S::early_churn_multiplier>()),
      });
  return out;
}

std::vector<Param> content_params() {
  using S = ClgContent;
  constexpr auto p = &ClgSpec::content;
  auto out = program_head<p, S>("strategy.clg.content", "strategy.clg.content.enabled",
                                "strategy.clg.content.budget_usd_per_month",
                                "Content: contributors' pieces make new people aware.");
  out.insert(out.end(),
             {
                 defaulted("strategy.clg.content.pieces_per_contributor_per_month",
                           number(Range{0, 30}), 0.5, "pieces/person/month", "Assumption.",
                           clg_field<p, &S::pieces_per_contributor_per_month>()),
                 defaulted("strategy.clg.content.people_reached_per_piece", number(Range{0}), 200.0,
                           "people/piece",
                           "Unaware people made aware by one contributor's piece. Assumption.",
                           clg_field<p, &S::people_reached_per_piece>()),
                 defaulted("strategy.clg.content.planned_pieces_per_month",
                           schedule(Range{0}, "a number of pieces"), Schedule::constant(0.0),
                           "pieces/month",
                           "Pieces the company's team publishes a month (a planned cadence), on "
                           "top of the contributors' pieces: real pieces, not scaled by "
                           "agent_scale. Needs content.enabled (the program's switch, as for its "
                           "budget).",
                           clg_field<p, &S::planned_pieces_per_month>()),
                 defaulted("strategy.clg.content.people_reached_per_planned_piece",
                           number(Range{0}), 200.0, "people/piece",
                           "Unaware people made aware by one planned piece. Assumption, checked "
                           "against Animalz's 2020 Content Marketing Benchmark (animalz.co: "
                           "small company blogs reach a median ~45,000 pageviews a year, ~940 a "
                           "post at 4 posts a month); about a quarter of them people new to the "
                           "product is the assumption.",
                           clg_field<p, &S::people_reached_per_planned_piece>()),
                 defaulted("strategy.clg.content.usd_per_planned_piece", number(Range{0}), 500.0,
                           "USD/piece",
                           "Cost of one planned piece (writing, editing), in community spend. "
                           "Assumption: the middle of the $300-1,000 freelance range for a B2B "
                           "article; general blog writers ask less (median $150 for 1,500 "
                           "words, copy.ai survey 2022).",
                           clg_field<p, &S::usd_per_planned_piece>()),
             });
  return out;
}

std::vector<Param> event_params() {
  using S = ClgEvents;
  constexpr auto p = &ClgSpec::events;
  auto out = program_head<p, S>("strategy.clg.events", "strategy.clg.events.enabled",
                                "strategy.clg.events.budget_usd_per_month",
                                "Events: the join rate x (1 + max_join_lift x B / (B + half)).");
  out.insert(out.end(), {
                            defaulted("strategy.clg.events.max_join_lift", number(Range{0, 100}),
                                      0.5, "x", "Join lift at an unlimited budget. Assumption.",
                                      clg_field<p, &S::max_join_lift>()),
                            defaulted("strategy.clg.events.half_lift_budget_usd_per_month",
                                      number(Range{0, kInf, true}), 5000.0, "USD/month",
                                      "Budget that gives half the maximum lift.",
                                      clg_field<p, &S::half_lift_budget_usd_per_month>()),
                        });
  return out;
}

std::vector<Param> champion_params() {
  using S = ClgChampions;
  constexpr auto p = &ClgSpec::champions;
  auto out = program_head<p, S>("strategy.clg.champions", "strategy.clg.champions.enabled",
                                "strategy.clg.champions.budget_usd_per_month",
                                "Champion program: member champions advocate and refer more.");
  out.insert(
      out.end(),
      {
          defaulted("strategy.clg.champions.advocacy_multiplier", multiplier(), 1.5, "x",
                    "Regular -> champion hazard of members. Assumption.",
                    clg_field<p, &S::advocacy_multiplier>()),
          defaulted("strategy.clg.champions.referral_multiplier", multiplier(), 2.0, "x",
                    "Word-of-mouth weight of a champion who is an active member. Assumption.",
                    clg_field<p, &S::referral_multiplier>()),
      });
  return out;
}

std::vector<Param> co_creation_params() {
  using S = ClgCoCreation;
  constexpr auto p = &ClgSpec::co_creation;
  auto out = program_head<p, S>(
      "strategy.clg.co_creation", "strategy.clg.co_creation.enabled",
      "strategy.clg.co_creation.budget_usd_per_month",
      "Co-creation: contributors' feedback raises a product-quality index in [0, 1].");
  out.insert(out.end(),
             {
                 defaulted("strategy.clg.co_creation.feedback_scale_members",
                           number(Range{0, kInf, true}), 500.0, "people",
                           "Target quality = 1 - exp(-contributing and leading members / this).",
                           clg_field<p, &S::feedback_scale_members>()),
                 defaulted("strategy.clg.co_creation.lag_months", number(Range{0, kInf, true}), 6.0,
                           "months", "Quality moves toward the target with this time constant.",
                           clg_field<p, &S::lag_months>()),
                 defaulted("strategy.clg.co_creation.activation_lift", number(Range{0, 10}), 0.2,
                           "x", "Activation x (1 + this x quality) for everyone. Assumption.",
                           clg_field<p, &S::activation_lift>()),
                 defaulted("strategy.clg.co_creation.churn_reduction", probability(), 0.15, "share",
                           "Churn x (1 - this x quality) for everyone. Assumption.",
                           clg_field<p, &S::churn_reduction>()),
             });
  return out;
}

std::vector<Param> trust_params() {
  using S = ClgTrust;
  constexpr auto p = &ClgSpec::trust;
  auto out = program_head<p, S>("strategy.clg.trust", "strategy.clg.trust.enabled",
                                "strategy.clg.trust.budget_usd_per_month",
                                "Trust: accounts with an active user who came through the "
                                "community (aware by it, or an active member) convert better.");
  out.insert(out.end(),
             {
                 defaulted("strategy.clg.trust.conversion_multiplier", multiplier(), 1.3, "x",
                           "Self-serve conversion rate of such accounts. Assumption.",
                           clg_field<p, &S::conversion_multiplier>()),
             });
  return out;
}

}  // namespace

std::vector<Param> clg_params() {
  const auto enabled = field<&Scenario::strategy, &StrategySpec::clg, &ClgSpec::enabled>;
  std::vector<Param> out = {
      lever_block("strategy.clg",
                  "Community-led growth (phase 4): the community, engagement and programs.",
                  enabled()),
      enabled_switch("strategy.clg.enabled", enabled()),
  };
  for (auto part : {community_params, motive_effect_params, support_params, content_params, event_params, champion_params,
                    co_creation_params, trust_params, community_cost_params}) {
    for (Param& p : part()) out.push_back(std::move(p));
  }
  return out;
}

}  // namespace flywheel::loader
