// Seat policy of a paying self-serve account (docs/model.md, "One step", 3): billed seats are a
// stock, not the active users. The account needs target = max(min_seats, active users) seats;
// when it has fewer, it buys the missing ones with probability add; when it has more (unused
// seats), it removes them with probability removal. A step is two halves: a person's move falls
// at the step's middle, so the active users are those at the step's start in the first half
// and those at its end in the second; each half is a decision over half a step, from words 0
// (add) and 1 (removal) of (account, step, Decision::seats) in the first half and words 2 and 3
// in the second. With both probabilities 1 seats follow active users at once. A team with no
// active user left keeps paying until its seats are removed: it cancels then.
#pragma once

#include "model.hpp"

#include <cstdint>

namespace flywheel::model {

struct SeatRules {
  std::uint64_t add = std::uint64_t{1} << 32;      // threshold per half step
  std::uint64_t removal = std::uint64_t{1} << 32;  // threshold per half step
};

SeatRules seat_rules(const Model& model, int month);

// Whether an account whose active users were `active_start` at the step's start and `active`
// at its end removes its unused seats in a half of the step with no active user (words 1 and
// 3); it cancels when it does.
bool seats_removed(const Model& model, const SeatRules& rules, std::uint32_t a, int step,
                   int active_start, int active);

// The seats after the second half's decision alone (an account that started paying in the
// first half).
int second_half_seats(const Model& model, const SeatRules& rules, std::uint32_t a, int step,
                      int seats, int target);

// The account's seats after this step's two half-step decisions, given the target at the step's
// start and at its end.
int next_seats(const Model& model, const SeatRules& rules, std::uint32_t a, int step, int seats,
               int target, int target_start);

}  // namespace flywheel::model
