// The community's flows in the twin (docs/mean_field.md "Community"): joining (evaluators and
// active users with gravity and events; people the community makes aware join at once), the
// ladder (leave with gravity retention, promote by motive, demote), members following their
// stage at their own rules (the stage's per-person rate from the people's flows, times the
// member's multiplier over the stage's average), support as a fluid queue, content and
// co-creation; and the month's community stocks for the ledger.
#include "community_block.hpp"
#include "twin.hpp"

#include "model/community.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

namespace {

// Support answers "at once" when its capacity exceeds the askers: a hazard of one a day, as a
// probability of 1 elsewhere in the twin.

double per(double flow, double people) { return people > 0.0 ? std::max(0.0, flow) / people : 0.0; }

}  // namespace

void community_initial(const Twin& twin, State& y) {
  const ClgSpec& clg = twin.scenario.strategy.clg;
  if (!(clg.initial_members_share > 0.0)) return;
  const Aggregates agg = aggregates(twin, y);
  const CommunityRates& c = twin.community;
  double* b = &y[twin.community_at];
  const std::array<std::pair<int, double>, 3> active = {
      std::pair{gBeginner, agg.beginners}, {gRegular, agg.regulars}, {gChampion, agg.champions}};
  for (const auto& [group, people] : active) {
    for (int motive = 0; motive < kMotives; ++motive) {
      b[member_cell(group, int(Engagement::participating), motive)] =
          people * clg.initial_members_share * c.user_motive[motive];
    }
  }
}

