// Teammate invites in the twin: each self-serve block's joint law of its accounts' first signer
// and active others, a master equation (invite_laws.hpp; docs/mean_field.md "Teammate invites").
#include "invite_laws.hpp"

#include "twin.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

namespace {

std::size_t row(const Twin& twin, std::size_t k, int plan) {
  return k * static_cast<std::size_t>(twin.plans) + static_cast<std::size_t>(plan);
}

// The blocks that carry a law: those whose accounts' people keep using the product and can be
// invited: the paid tiers, and with a free tier the free plans and the sales pipeline's (queue,
// deals worked, cooling off), in classes of two people or more. Trials and contracts keep the
// closure's Binomial (docs/mean_field.md).
bool carries_law(const Twin& twin, int plan) {
  if (twin.is_paid(plan)) return true;
  const PlgSpec& plg = twin.scenario.strategy.plg;
  if (!plg.enabled || !plg.free_tier) return false;
  const bool pipeline = (twin.queue_plan >= 0 && plan == twin.queue_plan) ||
                        (twin.work0 >= 0 && plan >= twin.work0 && plan < twin.work0 + kCyclePhases) ||
                        (twin.cool_plan >= 0 && plan == twin.cool_plan);
  return plan == kProspect || plan == kEngaged || plan == kCancelled || pipeline;
}

double active_of(const Twin& twin, const State& y, std::size_t k, int plan, int group) {
  const People<const double> b = twin.people(y, k, plan, group);
  return std::max(0.0, b[cBeginner] + b[cRegular] + b[cChampion]);
}

// Spreads the closure's head count (first signer + Binomial others) over a law's bins.
void spread(const HeadCount& head, double accounts, const std::vector<int>& edge, double* law) {
  const int bins = static_cast<int>(edge.size()) - 1;
  for (int f = 0; f <= 1; ++f) {
    const Binomial& others = head.others(f);
    const double share = accounts * (f ? head.pi1() : 1.0 - head.pi1());
    for (int i = 0; i < bins; ++i) {
      law[f * bins + i] = share * (edge[i + 1] - edge[i] == 1 ? others.pmf(edge[i])
                                                              : others.mass(edge[i], edge[i + 1] - 1));
    }
  }
}

// The head count of a block's law: a bin's accounts at the two counts around where it stands.
void head_of(const LawView& v, HeadCount& head) {
  const double total = v.accounts[0] + v.accounts[1];
  const double pi1 = total > 1e-300 ? v.accounts[1] / total : 0.0;
  const int used = std::max(v.used[0], v.used[1]);
  if (used == 0 || v.edge[used] == used) {  // single counts only: the law as it is
    head.assign_laws(pi1, v.m, v.law[0], std::max(1, v.used[0]), v.law[1], std::max(1, v.used[1]));
    return;
  }
  // Bins: their accounts at the two counts around where they stand; as consecutive counts
  // while those are few (no search in the head count), else as points.
  const int span = v.edge[used];
  const bool dense = span <= 4 * used + 16;
  thread_local std::vector<int> x[2];
  thread_local std::vector<double> p[2];
  for (int f = 0; f <= 1; ++f) {
    x[f].clear();
    p[f].clear();
    if (dense) p[f].assign(static_cast<std::size_t>(std::max(1, v.edge[v.used[f]])), 0.0);
    auto put = [&](int count, double mass) {
      if (dense) {
        p[f][static_cast<std::size_t>(count)] += mass;
      } else {
        x[f].push_back(count);
        p[f].push_back(mass);
      }
    };
    for (int i = 0; i < v.used[f]; ++i) {
      const double l = std::max(0.0, v.law[f][i]);
      if (v.width(i) == 1) {
        put(v.edge[i], l);
        continue;
      }
      const int low = static_cast<int>(v.at(i));
      const double up = v.at(i) - low;
      put(low, l * (1.0 - up));
      if (up > 0.0) put(low + 1, l * up);
    }
  }
  if (dense) {
    head.assign_laws(pi1, v.m, p[0].data(), static_cast<int>(p[0].size()), p[1].data(),
                     static_cast<int>(p[1].size()));
    return;
  }
  head.assign_laws(pi1, v.m, x[0].data(), p[0].data(),
                   static_cast<int>(x[0].size()), x[1].data(), p[1].data(),
                   static_cast<int>(x[1].size()));
}

}  // namespace

void keep_law_move(const InviteLaws& laws, const LawMove& move) { laws.moves.push_back(move); }

