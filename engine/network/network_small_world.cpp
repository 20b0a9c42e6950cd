#include "network_small_world.hpp"

#include <algorithm>

namespace flywheel::model {

namespace {

// Ring distance between people a and b on a ring of n.
std::uint32_t ring_distance(std::uint32_t a, std::uint32_t b, std::uint32_t n) {
  const std::uint32_t d = a > b ? a - b : b - a;
  return std::min(d, n - d);
}

// A random person outside u's lattice neighbourhood (ring distance > half); one exists.
std::uint32_t rewired_target(NetworkDraws& draws, std::uint32_t u, std::uint32_t n,
                             std::uint32_t half) {
  while (true) {
    const std::uint32_t w = draws.below(n);
    if (w != u && ring_distance(u, w, n) > half) return w;
  }
}

// Redraws of one tie before checking whether any target is left (a check that scans the
// moved ties, so it is kept for the rare tie that keeps hitting taken targets).
constexpr int kRedrawsBeforeCheck = 64;

}  // namespace

SmallWorldTies::SmallWorldTies(const RandomStreams& streams, std::uint32_t n, int mean_degree,
                               double rewiring)
    : n_(n), half_(static_cast<std::uint32_t>(std::max(mean_degree, 0) / 2)) {
  if (n < 2 || half_ == 0) return;
  moved_.resize(block_count(n, kRowBlock));
  has_moved_.assign((std::size_t{n} + 63) / 64, 0);
  draw_moves(streams, rewiring);
  resolve_repeats(streams);
}

// Each person's moves and first targets come from its own draws (index 0 on), so blocks of
// people run in parallel.
void SmallWorldTies::draw_moves(const RandomStreams& streams, double rewiring) {
  const bool can_move = n_ > 2 * half_ + 1;  // someone lies outside the lattice neighbourhood
  const std::uint64_t threshold = can_move ? probability_threshold(rewiring) : 0;
  for_each_block(n_, kRowBlock, [&](std::size_t b, std::size_t begin, std::size_t end) {
    std::vector<Moved>& moved = moved_[b];
    for (auto u = static_cast<std::uint32_t>(begin); u < end; ++u) {
      NetworkDraws draws(streams, u, 0);
      for (std::uint32_t j = 1; j <= half_; ++j) {
        if (draws.word() < threshold) moved.push_back({u, j, rewired_target(draws, u, n_, half_)});
      }
      // A block is a whole number of 64-bit words (kRowBlock % 64 == 0): no word is shared.
      if (!moved.empty() && moved.back().u == u) {
        has_moved_[u / 64] |= std::uint64_t{1} << (u % 64);
      }
    }
    moved.shrink_to_fit();
  });
}

// The moved ties of person u (a range of its block's list).
std::pair<const SmallWorldTies::Moved*, const SmallWorldTies::Moved*> SmallWorldTies::row(
    std::uint32_t u) const {
  static_assert(kRowBlock % 64 == 0);
  if (!((has_moved_[u / 64] >> (u % 64)) & 1u)) return {nullptr, nullptr};
  const std::vector<Moved>& list = moved_[u / kRowBlock];
  const auto [first, last] =
      std::equal_range(list.begin(), list.end(), Moved{u, 0, 0},
                       [](const Moved& a, const Moved& b) { return a.u < b.u; });
  return {list.data() + (first - list.begin()), list.data() + (last - list.begin())};
}

bool SmallWorldTies::has(std::uint32_t a, std::uint32_t b) const {
  if (moved_.empty() || a == b) return false;
  const std::uint32_t d = ring_distance(a, b, n_);
  if (d > half_) {
    for (const auto& [u, w] : {std::pair{a, b}, std::pair{b, a}}) {
      const auto [first, last] = row(u);
      if (std::any_of(first, last, [w](const Moved& e) { return e.w == w; })) return true;
    }
    return false;
  }
  // The lattice tie (u, u + d): there unless it moved (a tie with no free target stays put).
  const std::uint32_t u = lattice(a, d) == b ? a : b;
  const auto [first, last] = row(u);
  const Moved* e = std::find_if(first, last, [d](const Moved& m) { return m.slot == d; });
  return e == last || e->w == lattice(u, d);
}

// Whether the tie at `at` repeats an earlier moved tie, in tie order (person, then slot).
// Moved ties never meet lattice ties (they leave the neighbourhood), so the earlier ties it
// can repeat are its own person's earlier slots, or a tie of person w < u that went to u.
bool SmallWorldTies::seen(TiePos at) const {
  const std::vector<Moved>& list = moved_[at.first];
  const Moved& t = list[at.second];
  for (std::size_t i = at.second; i-- > 0 && list[i].u == t.u;) {
    if (list[i].w == t.w) return true;
  }
  if (t.w > t.u) return false;  // w's own ties come after u's
  const auto [first, last] = row(t.w);
  return std::any_of(first, last, [&](const Moved& e) { return e.w == t.u; });
}

// Whether some person outside u's neighbourhood is not yet tied to u by an earlier moved tie.
// Earlier moved ties are distinct, so counting those that touch u counts u's taken targets.
bool SmallWorldTies::has_free_target(TiePos at) const {
  const std::uint32_t u = moved_[at.first][at.second].u;
  std::uint64_t taken = 0;
  for (std::size_t b = 0; b <= at.first; ++b) {
    const std::size_t end = b == at.first ? at.second : moved_[b].size();
    for (std::size_t i = 0; i < end; ++i) {
      const Moved& e = moved_[b][i];
      const bool touches = (e.u == u || e.w == u) && ring_distance(e.u, e.w, n_) > half_;
      taken += touches ? 1 : 0;
    }
  }
  return taken < std::uint64_t{n_} - 2 * half_ - 1;
}

// After the tie at `at` took a new target, the later ties that now repeat it: u's later slots
// with that target, and the ties of that person (if after u) that went to u.
void SmallWorldTies::queue_later_repeats(TiePos at, std::set<TiePos>& pending) const {
  const std::vector<Moved>& list = moved_[at.first];
  const Moved& t = list[at.second];
  for (std::size_t i = at.second + 1; i < list.size() && list[i].u == t.u; ++i) {
    if (list[i].w == t.w) pending.insert({at.first, i});
  }
  if (t.w < t.u) return;
  const auto [first, last] = row(t.w);
  const Moved* base = moved_[t.w / kRowBlock].data();
  for (const Moved* e = first; e != last; ++e) {
    if (e->w == t.u) pending.insert({t.w / kRowBlock, static_cast<std::size_t>(e - base)});
  }
}

// Moved ties may meet each other: a repeat is drawn again (draws from kRedrawIndex on, keyed
// by its person and slot), in tie order, so the graph is simple and the mean degree exact.
// Repeats are rare: a parallel pass finds the ties that repeat one with its first target, and
// only those, plus the ties a redraw lands on, are revisited in order. A tie whose person has
// every target outside its neighbourhood taken stays on the lattice (small rings with much
// rewiring); the graph stays simple and the degree exact.
void SmallWorldTies::resolve_repeats(const RandomStreams& streams) {
  std::vector<std::vector<std::size_t>> flagged(moved_.size());
  for_each_block(moved_.size(), 1, [&](std::size_t b, std::size_t, std::size_t) {
    for (std::size_t i = 0; i < moved_[b].size(); ++i) {
      if (seen({b, i})) flagged[b].push_back(i);
    }
  });
  std::set<TiePos> pending;
  for (std::size_t b = 0; b < flagged.size(); ++b) {
    for (std::size_t i : flagged[b]) pending.insert({b, i});
  }
  while (!pending.empty()) {
    const TiePos at = *pending.begin();
    pending.erase(pending.begin());
    if (!seen(at)) continue;  // the tie it repeated was itself redrawn
    Moved& t = moved_[at.first][at.second];
    NetworkDraws redraw(streams, t.u, kRedrawIndex + (t.slot - 1) * 256);
    int redraws = 0;
    do {
      if (++redraws == kRedrawsBeforeCheck && !has_free_target(at)) {
        t.w = lattice(t.u, t.slot);  // stays put
        break;
      }
      t.w = rewired_target(redraw, t.u, n_, half_);
    } while (seen(at));
    queue_later_repeats(at, pending);
  }
}

}  // namespace flywheel::model
