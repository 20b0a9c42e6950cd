// Twin's layout (the plans the scenario's mechanisms register, the compartments stored, the
// blocks after the flows), its month's rates, its initial state, the market-wide stocks and the
// right-hand side that calls each mechanism's flows (twin.hpp).
#include "community_block.hpp"
#include "lanes.hpp"
#include "team_effects.hpp"
#include "twin.hpp"

#include "model/trial.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace flywheel::meanfield {

namespace {

// A monthly probability as a hazard per month; a probability of 1 ("at once") as a hazard of
// one a day, fast against every other rate of the model.
double rate(double p_per_month) {
  if (!(p_per_month > 0.0)) return 0.0;
  if (p_per_month >= 1.0) return kAtOnce;
  return std::min(kAtOnce, -std::log1p(-p_per_month));
}

}  // namespace

Twin::Twin(const Scenario& s)
    : scenario(s), model(s, 0), classes(size_classes(s)) {
  const PlgSpec& plg = s.strategy.plg;
  tiers = std::max<int>(1, plg.enabled ? static_cast<int>(plg.tiers.size()) : 1);
  access_always.assign(kFirstExtraPlan, false);
  // Mechanisms with plans of their own register them here, before the paid tiers.
  if (plg.enabled && plg.trial.enabled) {
    trial0 = add_plans(kTrialPhases, true);
    first_signup_plan = trial0;  // an account starts its trial with its first signup
  }
  if (s.strategy.slg.enabled) {
    queue_plan = add_plans(1, false);
    work0 = add_plans(kCyclePhases, false);
    cool_plan = add_plans(1, false);
    contract0 = add_plans(kTermPhases, true);
  }
  paid0 = plans;
  plans = paid0 + tiers;
  access_always.resize(static_cast<std::size_t>(plans), true);
  lay_out_window(*this);  // the activation window's conveyor (activation_window.cpp)
  // The compartments stored: channels that make people aware (not invites; the community's and
  // sales' only when on), the window's bins up to its dropout (bin 0 without a window).
  bins = window_shifts > 0 ? window_drop + 1 : 1;
  for (int c = 0; c < kChannelCount; ++c) {
    const auto channel = static_cast<Channel>(c);
    if (channel == Channel::referral || channel == Channel::team) continue;
    if (channel == Channel::community && !s.strategy.clg.enabled) continue;
    if (channel == Channel::sales && !s.strategy.slg.enabled) continue;
    aware_channels.push_back(c);
  }
  row.fill(-1);
  auto keep = [&](int c) {
    row[static_cast<std::size_t>(c)] = static_cast<int>(compartments.size());
    compartments.push_back(c);
  };
  keep(cUnaware);
  for (int c : aware_channels) keep(cAware + c);
  for (int i = 0; i < bins; ++i) keep(cEvaluator + i);
  for (int c = cBeginner; c <= cChurnedEver; ++c) keep(c);
  if (window_split_monthly) {
    keep(cWinToMonthEnd);
    keep(cWinMass);
    keep(cWinMoment);
  }
  rows = static_cast<int>(compartments.size());
  // The rows that hold people (the window split's come last) by their stage and activity.
  for (int c : compartments) {
    if (c > cChurnedEver) break;
    row_stage.push_back(c == cUnaware          ? int(Stage::unaware)
                        : c < cEvaluator       ? int(Stage::aware)
                        : c < cBeginner        ? int(Stage::evaluator)
                        : c == cBeginner       ? int(Stage::beginner)
                        : c == cRegular        ? int(Stage::regular)
                        : c == cChampion       ? int(Stage::champion)
                                               : int(Stage::churned));
    row_active.push_back(is_active_compartment(c));
  }
  people_rows = static_cast<int>(row_stage.size());
  lanes = (classes.size() + kLanes - 1) / kLanes * kLanes;
  flows_at = seats_row(plans);
  origins_at = flows_at + kFlows;
  // Blocks after the flows: signups by channel so far, the contracts' seats still to ramp (one
  // per class, with sales), the community's block (with a community).
  ramp_at = origins_at + kChannelCount;
  if (contract0 >= 0) block_signups.assign(classes.size() * static_cast<std::size_t>(plans), 0.0);
  community_at = ramp_at + (contract0 >= 0 ? classes.size() : 0);
  tags_at = community_at + (s.strategy.clg.enabled ? kCommunitySize : 0);
  tag_row.assign(static_cast<std::size_t>(plans), -1);
  for (int plan = 0; plan < plans; ++plan) {
    if (plan != kUntouched && (s.strategy.slg.enabled || pays(plan) || plan == kCancelled)) {
      tag_row[static_cast<std::size_t>(plan)] = tag_plans++;
    }
  }
  has_community = s.strategy.clg.enabled;
  // Teammate invites: the laws after the tags (size() counts them).
  lay_out_laws(*this, size());
  for (const SizeClass& c : classes) largest_class = std::max(largest_class, c.size);
  people_total = static_cast<double>(s.market.people);
  sizes.assign(lanes, 1.0);
  for (std::size_t k = 0; k < classes.size(); ++k) sizes[k] = classes[k].size;
  pools.assign(static_cast<std::size_t>(plans) * 4 * lanes, 0.0);
  active_changes.assign(static_cast<std::size_t>(plans) * 4 * lanes, 0.0);
  scratch.assign(kScratchRows * lanes, 0.0);
  set_month(0);
}

