#include "channels.hpp"

#include "community_programs.hpp"
#include "population.hpp"

#include <numeric>

namespace flywheel::model {

AwarenessRates awareness_rates(const Model& model, const StageCounts& counts,
                               const CommunityState& community, int month) {
  const Scenario& s = model.scenario;
  const double people = static_cast<double>(std::accumulate(counts.begin(), counts.end(), 0LL));
  double sources = 0.0;
  for (int st = 0; st < kStageCount; ++st) {
    if (s.acquisition.word_of_mouth_sources[st]) sources += static_cast<double>(counts[st]);
  }
  sources += champion_extra_sources(s.strategy.clg, community);
  AwarenessRates rates;
  rates.per_month[static_cast<int>(Channel::organic)] = s.acquisition.innovation_p_per_month;
  rates.per_month[static_cast<int>(Channel::word_of_mouth)] =
      people > 0 ? s.acquisition.imitation_q_per_month * sources / people : 0.0;

  // Paid: spend buys spend / cost aware people a month in the real market; the simulated
  // market is a 1 / agent_scale sample of it. Spread over the unaware as a hazard rate.
  const double unaware = static_cast<double>(counts[static_cast<int>(Stage::unaware)]);
  const double bought_per_month = s.strategy.marketing.spend_usd_per_month.at(month) /
                                  s.strategy.marketing.cost_per_aware_usd /
                                  s.simulation.agent_scale;
  rates.per_month[static_cast<int>(Channel::paid)] = unaware > 0 ? bought_per_month / unaware : 0.0;
  rates.per_month[static_cast<int>(Channel::community)] = community_awareness_per_month(
      model, community, counts[static_cast<int>(Stage::unaware)], month);
  return rates;
}

}  // namespace flywheel::model