std::size_t lay_out_laws(Twin& twin, std::size_t at) {
  InviteLaws& laws = twin.laws;
  laws.on = twin.scenario.funnel.teammate_invites_per_month > 0.0;
  laws.at = at;
  laws.size = 0;
  if (!laws.on) return 0;
  laws.offset.assign(twin.classes.size() * static_cast<std::size_t>(twin.plans), -1);
  laws.edges.assign(twin.classes.size(), {});
  laws.teams.assign(twin.classes.size(), {});
  const double reduction = twin.scenario.funnel.team_churn_reduction;
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    const int m = twin.classes[k].size - 1;
    if (m < 1 || m > kLawMaxOthers) continue;
    // Bins: one count each up to kLawExact, then half as wide as where they start, at most an
    // eighth of the account (twice as fine gave the same trajectories within 0.5%).
    std::vector<int>& edge = laws.edges[k];
    const int cap = std::max(1, (m + 8) / 8);
    for (int g = 0;;) {
      edge.push_back(g);
      if (g > m) break;
      g = std::min(m + 1, g + (g < kLawExact ? 1 : std::clamp((g + 1) / 2, 1, cap)));
    }
    for (int a = 0; a <= kLawExact; ++a) {
      const int q = std::min(4, (8 * a + m) / (2 * m));
      laws.teams[k][static_cast<std::size_t>(a)] = std::max(0.0, 1.0 - reduction * q / 4.0);
    }
    for (int plan = kProspect; plan < twin.plans; ++plan) {
      if (!carries_law(twin, plan)) continue;
      laws.offset[row(twin, k, plan)] = static_cast<std::int64_t>(at + laws.size);
      laws.size += 2 * static_cast<std::size_t>(laws.bins(k));
    }
  }
  laws.signups.assign(laws.offset.size(), {});
  laws.views.assign(laws.offset.size(), {});
  laws.rates.assign(laws.offset.size(), {});
  laws.rates_at.assign(laws.offset.size(), 0);
  return laws.size;
}

void law_view(const Twin& twin, const State& y, std::size_t k, int plan, LawView& v) {
  const std::size_t base = static_cast<std::size_t>(twin.laws.offset[row(twin, k, plan)]);
  const std::vector<int>& edge = twin.laws.edges[k];
  v.edge = edge.data();
  v.bins = static_cast<int>(edge.size()) - 1;
  v.law[0] = &y[base];
  v.law[1] = &y[base + static_cast<std::size_t>(v.bins)];
  v.m = twin.classes[k].size - 1;
  v.reduction = twin.scenario.funnel.team_churn_reduction;
  v.teams = v.reduction != 0.0 ? &twin.laws.teams[k] : nullptr;
  v.accounts[0] = v.accounts[1] = 0.0;
  v.idle = v.idle_by_active = v.churning = v.first_churning = 0.0;
  // The accounts, the active others of the single counts and of the bins' lower edges and
  // widths; the last bin above 1e-9 of the block's accounts (beyond it the bins are left out
  // but for one, where the flows up land).
  const double cut = 1e-9 * std::max(0.0, y[twin.accounts_at(k, plan)]);
  double known = 0.0, span = 0.0;
  for (int f = 0; f <= 1; ++f) {
    int last = -1;
    for (int i = 0; i < v.bins; ++i) {
      const double l = v.law[f][i];
      if (!(l > 0.0)) continue;
      if (l > cut) last = i;
      v.accounts[f] += l;
      known += l * edge[i];
      span += l * (v.width(i) - 1);
    }
    v.used[f] = last < 0 ? 0 : std::min(v.bins, last + 2);
  }
  // Where the bins' accounts stand: theta of the way through each, the same for all, so that
  // the law's active others are the block's.
  v.theta =
      span > 1e-300 ? std::clamp((active_of(twin, y, k, plan, kRest) - known) / span, 0.0, 1.0)
                    : 0.5;
  for (int f = 0; f <= 1; ++f) {
    for (int i = 0; i < v.used[f]; ++i) {
      const double l = std::max(0.0, v.law[f][i]), x = v.at(i);
      v.idle += l * (v.m - x);
      v.idle_by_active += l * (v.m - x) * (f + x);
      v.churning += l * x * v.team(x - 1 + f);
      if (f == 1) v.first_churning += l * v.team(x);
    }
  }
}

void laws_initial(const Twin& twin, State& y) {
  if (!twin.laws.on) return;
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    for (int plan = kProspect; plan < twin.plans; ++plan) {
      const std::size_t b = row(twin, k, plan);
      if (!twin.laws.has(b)) continue;
      const double accounts = y[twin.accounts_at(k, plan)];
      if (!(accounts > 0.0)) continue;
      const int m = twin.classes[k].size - 1;
      const HeadCount head(active_of(twin, y, k, plan, kFirst) / accounts, m,
                           active_of(twin, y, k, plan, kRest) / (accounts * m));
      spread(head, accounts, twin.laws.edges[k], &y[static_cast<std::size_t>(twin.laws.offset[b])]);
    }
  }
}

