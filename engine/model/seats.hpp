// Seat policy of a paying self-serve account (docs/model.md, "One step", 3): billed seats are a
// stock, not the active users. The account needs target = max(min_seats, active users) seats;
// when it has fewer, it buys the missing ones with probability add (per step); when it has
// more (unused seats), it removes them with probability removal. Each decision is one draw of
// (account, step, Decision::seats): word 0 for an add, word 1 for a removal. With both
// probabilities 1 seats follow active users at once. A team with no active user left keeps
// paying until its seats are removed: it cancels then. A mismatch that arose during this step
// (the active users at the step's start matched the seats) acts over half the step: the people
// moved, on average, at its middle.
#pragma once

#include "model.hpp"

#include <cstdint>

namespace flywheel::model {

struct SeatRules {
  std::uint64_t add = std::uint64_t{1} << 32;       // threshold per step
  std::uint64_t removal = std::uint64_t{1} << 32;   // threshold per step
  std::uint64_t add_half = std::uint64_t{1} << 32;  // the same over half a step
  std::uint64_t removal_half = std::uint64_t{1} << 32;
};

SeatRules seat_rules(const Model& model, int month);

// Whether an account with unused seats removes them this step (word 1), over the whole step or
// half of it (`whole`: the seats were unused at the step's start already); an account with no
// active user left cancels when it does.
bool seats_removed(const Model& model, const SeatRules& rules, std::uint32_t a, int step,
                   bool whole);

// The account's seats after this step's seat decision, given the target at the step's end and
// at its start.
int next_seats(const Model& model, const SeatRules& rules, std::uint32_t a, int step, int seats,
               int target, int target_start);

}  // namespace flywheel::model
