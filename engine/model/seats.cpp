#include "seats.hpp"

namespace flywheel::model {

SeatRules seat_rules(const Model& model, int month) {
  const PlgSpec& plg = model.scenario.strategy.plg;
  SeatRules rules;
  if (!plg.enabled) return rules;  // no seat policy: seats follow active users
  const double dt = model.time.step_months();
  rules.add = probability_threshold(step_probability(plg.seat_add_per_month.at(month), dt));
  rules.removal = probability_threshold(step_probability(plg.seat_removal_per_month.at(month), dt));
  return rules;
}

bool seats_removed(const Model& model, const SeatRules& rules, std::uint32_t a, int step) {
  if (rules.removal > 0xFFFFFFFFu) return true;
  return model.streams.words(a, static_cast<std::uint32_t>(step), Decision::seats)[1] <
         rules.removal;
}

int next_seats(const Model& model, const SeatRules& rules, std::uint32_t a, int step, int seats,
               int target) {
  if (target == seats) return seats;
  const int word = target > seats ? 0 : 1;
  const std::uint64_t threshold = target > seats ? rules.add : rules.removal;
  if (threshold > 0xFFFFFFFFu) return target;  // surely: no draw needed
  const std::uint32_t draw =
      model.streams.words(a, static_cast<std::uint32_t>(step), Decision::seats)[word];
  return draw < threshold ? target : seats;
}

}  // namespace flywheel::model