void Twin::set_month(int month) {
  current_month = month;
  const Scenario& s = scenario;
  const FunnelSpec& f = s.funnel;
  MonthRates r;
  r.signup = rate(f.signup_per_month);
  r.forget = rate(f.forget_per_month);
  r.activation = rate(f.activation_per_month) * model.onboarding_activation_multiplier(month);
  r.adoption = rate(f.adoption_per_month);
  r.advocacy = rate(f.advocacy_per_month);
  r.reactivation = rate(f.reactivation_per_month);
  for (int st = 0; st < kStageCount; ++st) r.churn[st] = rate(f.churn_per_month[st]);
  r.paid_churn = f.paid_churn_multiplier;
  r.innovation = s.acquisition.innovation_p_per_month;
  r.imitation = s.acquisition.imitation_q_per_month;
  r.paid_bought = s.strategy.marketing.spend_usd_per_month.at(month) /
                  s.strategy.marketing.cost_per_aware_usd;
  r.source = s.acquisition.word_of_mouth_sources;
  const ReferralSpec& ref = s.strategy.referrals;
  if (ref.enabled) {
    r.referral_regular = std::max(0.0, ref.regular_invites_per_month.at(month));
    r.referral_champion = std::max(0.0, ref.champion_invites_per_month.at(month));
    r.referral_accept = ref.acceptance_probability();
  }
  r.teammate_invites = f.teammate_invites_per_month;
  r.team_adoption_lift = f.team_adoption_lift;
  r.team_churn_reduction = f.team_churn_reduction;
  const PlgSpec& plg = s.strategy.plg;
  r.self_serve = plg.enabled && plg.free_tier;
  if (r.self_serve) {
    r.free_conversion = rate(plg.free_conversion_per_month.at(month));
    r.pql_conversion = rate(plg.pql_conversion_per_month.at(month));
  }
  r.pql_min_active = plg.pql_min_active_users;
  r.min_seats = plg.min_seats;
  // Without a seat policy seats follow active users at once (seats.cpp).
  r.seat_add = plg.enabled ? rate(plg.seat_add_per_month.at(month)) : rate(1.0);
  r.seat_removal = plg.enabled ? rate(plg.seat_removal_per_month.at(month)) : rate(1.0);
  if (plg.enabled && tiers > 1) {
    r.upgrade = rate(plg.upgrade_per_month.at(month));
    r.downgrade = rate(plg.downgrade_per_month.at(month));
  }
  for (const Segment& g : s.market.segments) r.cancel.push_back(rate(g.cancel_per_month));
  const bool team_changed = team_at.empty() ||
                            r.team_adoption_lift != rates.team_adoption_lift ||
                            r.team_churn_reduction != rates.team_churn_reduction;
  rates = std::move(r);
  if (team_changed) {
    team_at.resize(classes.size());
    std::size_t at = 0;
    for (std::size_t k = 0; k < classes.size(); ++k) {
      team_at[k] = at;
      at += static_cast<std::size_t>(classes[k].size) + 1;
    }
    team_adoption.resize(at);
    team_churn.resize(at);
    for (std::size_t k = 0; k < classes.size(); ++k) {
      team_multipliers(rates, classes[k].size - 1, &team_adoption[team_at[k]],
                       &team_churn[team_at[k]]);
    }
  }
  sales = sales_month(*this, month);
  if (has_community) community = community_rates(*this, month);
}

int Twin::add_plans(int count, bool with_access) {
  const int first = plans;
  plans += count;
  access_always.resize(static_cast<std::size_t>(plans), with_access);
  return first;
}

