#include "seats.hpp"

namespace flywheel::model {

SeatRules seat_rules(const Model& model, int month) {
  const PlgSpec& plg = model.scenario.strategy.plg;
  SeatRules rules;
  if (!plg.enabled) return rules;  // no seat policy: seats follow active users
  const double half = model.time.step_months() / 2;
  rules.add = probability_threshold(step_probability(plg.seat_add_per_month.at(month), half));
  rules.removal =
      probability_threshold(step_probability(plg.seat_removal_per_month.at(month), half));
  return rules;
}

namespace {

// A threshold of 2^32 holds for every word: no draw needed.
bool surely(std::uint64_t threshold) {
  return threshold > 0xFFFFFFFFu;
}

std::uint32_t word(const Model& model, std::uint32_t a, int step, int index) {
  return model.streams.words(a, static_cast<std::uint32_t>(step), Decision::seats)[index];
}

// One half of the step: seats that differ from the half's target are set to it with the add
// (word `first`) or removal (word `first + 1`) probability.
int half_step(const Model& model, const SeatRules& rules, std::uint32_t a, int step, int first,
              int seats, int target) {
  if (target == seats) return seats;
  const bool add = target > seats;
  const std::uint64_t threshold = add ? rules.add : rules.removal;
  if (surely(threshold)) return target;
  return word(model, a, step, first + (add ? 0 : 1)) < threshold ? target : seats;
}

}  // namespace

bool seats_removed(const Model& model, const SeatRules& rules, std::uint32_t a, int step,
                   int active_start, int active) {
  auto removed = [&](int index) {
    return surely(rules.removal) || word(model, a, step, index) < rules.removal;
  };
  return (active_start == 0 && removed(1)) || (active == 0 && removed(3));
}

int second_half_seats(const Model& model, const SeatRules& rules, std::uint32_t a, int step,
                      int seats, int target) {
  return half_step(model, rules, a, step, 2, seats, target);
}

int next_seats(const Model& model, const SeatRules& rules, std::uint32_t a, int step, int seats,
               int target, int target_start) {
  seats = half_step(model, rules, a, step, 0, seats, target_start);
  return half_step(model, rules, a, step, 2, seats, target);
}

}  // namespace flywheel::model
