#include "community_programs.hpp"

#include "community.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::model {

double answer_probability(double capacity_per_month, double step_months, std::int64_t askers) {
  const double capacity = std::max(0.0, capacity_per_month) * step_months;
  if (!(capacity > 0.0)) return 0.0;
  if (askers <= 0) return 1.0;
  return std::min(1.0, capacity / static_cast<double>(askers));
}

// In simulated people: contributors are simulated already, the team is real (divided by k).
double support_capacity_per_month(const ClgSpec& clg, const CommunityState& c, int month,
                                  int agent_scale) {
  return weighted_contributors(clg, c) * clg.support.answers_per_contributor_per_month +
         clg.team_size.at(month) * clg.support.answers_per_team_member_per_month / agent_scale;
}

double contribution_multiplier(const ClgSpec& clg, Motive motive) {
  return motive == Motive::practice ? clg.motive_effects.practice.contribution_multiplier : 1.0;
}

double weighted_contributors(const ClgSpec& clg, const CommunityState& c) {
  double sum = 0.0;
  for (int m = 0; m < kMotives; ++m) {
    sum += static_cast<double>(c.contributors_by_motive[m]) *
           contribution_multiplier(clg, static_cast<Motive>(m));
  }
  return sum;
}

double event_join_multiplier(const ClgSpec& clg, int month) {
  if (!clg.events.enabled) return 1.0;
  const double budget = std::max(0.0, clg.events.budget_usd_per_month.at(month));
  return 1.0 +
         clg.events.max_join_lift * budget / (budget + clg.events.half_lift_budget_usd_per_month);
}

double community_awareness_per_month(const Model& model, const Drivers& mid, int month) {
  const ClgSpec& clg = model.scenario.strategy.clg;
  if (!clg.enabled || !(mid.unaware > 0.0)) return 0.0;
  const double k = model.scenario.simulation.agent_scale;
  const ClgMotives& m = clg.motives;
  const double weights = m.product + m.practice + m.play;
  const double nonuser_share = weights > 0.0 ? (m.practice + m.play) / weights : 0.0;
  double rate = clg.nonuser_draw_per_month.at(month) * nonuser_share *
                gravity_multiplier(clg, mid.active_members * k);
  if (clg.content.enabled) {
    // The contributors publish pieces_per_contributor a month, each reaching reach people at
    // once: per month, spread over the unaware. A simulated piece stands for k real ones
    // reaching k x reach real people.
    rate += mid.contributors * clg.content.pieces_per_contributor_per_month *
            clg.content.people_reached_per_piece / mid.unaware;
    // The planned cadence: real pieces, each reaching reach real people a month; the simulated
    // market is a 1 / k sample of the real one, so they make planned x reach / k simulated
    // people aware a month, spread over the unaware as a hazard (as paid reach).
    rate += planned_content_pieces(clg, month) * clg.content.people_reached_per_planned_piece /
            k / mid.unaware;
  }
  return rate;
}

double planned_content_pieces(const ClgSpec& clg, int month) {
  if (!clg.enabled || !clg.content.enabled) return 0.0;
  return std::max(0.0, clg.content.planned_pieces_per_month.at(month));
}

double champion_extra_sources(const ClgSpec& clg, const CommunityState& c) {
  if (!clg.enabled || !clg.champions.enabled) return 0.0;
  return static_cast<double>(c.champion_members) * (clg.champions.referral_multiplier - 1.0);
}

double play_extra_sources(const ClgSpec& clg, const CommunityState& c) {
  const double w = clg.motive_effects.play.word_of_mouth_multiplier;
  if (!clg.enabled || w == 1.0) return 0.0;
  double weight = static_cast<double>(c.play_sources);
  if (clg.champions.enabled) {
    weight += static_cast<double>(c.play_champion_members) * (clg.champions.referral_multiplier - 1.0);
  }
  return (w - 1.0) * weight;
}

double trust_conversion_multiplier(const ClgSpec& clg) {
  return clg.enabled && clg.trust.enabled ? clg.trust.conversion_multiplier : 1.0;
}

double play_conversion_multiplier(const ClgSpec& clg) {
  return clg.enabled ? clg.motive_effects.play.conversion_multiplier : 1.0;
}

std::int64_t community_spend_cents(const ClgSpec& clg, int month) {
  if (!clg.enabled) return 0;
  double usd = clg.team_size.at(month) * clg.team_cost_usd_per_month;
  auto program = [&](bool enabled, const Schedule& budget) {
    if (enabled) usd += budget.at(month);
  };
  program(clg.support.enabled, clg.support.budget_usd_per_month);
  program(clg.content.enabled, clg.content.budget_usd_per_month);
  usd += planned_content_pieces(clg, month) * clg.content.usd_per_planned_piece;
  program(clg.events.enabled, clg.events.budget_usd_per_month);
  program(clg.champions.enabled, clg.champions.budget_usd_per_month);
  program(clg.co_creation.enabled, clg.co_creation.budget_usd_per_month);
  program(clg.trust.enabled, clg.trust.budget_usd_per_month);
  return std::llround(usd * 100.0);
}

}  // namespace flywheel::model