void law_head(const Twin& twin, const State& y, std::size_t k, int plan, HeadCount& head) {
  thread_local LawView v;
  law_view(twin, y, k, plan, v);
  head_of(v, head);
}

void begin_law(const Twin& twin, const State& y, std::size_t k, int plan, HeadCount& head) {
  LawView& v = twin.laws.views[row(twin, k, plan)];
  law_view(twin, y, k, plan, v);
  head_of(v, head);
}

double invite_mean(const Twin& twin, std::size_t k, int plan, double fallback) {
  const std::size_t b = row(twin, k, plan);
  if (!twin.laws.has(b)) return fallback;
  const LawView& v = twin.laws.views[b];
  return v.idle > 1e-300 ? v.idle_by_active / v.idle : fallback;
}

const LawRates& law_rates(const Twin& twin, std::size_t k, int plan) {
  const std::size_t b = row(twin, k, plan);
  LawRates& r = twin.laws.rates[b];
  if (twin.laws.rates_at[b] == twin.evaluations) return r;
  twin.laws.rates_at[b] = twin.evaluations;
  r = LawRates{};
  r.view = &twin.laws.views[b];
  const LawView& v = *r.view;
  std::array<double, 4> changes{};
  for (int j = 0; j < 4; ++j) changes[static_cast<std::size_t>(j)] = twin.active_change(k, plan, j);
  const std::array<double, 3>& s = twin.laws.signups[b];
  // Others becoming active: the part invites make is the team share of the others' signups,
  // applied to their activations (evaluators are the recent signups' mix of channels).
  const double up = std::max(0.0, changes[kRest]);
  const double team =
      s[1] > 0.0 ? std::min(up, std::max(0.0, s[2]) * std::clamp(s[0] / s[1], 0.0, 1.0)) : 0.0;
  if (v.idle > 1e-300) {
    const bool invited = v.idle_by_active > 1e-300;
    r.u0 = (up - (invited ? team : 0.0)) / v.idle;
    r.ut = invited ? team / v.idle_by_active : 0.0;
  }
  if (v.churning > 1e-300) r.nu = std::max(0.0, changes[2 + kRest]) / v.churning;
  // The first signer: a prospect's first activation moves its account to the engaged (a move).
  if (plan != kProspect && v.accounts[0] > 1e-300) {
    r.b1 = std::max(0.0, changes[kFirst]) / v.accounts[0];
  }
  if (v.first_churning > 1e-300) r.l1 = std::max(0.0, changes[2 + kFirst]) / v.first_churning;
  return r;
}

int law_profile(const Twin& twin, std::size_t k, int plan, const std::function<double(int)>& rate) {
  if (!twin.laws.on || twin.laws.bins(k) <= 0) return -1;
  // A block without a law moves its closure's head count spread over the class's bins (to a
  // block with one: apply_move), its bins' accounts half-way through them.
  const std::size_t b = row(twin, k, plan);
  const bool own = twin.laws.has(b);
  LawView half;
  half.edge = twin.laws.edges[k].data();
  half.bins = twin.laws.bins(k);
  half.used[0] = half.used[1] = half.bins;
  const LawView& v = own ? twin.laws.views[b] : half;
  const std::size_t at = twin.laws.profiles.size();
  twin.laws.profiles.resize(at + 2 * static_cast<std::size_t>(v.bins), 0.0);
  double* p = &twin.laws.profiles[at];
  // Only the bins that hold accounts are moved (apply_move); a single count's rate with the
  // first signer active is the next count's without.
  const int used = std::max(v.used[0], v.used[1]);
  double next = used > 0 ? rate(static_cast<int>(v.at(0) + 0.5)) : 0.0;
  for (int i = 0; i < used; ++i) {
    const int a = static_cast<int>(v.at(i) + 0.5);
    p[i] = next;
    next = i + 1 < v.bins ? rate(static_cast<int>(v.at(i + 1) + 0.5)) : 0.0;
    p[v.bins + i] = i + 1 < v.bins && v.width(i) == 1 && v.edge[i + 1] == a + 1 ? next : rate(a + 1);
  }
  return static_cast<int>(at);
}

