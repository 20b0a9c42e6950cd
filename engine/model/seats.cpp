#include "seats.hpp"

namespace flywheel::model {

SeatRules seat_rules(const Model& model, int month) {
  const PlgSpec& plg = model.scenario.strategy.plg;
  SeatRules rules;
  if (!plg.enabled) return rules;  // no seat policy: seats follow active users
  const double dt = model.time.step_months();
  const double add = plg.seat_add_per_month.at(month);
  const double removal = plg.seat_removal_per_month.at(month);
  rules.add = probability_threshold(step_probability(add, dt));
  rules.removal = probability_threshold(step_probability(removal, dt));
  rules.add_half = probability_threshold(step_probability(add, dt / 2));
  rules.removal_half = probability_threshold(step_probability(removal, dt / 2));
  return rules;
}

bool seats_removed(const Model& model, const SeatRules& rules, std::uint32_t a, int step,
                   bool whole) {
  const std::uint64_t threshold = whole ? rules.removal : rules.removal_half;
  if (threshold > 0xFFFFFFFFu) return true;
  return model.streams.words(a, static_cast<std::uint32_t>(step), Decision::seats)[1] < threshold;
}

int next_seats(const Model& model, const SeatRules& rules, std::uint32_t a, int step, int seats,
               int target, int target_start) {
  if (target == seats) return seats;
  const bool add = target > seats;
  const int word = add ? 0 : 1;
  const bool whole = add ? target_start > seats : target_start < seats;
  const std::uint64_t threshold =
      add ? (whole ? rules.add : rules.add_half) : (whole ? rules.removal : rules.removal_half);
  if (threshold > 0xFFFFFFFFu) return target;  // surely: no draw needed
  const std::uint32_t draw =
      model.streams.words(a, static_cast<std::uint32_t>(step), Decision::seats)[word];
  return draw < threshold ? target : seats;
}

}  // namespace flywheel::model