void community_flows(const Twin& twin, const Aggregates& agg, const Couplings& with,
                     const State& y, State& dy) {
  const CommunityRates& c = twin.community;
  const ClgSpec& clg = twin.scenario.strategy.clg;
  const CommunityView v = community_view(twin, y);
  const double* b = &y[twin.community_at];
  double* d = &dy[twin.community_at];
  double* flows = &dy[twin.flows_at];
  const double dt = twin.model.time.step_months();

  // The stages' per-person rates (the people's flows at this instant), per unit of the
  // community's multiplier: a member's rate is this times its own multiplier.
  auto average = [](double extra, double people) {
    return people > 0.0 ? std::max(1e-12, 1.0 + extra / people) : 1.0;
  };
  const double activation = per(flows[f_activations], agg.evaluators) /
                            average(v.activation_extra, agg.evaluators);
  const double dropout = per(flows[f_evaluator_dropouts], agg.evaluators);
  const double adoption = per(flows[f_adoptions], agg.beginners);
  const double advocacy =
      per(flows[f_advocacies], agg.regulars) / average(v.advocacy_extra, agg.regulars);
  const std::array<double, kStageCount> stock = {0.0, 0.0, agg.evaluators, agg.beginners,
                                                 agg.regulars, agg.champions, 0.0};
  std::array<double, kStageCount> churn{};
  for (int st = int(Stage::evaluator); st <= int(Stage::champion); ++st) {
    churn[st] = per(flows[f_churn_by_stage + st], stock[st]) / average(v.churn_extra[st], stock[st]);
  }
  const double lost_access =
      per(flows[f_access_lost_users], agg.beginners + agg.regulars + agg.champions);
  double aware_signups = 0.0;  // the aware sign up by their own channels (invites reach anyone)
  for (int ch = 0; ch < kChannelCount; ++ch) {
    if (ch != int(Channel::referral) && ch != int(Channel::team)) {
      aware_signups += flows[f_signups + ch];
    }
  }
  const double signup = per(aware_signups, agg.aware);
  const double forget = twin.rates.forget;

  // Support: capacity shared among the askers, all answered at once while it suffices. Per
  // asker, the answers a month are the smooth form of min(capacity, kAtOnce x askers):
  // capacity x kAtOnce x askers / (capacity + kAtOnce x askers) (a kink in min made the
  // integrator's steps 25% more).
  const double capacity =
      c.support ? c.team_answers + v.weighted_contributors * c.answers_per_contributor : 0.0;
  const double answer =
      capacity > 0.0 ? capacity * kAtOnce / (capacity + kAtOnce * v.askers) : 0.0;
  const double gravity = model::gravity_multiplier(clg, v.active_members);
  const double leave = c.leave / model::gravity_retention_divisor(clg, v.active_members);

  auto move = [&](int from, int to, double amount) {
    d[from] -= amount;
    d[to] += amount;
  };
  double leaves = 0.0, answers = 0.0;
  for (int g = 0; g < kMemberGroups; ++g) {
    for (int level = 1; level <= kLevels; ++level) {
      const bool active = level >= int(Engagement::participating);
      for (int motive = 0; motive < kMotives; ++motive) {
        const int cell = member_cell(g, level, motive);
        const double n = std::max(0.0, b[cell]);
        if (n == 0.0) continue;
        // Leaving the community (answered people keep the support's rules outside it; people
        // drawn in before they signed up are former members).
        auto out = [&](double amount) {
          d[cell] -= amount;
          leaves += amount;
          if (g == gEvaluatorAnswered) d[kAnsweredOutside] += amount;
          if (g == gBeginnerAnswered) d[kAnsweredOutside + 1] += amount;
        };
        // The ladder.
        out(leave * n);
        const double up = c.up[motive][level] * n;
        if (up > 0.0) move(cell, member_cell(g, level + 1, motive), up);
        if (level > 1 && c.demote > 0.0) {
          move(cell, member_cell(g, level - 1, motive), c.demote * n);
        }
        // The member's stage.
        const MemberRules m = member_rules(c, g, level, motive);
        switch (g) {
          case gEvaluator:
          case gEvaluatorAnswered: {
            const int to = g == gEvaluator ? gBeginner : gBeginnerAnswered;
            move(cell, member_cell(to, level, motive), activation * m.activation * n);
            out((churn[int(Stage::evaluator)] * m.churn + dropout) * n);
            break;
          }
          case gBeginner:
          case gBeginnerAnswered:
            move(cell, member_cell(gRegular, level, motive), adoption * n);
            break;
          case gRegular:
            move(cell, member_cell(gChampion, level, motive), advocacy * m.advocacy * n);
            break;
          case gOutside:
            move(cell, member_cell(gEvaluator, level, motive), signup * n);
            out(forget * n);
            d[kFormerUnaware] += forget * n;
            d[kFormerAware] += leave * n;  // left by the ladder (out above)
            break;
          default:
            break;
        }
        if (g == gOutside || g == gEvaluator || g == gEvaluatorAnswered) {
          if (g == gEvaluator && answer > 0.0) {
            move(cell, member_cell(gEvaluatorAnswered, level, motive), answer * n);
            answers += answer * n;
          }
          continue;
        }
        // Active users: churn (with the members' retention counters) and lost access.
        const int st = g == gRegular ? int(Stage::regular)
                       : g == gChampion ? int(Stage::champion)
                                        : int(Stage::beginner);
        const double churned = churn[st] * m.churn * n;
        out(churned + lost_access * n);
        if (g == gBeginner && answer > 0.0) {
          move(cell, member_cell(gBeginnerAnswered, level, motive), answer * n);
          answers += answer * n;
        }
        if (!active) continue;
        flows[f_member_churns] += churned;
        flows[f_member_user_halfsteps] += 2.0 / dt * n;
        if (st == int(Stage::beginner)) {
          flows[f_member_beginner_churns] += churned;
          flows[f_member_beginner_halfsteps] += 2.0 / dt * n;
        } else if (st == int(Stage::champion)) {
          flows[f_member_champion_churns] += churned;
          flows[f_member_champion_halfsteps] += 2.0 / dt * n;
        }
      }
    }
  }

  // Answered people outside the community: their stage, and joining again.
  const double join = c.join * gravity;
  const double answered_e = std::max(0.0, b[kAnsweredOutside]);
  const double answered_b = std::max(0.0, b[kAnsweredOutside + 1]);
  d[kAnsweredOutside] -= (activation * c.answered_activation +
                          churn[int(Stage::evaluator)] * c.answered_churn + dropout + join) *
                         answered_e;
  d[kAnsweredOutside + 1] += activation * c.answered_activation * answered_e;
  d[kAnsweredOutside + 1] -=
      (adoption + churn[int(Stage::beginner)] * c.answered_churn + lost_access + join) *
      answered_b;

  // Joining: non-members among evaluators and active users at the join hazard, as exploring
  // members of a motive drawn by the weights; people made aware by the community at once.
  auto join_into = [&](int group, double people, const std::array<double, kMotives>& shares) {
    const double joins = std::max(0.0, people);
    for (int motive = 0; motive < kMotives; ++motive) {
      d[member_cell(group, 1, motive)] += joins * shares[motive];
    }
    flows[f_community_joins] += joins;
  };
  // The stage's people less its members in groups [first, last].
  auto nonmembers = [&](double stage_people, int first, int last) {
    double members = 0.0;
    for (int cell = member_cell(first, 1, 0); cell < member_cell(last + 1, 1, 0); ++cell) {
      members += std::max(0.0, b[cell]);
    }
    return std::max(0.0, stage_people - members);
  };
  if (join > 0.0) {
    join_into(gEvaluator,
              join * std::max(0.0, nonmembers(agg.evaluators, gEvaluator, gEvaluatorAnswered) -
                                       answered_e),
              c.user_motive);
    join_into(gEvaluatorAnswered, join * answered_e, c.user_motive);
    join_into(gBeginner,
              join * std::max(0.0, nonmembers(agg.beginners, gBeginner, gBeginnerAnswered) -
                                       answered_b),
              c.user_motive);
    join_into(gBeginnerAnswered, join * answered_b, c.user_motive);
    join_into(gRegular, join * nonmembers(agg.regulars, gRegular, gRegular), c.user_motive);
    join_into(gChampion, join * nonmembers(agg.champions, gChampion, gChampion), c.user_motive);
  }
  // Drawn in: never-members join at once; former members become aware again, as any.
  const double former_aware = std::max(0.0, b[kFormerAware]);
  const double former_unaware = std::min(std::max(0.0, b[kFormerUnaware]), agg.unaware);
  const double drawn = flows[f_awareness + int(Channel::community)];
  const double former_share = agg.unaware > 0.0 ? former_unaware / agg.unaware : 0.0;
  join_into(gOutside, drawn * (1.0 - former_share), c.nonuser_motive);
  // Former members stay former members: made aware by any channel, they forget again or sign
  // up (then they may join by the join hazard, as any evaluator).
  double awareness = 0.0;
  for (int ch = 0; ch < kChannelCount; ++ch) awareness += flows[f_awareness + ch];
  const double former_aware_again = per(awareness, agg.unaware) * former_unaware;
  d[kFormerUnaware] += forget * former_aware - former_aware_again;
  d[kFormerAware] += former_aware_again - (signup + forget) * former_aware;

  flows[f_community_leaves] += leaves;
  flows[f_support_answers] += answers;
  flows[f_content_pieces_contributed] += v.weighted_contributors * c.pieces_per_contributor;
  if (c.co_creation) {
    d[kQuality] += (-std::expm1(-v.contributors / c.feedback_scale) - v.quality) / c.lag;
  }
  (void)with;
}

