// The community's rates and what its stocks feed into people's and accounts' flows: per-stage
// multipliers averaged over each stage's people (the members' and the answered people's rules,
// community_block.hpp's closure), the community channel's awareness, word-of-mouth weights and
// self-serve conversion (trust, play) over an account's active users (docs/mean_field.md
// "Community").
#include "community_block.hpp"
#include "twin.hpp"

#include "model/community.hpp"
#include "model/community_programs.hpp"
#include "model/product_quality.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

namespace {

double hazard(double p_per_month) {
  if (!(p_per_month > 0.0)) return 0.0;
  return -std::log1p(-std::min(p_per_month, 1.0 - 1e-12));
}

Stage stage_of(int group) {
  switch (group) {
    case gEvaluator:
    case gEvaluatorAnswered: return Stage::evaluator;
    case gBeginner:
    case gBeginnerAnswered: return Stage::beginner;
    case gRegular: return Stage::regular;
    case gChampion: return Stage::champion;
    default: return Stage::aware;
  }
}

}  // namespace

CommunityRates community_rates(const Twin& twin, int month) {
  const ClgSpec& clg = twin.scenario.strategy.clg;
  CommunityRates c;
  c.on = clg.enabled;
  if (!c.on) return c;
  c.join = hazard(clg.join_per_month.at(month)) * model::event_join_multiplier(clg, month);
  const ClgMotives& m = clg.motives;
  const double weights = m.product + m.practice + m.play;
  c.nonuser_draw =
      weights > 0.0 ? clg.nonuser_draw_per_month.at(month) * (m.practice + m.play) / weights : 0.0;
  if (weights > 0.0) c.user_motive = {m.product / weights, m.practice / weights, m.play / weights};
  if (m.practice + m.play > 0.0) {
    c.nonuser_motive = {0.0, m.practice / (m.practice + m.play), m.play / (m.practice + m.play)};
  } else {
    c.nonuser_motive = {1.0, 0.0, 0.0};
  }
  c.leave = hazard(clg.leave_per_month.at(month));
  c.demote = hazard(clg.demote_per_month);
  const ClgMotiveEffects& fx = clg.motive_effects;
  for (int motive = 0; motive < kMotives; ++motive) {
    c.up[motive] = {0.0, hazard(clg.promote_exploring_per_month),
                    hazard(clg.promote_participating_per_month),
                    hazard(clg.promote_contributing_per_month), 0.0};
    if (motive == int(Motive::play)) c.up[motive][1] *= fx.play.engagement_multiplier;
    if (motive == int(Motive::practice)) c.up[motive][2] *= fx.practice.promotion_multiplier;
  }
  c.member_churn = clg.member_churn_multiplier.at(month);
  if (clg.champions.enabled) {
    c.member_advocacy = clg.champions.advocacy_multiplier;
    c.champion_weight = clg.champions.referral_multiplier - 1.0;
  }
  c.support = clg.support.enabled;
  if (c.support) {
    c.answered_activation = clg.support.activation_multiplier;
    c.answered_churn = clg.support.early_churn_multiplier;
    c.team_answers = clg.team_size.at(month) * clg.support.answers_per_team_member_per_month;
    c.answers_per_contributor = clg.support.answers_per_contributor_per_month;
  }
  c.product_activation = fx.product.activation_multiplier;
  c.product_churn = fx.product.churn_multiplier;
  if (clg.content.enabled) {
    c.pieces_per_contributor = clg.content.pieces_per_contributor_per_month;
    c.reach_per_piece = clg.content.people_reached_per_piece;
    c.planned_reach = model::planned_content_pieces(clg, month) *
                      clg.content.people_reached_per_planned_piece;
  }
  c.play_weight = fx.play.word_of_mouth_multiplier - 1.0;
  c.trust = model::trust_conversion_multiplier(clg);
  c.play_conversion = model::play_conversion_multiplier(clg);
  c.co_creation = clg.co_creation.enabled;
  if (c.co_creation) {
    c.feedback_scale = clg.co_creation.feedback_scale_members;
    c.lag = clg.co_creation.lag_months;
    c.activation_lift = clg.co_creation.activation_lift;
    c.churn_reduction = clg.co_creation.churn_reduction;
  }
  return c;
}