State Twin::initial_state() const {
  State y(size(), 0.0);
  const auto& shares = scenario.initial.stage_shares;
  const double unaware = shares[static_cast<int>(Stage::unaware)];
  const double aware = shares[static_cast<int>(Stage::aware)];
  const double outside = unaware + aware;  // not signed up
  const int initial_aware = cAware + static_cast<int>(Channel::initial);
  // The stages of people who signed up (evaluator to churned); people who start churned
  // activated once (population.cpp).
  const std::array<std::pair<int, Stage>, 5> signed_up = {
      std::pair{cEvaluator, Stage::evaluator}, {cBeginner, Stage::beginner},
      {cRegular, Stage::regular}, {cChampion, Stage::champion}, {cChurnedEver, Stage::churned}};
  for (std::size_t k = 0; k < classes.size(); ++k) {
    const SizeClass& c = classes[k];
    // Each person's start stage is drawn on its own: an account is untouched when all of its
    // people start unaware or aware.
    const double untouched = c.accounts * std::pow(outside, c.size);
    const double touched = c.accounts - untouched;
    y[accounts_at(k, kUntouched)] = untouched;
    if (outside > 0.0) {
      y[person(k, kUntouched, kRest, cUnaware)] = untouched * c.size * unaware / outside;
      y[person(k, kUntouched, kRest, initial_aware)] = untouched * c.size * aware / outside;
    }
    if (!(touched > 1e-12 * c.accounts)) continue;
    // A touched account's first signer is one of its signed-up people: an evaluator (a
    // prospect) or someone who has activated (an engaged prospect); its others hold the rest of
    // the touched accounts' people, shared by the two plans in proportion to their accounts.
    const double people = c.accounts * c.size;
    const double signed_up_share = 1.0 - outside;
    const double dormant = touched * shares[static_cast<int>(Stage::evaluator)] / signed_up_share;
    const std::array<std::pair<int, double>, 2> plans_share = {
        std::pair{kProspect, dormant / touched}, {kEngaged, 1.0 - dormant / touched}};
    const double rest_outside = std::max(0.0, people * outside - untouched * c.size);
    for (const auto& [plan, part] : plans_share) {
      y[accounts_at(k, plan)] = touched * part;
      for (const auto& [comp, stage] : signed_up) {
        const double share = shares[static_cast<int>(stage)];
        const double first = touched * share / signed_up_share;
        const bool mine = (stage == Stage::evaluator) == (plan == kProspect);
        if (mine) y[person(k, plan, kFirst, comp)] = first;
        y[person(k, plan, kRest, comp)] = part * std::max(0.0, people * share - first);
      }
      if (outside > 0.0) {
        y[person(k, plan, kRest, cUnaware)] = part * rest_outside * unaware / outside;
        y[person(k, plan, kRest, initial_aware)] = part * rest_outside * aware / outside;
      }
    }
  }
  window_initial(*this, y);  // evaluators at the start (activation_window.cpp)
  if (has_community) community_initial(*this, y);
  laws_initial(*this, y);
  return y;
}

namespace {

// The market-wide stocks (Aggregates) and, with `pools`, each block's people per group, active
// and not (Twin::pools), in one pass over the people's rows: each row is read once for both.
// Each stage's people are summed over plans and groups as rows of classes (compartments in
// their stored order, so each row's sum is taken in a fixed order), then over classes.
FLYWHEEL_SWEEP Aggregates stage_sums(const Twin& twin, const State& y, bool pools) {
  const std::size_t lanes = twin.lanes;
  double* by_stage_rows = twin.scratch_row(0);  // kStageCount rows
  std::fill(by_stage_rows, by_stage_rows + kStageCount * lanes, 0.0);
  if (pools) std::fill(twin.pools.begin(), twin.pools.end(), 0.0);
  for (int plan = 0; plan < twin.plans; ++plan) {
    for (int group = kFirst; group <= kRest; ++group) {
      const double* b = y.data() + twin.row_at(plan, group, 0);
      double* active = twin.pools.data() + static_cast<std::size_t>(plan * 4 + 2 * group) * lanes;
      for (int r = 0; r < twin.people_rows; ++r, b += lanes) {
        double* stage = by_stage_rows + static_cast<std::size_t>(twin.row_stage[r]) * lanes;
        if (pools) {
          double* to = twin.row_active[r] ? active : active + lanes;
#pragma GCC ivdep
          for (std::size_t k = 0; k < lanes; ++k) {
            stage[k] += b[k];
            to[k] += std::max(0.0, b[k]);
          }
        } else {
#pragma GCC ivdep
          for (std::size_t k = 0; k < lanes; ++k) stage[k] += b[k];
        }
      }
    }
  }
  std::array<double, kStageCount> by_stage{};
  for (int st = 0; st < kStageCount; ++st) {
    by_stage[st] = lane_sum(by_stage_rows + static_cast<std::size_t>(st) * lanes, lanes);
  }
  Aggregates a;
  a.unaware = by_stage[int(Stage::unaware)];
  a.aware = by_stage[int(Stage::aware)];
  a.signable = a.unaware + a.aware;
  a.evaluators = by_stage[int(Stage::evaluator)];
  a.beginners = by_stage[int(Stage::beginner)];
  a.regulars = by_stage[int(Stage::regular)];
  a.champions = by_stage[int(Stage::champion)];
  for (int st = 0; st < kStageCount; ++st) {
    if (twin.rates.source[st]) a.sources += by_stage[st];
  }
  return a;
}

}  // namespace