void community_record(const Twin& twin, const State& y, const State& start, MonthRecord& r) {
  auto fixed = [](double x) { return std::llround(x * kMicro); };
  auto active_member_users = [&](const State& s) {
    double sum = 0.0;
    for (int g : {gBeginner, gBeginnerAnswered, gRegular, gChampion}) {
      for (int level = int(Engagement::participating); level <= kLevels; ++level) {
        for (int motive = 0; motive < kMotives; ++motive) {
          sum += std::max(0.0, s[twin.community_at + member_cell(g, level, motive)]);
        }
      }
    }
    return sum;
  };
  const double* b = &y[twin.community_at];
  std::array<double, kEngagementLevels> by_level{};
  std::array<double, kMotives> by_motive{};
  double askers = 0.0, member_users = 0.0;
  for (int g = 0; g < kMemberGroups; ++g) {
    for (int level = 1; level <= kLevels; ++level) {
      for (int motive = 0; motive < kMotives; ++motive) {
        const double n = std::max(0.0, b[member_cell(g, level, motive)]);
        by_level[level] += n;
        by_motive[motive] += n;
        if (g == gEvaluator || g == gBeginner) askers += n;
        if (g != gEvaluator && g != gEvaluatorAnswered && g != gOutside) member_users += n;
      }
    }
  }
  for (int level = 1; level < kEngagementLevels; ++level) {
    r.members_by_level[level] = fixed(by_level[level]);
  }
  for (int motive = 0; motive < kMotives; ++motive) {
    r.members_by_motive[motive] = fixed(by_motive[motive]);
  }
  // Waiting: the askers beyond what support answers at once (a day of its capacity); the rest
  // are being answered, as the agent model answers within the step while capacity suffices.
  const CommunityView v = community_view(twin, y);
  const CommunityRates& c = twin.community;
  const double capacity = c.team_answers + v.weighted_contributors * c.answers_per_contributor;
  r.askers_waiting = fixed(c.support ? std::max(0.0, askers - capacity / kAtOnce) : 0.0);
  r.member_users = fixed(member_users);
  r.active_member_users = fixed(active_member_users(y));
  r.active_member_users_start = fixed(active_member_users(start));
  r.product_quality = b[kQuality];
}

void community_window_leaving(const Twin& twin, const State& y, State& dy, double rate) {
  if (!(rate > 0.0)) return;
  const double* b = &y[twin.community_at];
  double* d = &dy[twin.community_at];
  double leaves = 0.0;
  for (const int g : {int(gEvaluator), int(gEvaluatorAnswered)}) {
    for (int level = 1; level <= kLevels; ++level) {
      for (int motive = 0; motive < kMotives; ++motive) {
        const int cell = member_cell(g, level, motive);
        const double out = rate * std::max(0.0, b[cell]);
        leaves += out;
        d[cell] -= out;
      }
    }
  }
  d[kAnsweredOutside] -= rate * std::max(0.0, b[kAnsweredOutside]);
  dy[twin.flows_at + f_community_leaves] += leaves;
}

void community_window_dropouts(const Twin& twin, State& y, double fraction) {
  if (!(fraction > 0.0)) return;
  double* b = &y[twin.community_at];
  double leaves = 0.0;
  for (const int g : {int(gEvaluator), int(gEvaluatorAnswered)}) {
    for (int level = 1; level <= kLevels; ++level) {
      for (int motive = 0; motive < kMotives; ++motive) {
        double& n = b[member_cell(g, level, motive)];
        leaves += fraction * n;
        n -= fraction * n;
      }
    }
  }
  b[kAnsweredOutside] -= fraction * b[kAnsweredOutside];
  y[twin.flows_at + f_community_leaves] += leaves;
}

}  // namespace flywheel::meanfield