MemberRules member_rules(const CommunityRates& c, int group, int level, int motive) {
  MemberRules m;
  const Stage stage = stage_of(group);
  if (level >= int(Engagement::participating)) {  // kRuleMember
    m.churn *= c.member_churn;
    if (stage == Stage::regular) m.advocacy *= c.member_advocacy;
  }
  if (motive == int(Motive::product)) {  // kRuleProduct
    m.activation *= c.product_activation;
    m.churn *= c.product_churn;
  }
  if (group == gEvaluatorAnswered || group == gBeginnerAnswered) {  // kRuleSupported
    m.activation *= c.answered_activation;
    m.churn *= c.answered_churn;
  }
  return m;
}

CommunityView community_view(const Twin& twin, const State& y) {
  const CommunityRates& c = twin.community;
  const double* b = &y[twin.community_at];
  CommunityView v;
  for (int g = 0; g < kMemberGroups; ++g) {
    const int st = int(stage_of(g));
    for (int level = 1; level <= kLevels; ++level) {
      for (int motive = 0; motive < kMotives; ++motive) {
        const double n = std::max(0.0, b[member_cell(g, level, motive)]);
        if (n == 0.0) continue;
        v.members[st] += n;
        if (level >= int(Engagement::participating)) v.active_members += n;
        if (level >= int(Engagement::contributing)) {
          v.contributors += n;
          v.weighted_contributors +=
              n * model::contribution_multiplier(twin.scenario.strategy.clg, Motive(motive));
        }
        if (g == gEvaluator || g == gBeginner) v.askers += n;
        if (g == gOutside) continue;
        const MemberRules m = member_rules(c, g, level, motive);
        if (st == int(Stage::evaluator)) v.activation_extra += n * (m.activation - 1.0);
        v.churn_extra[st] += n * (m.churn - 1.0);
        if (st == int(Stage::regular)) v.advocacy_extra += n * (m.advocacy - 1.0);
      }
    }
  }
  // Answered people who left the community keep the support's rules.
  const double answered_e = std::max(0.0, b[kAnsweredOutside]);
  const double answered_b = std::max(0.0, b[kAnsweredOutside + 1]);
  v.activation_extra += answered_e * (c.answered_activation - 1.0);
  v.churn_extra[int(Stage::evaluator)] += answered_e * (c.answered_churn - 1.0);
  v.churn_extra[int(Stage::beginner)] += answered_b * (c.answered_churn - 1.0);
  v.quality = b[kQuality];
  return v;
}