Aggregates aggregates(const Twin& twin, const State& y) { return stage_sums(twin, y, false); }

void Twin::rhs(const State& y, State& dy, double t) const {
  ++evaluations;
  month_phase = std::clamp(t - current_month, 0.0, 1.0);
  std::fill(dy.begin(), dy.end(), 0.0);
  for (const MovePair& m : move_pairs) move_slot[static_cast<std::size_t>(m.from * plans + m.to)] = -1;
  move_pairs.clear();
  if (laws.on) {
    laws.moves.clear();
    laws.profiles.clear();
  }
  // Head counts once per evaluation: the people's and the accounts' flows both read them.
  heads.resize(classes.size() * static_cast<std::size_t>(plans));
  std::fill(active_changes.begin(), active_changes.end(), 0.0);
  // The pools and the market-wide stocks in one pass (the head counts below do not change them).
  const Aggregates agg = stage_sums(*this, y, true);
  // The closure's head counts; the loop is compiled apart with and without teammate invites, so
  // that without them it is as it was (a check or call per block reshapes it).
  auto closure_heads = [&](auto with_laws) {
    for (std::size_t k = 0; k < classes.size(); ++k) {
      const int n = classes[k].size;
      for (int plan = kProspect; plan < plans; ++plan) {
        const double accounts = y[accounts_at(k, plan)];
        HeadCount& head = heads[k * static_cast<std::size_t>(plans) + static_cast<std::size_t>(plan)];
        if (!(accounts > 1e-300)) {
          head.assign(0.0, 0, 0.0);
          continue;
        }
        // Teammate invites: a block that carries a law reads it instead (below).
        if constexpr (decltype(with_laws)::value) {
          if (laws.has(k * static_cast<std::size_t>(plans) + static_cast<std::size_t>(plan))) continue;
        }
        auto active = [&](int group) {
          const People<const double> b = people(y, k, plan, group);
          return std::max(0.0, b[cBeginner] + b[cRegular] + b[cChampion]);
        };
        head.assign(active(kFirst) / accounts, n - 1,
                    n > 1 ? active(kRest) / (accounts * (n - 1)) : 0.0);
      }
    }
  };
  if (laws.on) {
    closure_heads(std::true_type{});
  } else {
    closure_heads(std::false_type{});
  }
  // Teammate invites: the blocks that carry a law read it, in a pass of its own.
  if (laws.on) {
    for (std::size_t k = 0; k < classes.size(); ++k) {
      for (int plan = kProspect; plan < plans; ++plan) {
        const std::size_t b = k * static_cast<std::size_t>(plans) + static_cast<std::size_t>(plan);
        if (laws.has(b) && y[accounts_at(k, plan)] > 1e-300) begin_law(*this, y, k, plan, heads[b]);
      }
    }
  }
  // The community's and trials' couplings.
  Couplings with = has_community ? community_couplings(*this, agg, y) : Couplings{};
  with.signup_no_access *= model::trial_signup_multiplier(model);  // card-required trials
  if (!block_signups.empty()) std::fill(block_signups.begin(), block_signups.end(), 0.0);
  people_flows(*this, agg, with, y, dy);
  // The window's dropouts split at month ends leave the community as they happen (the
  // conveyor's at its shifts): members among the evaluators alike.
  if (window_split_monthly && has_community && agg.evaluators > 0.0) {
    community_window_leaving(*this, y, dy, dy[flows_at + f_evaluator_dropouts] / agg.evaluators);
  }
  account_flows(*this, with, y, dy);
  trial_flows(*this, y, dy);
  sales_flows(*this, y, dy);
  contract_flows(*this, y, dy);
  apply_moves(*this, y, dy);  // before the community reads the access lost
  if (has_community) community_flows(*this, agg, with, y, dy);
  tag_flows(*this, y, dy);
  law_flows(*this, y, dy);
  for (int c = 0; c < kChannelCount; ++c) dy[origins_at + c] = dy[flows_at + f_signups + c];
}

}  // namespace flywheel::meanfield
