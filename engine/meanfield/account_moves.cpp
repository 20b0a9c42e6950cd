// Moving accounts between plans in the twin: an account moves with its people, the moved
// active users and other people of each group split like the block's (docs/mean_field.md
// "Accounts"). The flows book each move per (from, to) plan pair and class (Twin::move_row);
// the people move once all flows are booked, a pair's compartments swept as rows over the
// classes.
#include "lanes.hpp"
#include "twin.hpp"

#include <algorithm>

namespace flywheel::meanfield {

std::size_t Twin::move_pair(int from, int to) const {
  const std::size_t at = static_cast<std::size_t>(from * plans + to);
  if (move_slot.empty()) move_slot.assign(static_cast<std::size_t>(plans * plans), -1);
  if (move_slot[at] >= 0) return static_cast<std::size_t>(move_slot[at]);
  const std::size_t pair = move_pairs.size();
  move_slot[at] = static_cast<int>(pair);
  move_pairs.push_back({from, to, false});
  const std::size_t need = (pair + 1) * kMoveRows * lanes;
  if (move_rows.size() < need) move_rows.resize(need);
  std::fill(move_row(pair, 0), move_row(pair, 0) + kMoveRows * lanes, 0.0);
  return pair;
}

void move_accounts(const Twin& twin, const State&, State& dy, std::size_t k, int from, int to,
                   double accounts, std::array<double, 2> active, int profile) {
  if (!(accounts > 0.0)) return;
  const int n = twin.classes[k].size;
  // The pair booked already at this evaluation (most moves) without a call.
  const int slot = twin.move_slot.empty()
                       ? -1
                       : twin.move_slot[static_cast<std::size_t>(from * twin.plans + to)];
  const std::size_t pair = slot >= 0 ? static_cast<std::size_t>(slot) : twin.move_pair(from, to);
  twin.move_pairs[pair].people = true;
  for (int group = kFirst; group <= kRest; ++group) {
    const double block_active = twin.pool(k, from, 2 * group);
    const double block_other = twin.pool(k, from, 2 * group + 1);
    const double people = accounts * (group == kFirst ? 1 : n - 1);
    const double moved_active = block_active > 0.0 ? std::clamp(active[group], 0.0, people) : 0.0;
    const double moved_other = people - moved_active;
    // Each compartment's share of its pool moves: the moved active users and other people
    // split like the block's.
    twin.move_row(pair, Twin::kMovedShares + 2 * group)[k] +=
        block_active > 0.0 ? moved_active / block_active : 0.0;
    twin.move_row(pair, Twin::kMovedShares + 2 * group + 1)[k] +=
        block_other > 0.0 ? moved_other / block_other : 0.0;
  }
  dy[twin.accounts_at(k, from)] -= accounts;
  dy[twin.accounts_at(k, to)] += accounts;
  // record_move's booking, with the pair already at hand (a second look-up cost as much).
  twin.move_row(pair, Twin::kMovedAccounts)[k] += accounts;
  if (twin.laws.on) [[unlikely]] keep_law_move(twin.laws, {k, from, to, accounts, profile});
}

FLYWHEEL_SWEEP void apply_moves(const Twin& twin, const State& y, State& dy) {
  const std::size_t lanes = twin.lanes;
  double* lost = twin.scratch_row(0);
  std::fill(lost, lost + lanes, 0.0);
  for (std::size_t pair = 0; pair < twin.move_pairs.size(); ++pair) {
    const Twin::MovePair& m = twin.move_pairs[pair];
    if (!m.people) continue;
    const bool access = twin.access(m.to);
    for (int group = kFirst; group <= kRest; ++group) {
      const double* active_share = twin.move_row(pair, Twin::kMovedShares + 2 * group);
      const double* other_share = active_share + lanes;
      for (int c : twin.compartments) {
        const bool is_active = is_active_compartment(c);
        const double* share = is_active ? active_share : other_share;
        const double* b = twin.row_of(y, m.from, group, c);
        double* d = twin.row_of(dy, m.from, group, c);
        // Active users arriving without access to the product churn at once (access_lost).
        const bool churn = is_active && !access;
        double* t = twin.row_of(dy, m.to, group, churn ? cChurnedEver : c);
#pragma GCC ivdep
        for (std::size_t k = 0; k < lanes; ++k) {
          const double moved = share[k] * std::max(0.0, b[k]);
          d[k] -= moved;
          t[k] += moved;
        }
        if (churn) {
#pragma GCC ivdep
          for (std::size_t k = 0; k < lanes; ++k) lost[k] += share[k] * std::max(0.0, b[k]);
        }
      }
    }
  }
  dy[twin.flows_at + f_access_lost_users] += lane_sum(lost, lanes);
}

}  // namespace flywheel::meanfield