Couplings community_couplings(const Twin& twin, const Aggregates& agg, const State& y) {
  const CommunityRates& c = twin.community;
  const CommunityView v = community_view(twin, y);
  const double* b = &y[twin.community_at];
  Couplings with;
  const ClgSpec& clg = twin.scenario.strategy.clg;
  const model::QualityMultipliers q = model::quality_multipliers(clg, v.quality);
  auto average = [](double extra, double people) {
    return people > 0.0 ? std::max(0.0, 1.0 + extra / people) : 1.0;
  };
  with.activation = q.activation * average(v.activation_extra, agg.evaluators);
  const std::array<double, kStageCount> stock = {0.0, 0.0, agg.evaluators, agg.beginners,
                                                 agg.regulars, agg.champions, 0.0};
  for (int st = 0; st < kStageCount; ++st) {
    with.churn[st] = q.churn * average(v.churn_extra[st], stock[st]);
  }
  with.advocacy = average(v.advocacy_extra, agg.regulars);
  // The community channel: the non-user draw with gravity, contributors' and planned pieces.
  const double gravity = model::gravity_multiplier(clg, v.active_members);
  double aware = c.nonuser_draw * gravity;
  if (agg.unaware > 0.0) {  // reach spread over the unaware, at most at once
    aware += std::min(kAtOnce, (v.weighted_contributors * c.pieces_per_contributor *
                                    c.reach_per_piece +
                                c.planned_reach) /
                                   agg.unaware);
  }
  with.awareness[int(Channel::community)] = aware;
  // Word of mouth: member champions (champion program) and play members weigh more.
  const auto& source = twin.rates.source;
  double champion_members = 0.0, play_sources = 0.0, play_champions = 0.0;
  for (int g = 0; g < kMemberGroups; ++g) {
    const int st = int(stage_of(g));
    for (int level = 1; level <= kLevels; ++level) {
      const bool active = level >= int(Engagement::participating);
      for (int motive = 0; motive < kMotives; ++motive) {
        const double n = std::max(0.0, b[member_cell(g, level, motive)]);
        const bool play = motive == int(Motive::play);
        if (active && g == gChampion) {
          champion_members += n;
          if (play) play_champions += n;
        }
        if (play && source[st]) play_sources += n;
      }
    }
  }
  with.extra_sources = champion_members * c.champion_weight +
                       c.play_weight * (play_sources + play_champions * c.champion_weight);
  // Self-serve conversion: an active user is trusted as an active member or when it came
  // through the community channel (the share of the community's signups so far, independent of
  // membership); a play member (any level) converts its account with the play multiplier.
  const double active_users = agg.regulars + agg.champions + agg.beginners;
  if (active_users > 0.0 && (c.trust != 1.0 || c.play_conversion != 1.0)) {
    const double* signups = &y[twin.origins_at];
    double total = 0.0;
    for (int ch = 0; ch < kChannelCount; ++ch) total += signups[ch];
    const double origin = total > 0.0 ? signups[int(Channel::community)] / total : 0.0;
    double play_active = 0.0, play_exploring = 0.0, other_active = 0.0;
    for (int g : {gBeginner, gBeginnerAnswered, gRegular, gChampion}) {
      for (int level = 1; level <= kLevels; ++level) {
        const bool active = level >= int(Engagement::participating);
        for (int motive = 0; motive < kMotives; ++motive) {
          const double n = std::max(0.0, b[member_cell(g, level, motive)]);
          if (motive == int(Motive::play)) {
            (active ? play_active : play_exploring) += n;
          } else if (active) {
            other_active += n;
          }
        }
      }
    }
    const double rest = std::max(0.0, active_users - play_active - play_exploring - other_active);
    // Per active user: play and trusted, play only, trusted only; users independent. An
    // account of x active users has no play member with (1 - a - b)^x, and so on.
    const double play_trusted = std::min(1.0, (play_active + play_exploring * origin) / active_users);
    const double play_only = std::min(1.0, play_exploring * (1.0 - origin) / active_users);
    const double trusted_only = std::min(1.0, (other_active + rest * origin) / active_users);
    const double keep_no_play = std::max(0.0, 1.0 - play_trusted - play_only);
    const double keep_no_trust = std::max(0.0, 1.0 - play_trusted - trusted_only);
    const double keep_neither = std::max(0.0, 1.0 - play_trusted - play_only - trusted_only);
    double no_play = 1.0, no_trust = 1.0, neither = 1.0;
    with.conversion_by_active.resize(static_cast<std::size_t>(twin.largest_class) + 1);
    for (double& m : with.conversion_by_active) {
      const double both = std::max(0.0, 1.0 - no_play - no_trust + neither);
      m = neither + c.trust * (no_play - neither) + c.play_conversion * (no_trust - neither) +
          c.trust * c.play_conversion * both;
      no_play *= keep_no_play;
      no_trust *= keep_no_trust;
      neither *= keep_neither;
    }
  }
  return with;
}

}  // namespace flywheel::meanfield