namespace {

// The law of the accounts that move: from the source block's law (or, without one, its
// closure's head count), by the move's profile or in proportion. A prospect becoming engaged
// moves with its first signer now active; accounts arriving without access lose their active
// users at once.
void apply_move(const Twin& twin, const State& y, State& dy, const LawMove& move) {
  const std::size_t from = row(twin, move.k, move.from), to = row(twin, move.k, move.to);
  const bool src = twin.laws.has(from), dst = twin.laws.has(to);
  if (!src && !dst) return;
  const int bins = twin.laws.bins(move.k);
  const double accounts = y[twin.accounts_at(move.k, move.from)];
  if (bins <= 0 || !(accounts > 1e-300)) return;
  const double* source = nullptr;
  int used[2] = {bins, bins};
  thread_local std::vector<double> spread_law;
  if (src) {
    const LawView& v = twin.laws.views[from];
    source = v.law[0];
    used[0] = v.used[0];
    used[1] = v.used[1];
  } else if (move.from == kUntouched) {  // nobody signed up: the first signer idle, x = 0
    spread_law.assign(2 * static_cast<std::size_t>(bins), 0.0);
    spread_law[0] = accounts;
    source = spread_law.data();
    used[0] = 1;
    used[1] = 0;
  } else {
    spread_law.resize(2 * static_cast<std::size_t>(bins));
    spread(twin.head(move.k, move.from), accounts, twin.laws.edges[move.k], spread_law.data());
    source = spread_law.data();
  }
  const double* profile =
      move.profile >= 0 ? &twin.laws.profiles[static_cast<std::size_t>(move.profile)] : nullptr;
  const double share = move.accounts / accounts;
  double* d_from = src ? &dy[static_cast<std::size_t>(twin.laws.offset[from])] : nullptr;
  double* d_to = dst ? &dy[static_cast<std::size_t>(twin.laws.offset[to])] : nullptr;
  const bool keeps = twin.access(move.to);
  const bool engages = move.from == kProspect && move.to == kEngaged;
  double total = 0.0;
  for (int f = 0; f <= 1; ++f) {
    const int base = f * bins, to_base = engages ? bins : base;
    for (int i = 0; i < used[f]; ++i) {
      const double moved = std::max(0.0, source[base + i]) * (profile ? profile[base + i] : share);
      if (d_from) d_from[base + i] -= moved;
      if (d_to && keeps) d_to[to_base + i] += moved;
      total += moved;
    }
  }
  if (d_to && !keeps) d_to[0] += total;
}

// The accounts per count at the edge of bin i next to bin j (j = i +- 1): the bin's density
// (accounts per count) leaning towards its neighbour's, a linear profile within the bin (so
// at most twice its density).
double edge_density(const LawView& v, const double* law, int i, int j) {
  const int w = v.width(i);
  const double l = std::max(0.0, law[i]);
  if (w == 1) return l;
  const double here = l / w, there = std::max(0.0, law[j]) / v.width(j);
  const double centre = v.edge[i] + 0.5 * w, next = v.edge[j] + 0.5 * v.width(j);
  const double at = j > i ? v.edge[i + 1] - 0.5 : v.edge[i] + 0.5;
  return std::clamp(here + (there - here) * (at - centre) / (next - centre), 0.0, 2.0 * here);
}

}  // namespace

void law_flows(const Twin& twin, const State& y, State& dy) {
  if (!twin.laws.on) return;
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    for (int plan = kProspect; plan < twin.plans; ++plan) {
      const std::size_t b = row(twin, k, plan);
      if (!twin.laws.has(b) || !(y[twin.accounts_at(k, plan)] > 1e-300)) continue;
      const LawRates& r = law_rates(twin, k, plan);
      const LawView& v = *r.view;
      double* d[2] = {&dy[static_cast<std::size_t>(twin.laws.offset[b])], nullptr};
      d[1] = d[0] + v.bins;
      for (int f = 0; f <= 1; ++f) {
        const double* law = v.law[f];
        for (int i = 0; i < v.used[f]; ++i) {
          const double l = std::max(0.0, law[i]);
          if (l == 0.0) continue;
          // Others: across the bin's upper edge from its last count, across its lower edge
          // from its first.
          const bool single = v.edge[i + 1] - v.edge[i] == 1;
          if (i + 1 < v.bins) {
            const double up =
                (single ? l : edge_density(v, law, i, i + 1)) * r.up(f, v.edge[i + 1] - 1);
            d[f][i] -= up;
            d[f][i + 1] += up;
          }
          if (i > 0) {
            const double down = (single ? l : edge_density(v, law, i, i - 1)) * r.down(f, v.edge[i]);
            d[f][i] -= down;
            d[f][i - 1] += down;
          }
          // The first signer becoming active or ceasing to be.
          const double turn =
              f == 0 ? l * r.b1 : l * r.first_down(v.at(i));
          d[f][i] -= turn;
          d[1 - f][i] += turn;
        }
      }
    }
  }
  for (const LawMove& move : twin.laws.moves) apply_move(twin, y, dy, move);
}

}  // namespace flywheel::meanfield
