#include "param_schema.hpp"

#include "param_schema_parts.hpp"

#include <algorithm>
#include <stdexcept>

namespace flywheel::loader {

namespace {

const std::vector<std::string_view> kSourceStages = {"aware", "evaluator", "beginner", "regular",
                                                     "champion"};

std::vector<Param> top_level_params() {
  return {
      required("name", simple(Kind::label, "a non-empty string"), "",
               "Scenario name, echoed in every output.", field<&Scenario::name>()),
      defaulted("description", simple(Kind::text, "a string"), std::string(), "",
                "One-line description, echoed in outputs.", field<&Scenario::description>()),
      optional("extends", simple(Kind::label, "a path to a scenario file"), "path",
               "Base scenario, relative to this file's folder. The base is loaded first "
               "(recursively), then this file's keys are merged over it: maps merge key by key, "
               "numbers, strings and lists replace.",
               {}),
  };
}

std::vector<Param> simulation_params() {
  using S = SimulationSpec;
  return {
      block("simulation", Presence::optional, "a map", "Horizon, time step, replicates, seed."),
      defaulted("simulation.months", integer(1, 600, "an integer number of months"),
                integer_value(36), "months", "Horizon: calendar months of 30.4375 days.",
                field<&Scenario::simulation, &S::months>()),
      defaulted("simulation.step", choice({"day", "week", "month"}), std::string("week"), "",
                "Time step: every month cut into 30 (day, 1.015 days), 4 (week, 7.61 days) or 1 "
                "equal steps, so months hold the same steps and end on one. Rates become "
                "per-step hazards 1-(1-p)^(dt/month); results converge with the step "
                "(docs/model.md#time).",
                field<&Scenario::simulation, &S::step>()),
      defaulted("simulation.replicates", integer(1, 1e6), integer_value(100), "runs",
                "Monte Carlo replicates, each with its own random streams.",
                field<&Scenario::simulation, &S::replicates>()),
      defaulted("simulation.seed", integer(0, 4294967295.0), integer_value(1), "",
                "Root seed: the same seed gives byte-identical outputs on any thread count.",
                field<&Scenario::simulation, &S::seed>()),
      defaulted("simulation.agent_scale", integer(1, 1e6), integer_value(1), "accounts",
                "One simulated account stands for this many real ones; reported counts and "
                "money are scaled back.",
                field<&Scenario::simulation, &S::agent_scale>()),
  };
}

std::vector<Param> market_params() {
  using G = Segment;
  using A = AccountSize;
  return {
      block("market", Presence::required, "a map with people and segments",
            "The addressable market: its people and their segments."),
      required("market.people", integer(1, 2e9, "an integer number of people"), "people",
               "Total addressable people.", field<&Scenario::market, &MarketSpec::people>()),
      list("market.segments", Presence::required, "a non-empty list of segments", 1,
           "Segments (e.g. SMB, mid-market, enterprise); their shares sum to 1 (within 1e-6).",
           list_field<&Scenario::market, &MarketSpec::segments>()),
      required("market.segments[].name",
               simple(Kind::identifier, "a name matching [a-z][a-z0-9_]*"), "",
               "Segment name, unique, used in outputs.", segment_field<&G::name>()),
      required("market.segments[].share", number(Range{0, 1, true}, "a share"), "share",
               "Share of the market's people in this segment.", segment_field<&G::share>()),
      block("market.segments[].account_size", Presence::optional, "a map",
            "People per account (company): at least 1, at most max_people."),
      defaulted("market.segments[].account_size.distribution",
                choice({"fixed", "geometric", "lognormal"}), std::string("geometric"), "",
                "fixed: every account has mean_people; geometric: 1 + a geometric count with "
                "mean mean_people; lognormal: mean mean_people, log-scale sd sigma.",
                segment_field<&G::account_size, &A::distribution>()),
      defaulted("market.segments[].account_size.mean_people",
                number(Range{1}, "a number of people"), 3.0, "people", "Mean people per account.",
                segment_field<&G::account_size, &A::mean_people>()),
      defaulted("market.segments[].account_size.sigma", number(Range{0, kInf, true}), 1.0,
                "log(people)", "Lognormal only: standard deviation of log(size).",
                segment_field<&G::account_size, &A::sigma>()),
      defaulted("market.segments[].account_size.max_people",
                integer(1, 1e9, "an integer number of people"), integer_value(1000), "people",
                "Largest account; at least mean_people.",
                segment_field<&G::account_size, &A::max_people>()),
      defaulted("market.segments[].price_usd_per_seat_month", number(Range{0}, "an amount in USD"),
                0.0, "USD/seat/month", "List price of one paid seat.",
                segment_field<&G::price_usd_per_seat_month>()),
      defaulted("market.segments[].cancel_per_month", probability(), 0.0, "probability/month",
                "Voluntary cancellation of a paying account.",
                segment_field<&G::cancel_per_month>()),
  };
}

std::vector<Param> acquisition_params() {
  using Q = AcquisitionSpec;
  return {
      block("acquisition", Presence::optional, "a map",
            "Channels that need no strategy lever: Bass diffusion "
            "(docs/model.md#one-step-the-phases)."),
      defaulted("acquisition.innovation_p_per_month", number(Range{0, 100}, "a rate per month"),
                0.0, "1/month",
                "Bass p: spontaneous (organic, search) awareness, a continuous-time rate. "
                "Sultan, Farley & Lehmann (1990) average p = 0.03 per year.",
                field<&Scenario::acquisition, &Q::innovation_p_per_month>()),
      defaulted("acquisition.imitation_q_per_month", number(Range{0, 100}, "a rate per month"), 0.0,
                "1/month",
                "Bass q: word-of-mouth awareness rate, times the share of people in a source "
                "stage. Sultan, Farley & Lehmann (1990) average q = 0.38 per year.",
                field<&Scenario::acquisition, &Q::imitation_q_per_month>()),
      defaulted("acquisition.word_of_mouth_sources",
                {Kind::stage_list, "a list of stages", {}, kSourceStages},
                StageSet{false, false, false, false, true, true, false}, "",
                "Stages whose people spread word of mouth.",
                field<&Scenario::acquisition, &Q::word_of_mouth_sources>()),
  };
}

Param funnel_probability(std::string_view path, std::string_view meaning, double FunnelSpec::*m) {
  return defaulted(path, probability(), 0.0, "probability/month", meaning,
                   Accessor{[m](Scenario& s, const Indices&, const Value& v) {
                              s.funnel.*m = std::get<double>(v);
                            },
                            [m](const Scenario& s, const Indices&) { return Value{s.funnel.*m}; }});
}

Param churn(std::string_view path, Stage stage, std::string_view meaning) {
  return defaulted(path, probability(), 0.0, "probability/month", meaning, churn_field(stage));
}

std::vector<Param> funnel_params() {
  using F = FunnelSpec;
  return {
      block("funnel", Presence::optional, "a map",
            "Per-person flywheel transitions: probabilities per month, turned into per-step "
            "hazards."),
      funnel_probability("funnel.signup_per_month", "aware -> evaluator: sign up.",
                         &F::signup_per_month),
      funnel_probability("funnel.forget_per_month", "aware -> unaware: lose interest.",
                         &F::forget_per_month),
      funnel_probability("funnel.activation_per_month",
                         "evaluator -> beginner: reach first value (activation).",
                         &F::activation_per_month),
      defaulted("funnel.activation_window_days", number(Range{0}, "a number of days"), 0.0, "days",
                "Evaluators not activated within this many days drop out; 0 = no window.",
                field<&Scenario::funnel, &F::activation_window_days>()),
      funnel_probability("funnel.adoption_per_month", "beginner -> regular: make it a habit.",
                         &F::adoption_per_month),
      funnel_probability("funnel.advocacy_per_month", "regular -> champion: advocate.",
                         &F::advocacy_per_month),
      funnel_probability("funnel.reactivation_per_month",
                         "churned -> beginner (evaluator if never activated): come back.",
                         &F::reactivation_per_month),
      block("funnel.churn_per_month", Presence::optional, "a map",
            "Churn hazards by stage: the person leaves (churned)."),
      churn("funnel.churn_per_month.evaluator", Stage::evaluator, "Evaluators who leave."),
      churn("funnel.churn_per_month.beginner", Stage::beginner, "Beginners who leave."),
      churn("funnel.churn_per_month.regular", Stage::regular, "Regulars who leave."),
      churn("funnel.churn_per_month.champion", Stage::champion, "Champions who leave."),
      defaulted("funnel.paid_churn_multiplier", number(Range{0, 10}, "a multiplier"), 1.0, "x",
                "Multiplies the churn hazard of beginners, regulars and champions whose account "
                "pays (a paid team has onboarded and committed): 0.5 = half the hazard.",
                field<&Scenario::funnel, &F::paid_churn_multiplier>()),
      defaulted("funnel.team_adoption_lift", number(Range{0, 100}, "a multiplier"), 0.0, "x",
                "Network effect within accounts: the adoption hazard x (1 + lift x s), s = share "
                "of the person's teammates who are active users (previous step; quarters). An "
                "assumption per product: 0 = no effect.",
                field<&Scenario::funnel, &F::team_adoption_lift>()),
      defaulted("funnel.team_churn_reduction", probability(), 0.0, "share",
                "Network effect within accounts: the churn hazard of active users x "
                "(1 - reduction x s), s as for team_adoption_lift. An assumption: 0 = no effect.",
                field<&Scenario::funnel, &F::team_churn_reduction>()),
      defaulted("funnel.teammate_invites_per_month", number(Range{0, 100}, "a rate"), 0.0,
                "invites/active user/month",
                "Colleagues reached through the account: each active user's in-product invites "
                "sign up each teammate who has not signed up yet at rate r x a / (n - 1) (a "
                "active users among n people, while the account has access), as evaluators of "
                "channel team; the account's growth is bounded by its own people. 0 = off.",
                field<&Scenario::funnel, &F::teammate_invites_per_month>()),
  };
}

std::vector<Param> initial_and_target_params() {
  const std::vector<std::string_view> all_stages(kStageNames.begin(), kStageNames.end());
  return {
      block("initial", Presence::optional, "a map", "The start state at month 0."),
      defaulted("initial.stage_shares",
                {Kind::stage_shares, "a map from stage names to shares", {}, all_stages},
                StageShares{1, 0, 0, 0, 0, 0, 0}, "share of people",
                "Share of people in each stage at month 0; stages left out are 0; shares sum "
                "to 1 (within 1e-6).",
                field<&Scenario::initial, &InitialSpec::stage_shares>()),
      list("targets", Presence::optional, "a list of targets", 0,
           "Goals whose probability of being reached is reported.",
           list_field<&Scenario::targets>()),
      required("targets[].metric",
               simple(Kind::metric, "a metric name from docs/metrics.md, e.g. arr_usd"), "",
               "A reported metric, by name (docs/metrics.md), e.g. arr_usd or logo_churn.",
               target_field<&Target::metric>()),
      optional("targets[].at_least", number(Range{}), "metric's unit",
               "Reached when the metric is >= this at some month 1..by_month.",
               target_field<&Target::at_least>()),
      optional("targets[].at_most", number(Range{}), "metric's unit",
               "Reached when the metric is <= this at some month 1..by_month.",
               target_field<&Target::at_most>()),
      required("targets[].by_month", integer(1, 600, "an integer number of months"), "months",
               "Deadline; at most simulation.months.", target_field<&Target::by_month>()),
  };
}

}  // namespace

ParamSchema::ParamSchema() {
  for (auto part : {top_level_params, simulation_params, market_params, acquisition_params,
                    network_params, funnel_params, strategy_params, plg_params, slg_params,
                    clg_params, referral_params, economics_params, initial_and_target_params}) {
    for (Param& p : part()) params_.push_back(std::move(p));
  }
  for (const Param& p : params_) children_[std::string(parent_of(p.path))].push_back(&p);
}

const std::vector<const Param*>& ParamSchema::children(std::string_view parent) const {
  static const std::vector<const Param*> none;
  const auto it = children_.find(parent);
  return it == children_.end() ? none : it->second;
}

const Param* ParamSchema::find(std::string_view path) const {
  const auto it = std::find_if(params_.begin(), params_.end(),
                               [path](const Param& p) { return p.path == path; });
  return it == params_.end() ? nullptr : &*it;
}

const ParamSchema& param_schema() {
  static const ParamSchema schema;  // immutable after construction
  return schema;
}

std::string_view parent_of(std::string_view path) {
  const std::size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : path.substr(0, dot);
}

std::string_view key_of(std::string_view path) {
  const std::size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

}  // namespace flywheel::loader
