#include "channels.hpp"

#include "community_programs.hpp"
#include "population.hpp"

namespace flywheel::model {

AwarenessRates awareness_rates(const Model& model, const ReplicateState& state, int month) {
  const Scenario& s = model.scenario;
  const Drivers& mid = state.drivers.mid;
  const auto people = static_cast<double>(state.people.size());
  AwarenessRates rates;
  rates.per_month[static_cast<int>(Channel::organic)] = s.acquisition.innovation_p_per_month;
  rates.per_month[static_cast<int>(Channel::word_of_mouth)] =
      people > 0 ? s.acquisition.imitation_q_per_month * mid.sources / people : 0.0;

  // Paid: spend buys spend / cost aware people a month in the real market; the simulated
  // market is a 1 / agent_scale sample of it. Spread over the unaware as a hazard rate.
  const double bought_per_month = s.strategy.marketing.spend_usd_per_month.at(month) /
                                  s.strategy.marketing.cost_per_aware_usd /
                                  s.simulation.agent_scale;
  rates.per_month[static_cast<int>(Channel::paid)] =
      mid.unaware > 0 ? bought_per_month / mid.unaware : 0.0;
  rates.per_month[static_cast<int>(Channel::community)] =
      community_awareness_per_month(model, mid, month);
  return rates;
}

}  // namespace flywheel::model
