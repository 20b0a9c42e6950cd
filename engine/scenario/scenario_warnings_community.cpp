// Community programs switched on whose effect is zero by construction: a community nobody can
// join, content that reaches nobody, support nobody gives, lifts of 1 (docs/model.md, phase 4).
#include "scenario_warnings_parts.hpp"

namespace flywheel::warnings {

namespace {

// The company's planned pieces ever make someone aware (switch aside).
bool planned_reach(const ClgContent& content, int months) {
  return ever_positive(content.planned_pieces_per_month, months) &&
         content.people_reached_per_planned_piece > 0;
}

// Someone can ever be a member: users join, non-users are drawn (by the practice and play
// motives or by planned content: both come through the community and join), or members exist
// at step 0.
bool anyone_joins(const Scenario& s) {
  const ClgSpec& clg = s.strategy.clg;
  const int months = s.simulation.months;
  const bool draw = ever_positive(clg.nonuser_draw_per_month, months) &&
                    clg.motives.practice + clg.motives.play > 0;
  const bool planned = clg.content.enabled && planned_reach(clg.content, months);
  return ever_positive(clg.join_per_month, months) || draw || planned ||
         clg.initial_members_share > 0;
}

void check_programs(const Scenario& s, Warnings& out) {
  const ClgSpec& clg = s.strategy.clg;
  const int months = s.simulation.months;
  const ClgContent& content = clg.content;
  if (content.enabled &&
      content.pieces_per_contributor_per_month * content.people_reached_per_piece == 0 &&
      !planned_reach(content, months)) {
    out.add("strategy.clg.content",
            "community content reaches nobody: pieces_per_contributor_per_month x "
            "people_reached_per_piece is 0 and no planned piece reaches anyone",
            "set both above 0 (or planned_pieces_per_month and people_reached_per_planned_piece), "
            "or switch content off");
  }
  if (!content.enabled && ever_positive(content.planned_pieces_per_month, months)) {
    out.add("strategy.clg.content.planned_pieces_per_month",
            "planned content pieces are never published: the content program is switched off",
            "set strategy.clg.content.enabled: true");
  }
  const ClgSupport& support = clg.support;
  const bool team_answers =
      support.answers_per_team_member_per_month > 0 && ever_positive(clg.team_size, months);
  if (support.enabled && support.answers_per_contributor_per_month == 0 && !team_answers) {
    out.add("strategy.clg.support",
            "community support answers nobody: contributors answer 0 questions and the team "
            "answers none (answers_per_team_member_per_month or team_size is 0)",
            "set answers_per_contributor_per_month above 0");
  }
  const ClgEvents& events = clg.events;
  if (events.enabled &&
      (!ever_positive(events.budget_usd_per_month, months) || events.max_join_lift == 0)) {
    out.add("strategy.clg.events",
            "events never lift joining: the lift is max_join_lift x B / (B + half_lift) and "
            "the budget B or max_join_lift is 0",
            "set budget_usd_per_month and max_join_lift above 0, or switch events off");
  }
  const ClgChampions& champions = clg.champions;
  if (champions.enabled && champions.advocacy_multiplier == 1 &&
      champions.referral_multiplier == 1) {
    out.add("strategy.clg.champions",
            "the champion program changes nothing: advocacy_multiplier and referral_multiplier "
            "are both 1",
            "set one of them above 1, or switch the program off");
  }
  const ClgCoCreation& co = clg.co_creation;
  if (co.enabled && co.activation_lift == 0 && co.churn_reduction == 0) {
    out.add("strategy.clg.co_creation",
            "co-creation changes nothing: activation_lift and churn_reduction are both 0",
            "set one of them above 0, or switch co-creation off");
  }
  if (clg.trust.enabled && clg.trust.conversion_multiplier == 1) {
    out.add("strategy.clg.trust.conversion_multiplier",
            "trust changes nothing: conversion_multiplier is 1",
            "set it above 1, or switch "
            "trust off");
  }
}

// Effects of a motive no member can have: its weight is 0 (product members also come from
// content reach alone when practice and play weigh 0).
void check_motive_effects(const Scenario& s, Warnings& out) {
  const ClgMotives& m = s.strategy.clg.motives;
  const ClgMotiveEffects& fx = s.strategy.clg.motive_effects;
  const bool product_set = fx.product.activation_multiplier != 1 || fx.product.churn_multiplier != 1;
  const bool practice_set =
      fx.practice.promotion_multiplier != 1 || fx.practice.contribution_multiplier != 1;
  const bool play_set = fx.play.engagement_multiplier != 1 ||
                        fx.play.word_of_mouth_multiplier != 1 ||
                        fx.play.conversion_multiplier != 1;
  auto warn = [&](const char* path, const char* motive) {
    out.add(path,
            std::string("the ") + motive + " motive's effects change nothing: no member can have " +
                "that motive, its weight in strategy.clg.motives is 0",
            std::string("give strategy.clg.motives.") + motive + " a weight above 0");
  };
  if (product_set && m.product == 0 && m.practice + m.play > 0) {
    warn("strategy.clg.motive_effects.product", "product");
  }
  if (practice_set && m.practice == 0) warn("strategy.clg.motive_effects.practice", "practice");
  if (play_set && m.play == 0) warn("strategy.clg.motive_effects.play", "play");
}

}  // namespace

void check_community(const Scenario& s, Warnings& out) {
  if (!s.strategy.clg.enabled) return;
  if (!anyone_joins(s)) {
    out.add("strategy.clg.join_per_month",
            "the community stays empty: join_per_month and nonuser_draw_per_month are 0 in every "
            "month and nobody starts a member, so every community program has no effect",
            "set join_per_month above 0");
    return;
  }
  check_programs(s, out);
  check_motive_effects(s, out);
}

}  // namespace flywheel::warnings
