#include <flywheel/experiments/prim.hpp>

#include <boost/math/distributions/binomial.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace flywheel {

namespace {

using Matrix = std::vector<std::vector<double>>;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

bool inside(const std::vector<double>& xi, const std::vector<double>& lo,
            const std::vector<double>& hi) {
  for (std::size_t d = 0; d < xi.size(); ++d) {
    if (xi[d] < lo[d] || xi[d] > hi[d]) return false;
  }
  return true;
}

// Inside the box in every dimension but `free`.
bool inside_except(const std::vector<double>& xi, const std::vector<double>& lo,
                   const std::vector<double>& hi, std::size_t free) {
  for (std::size_t d = 0; d < xi.size(); ++d) {
    if (d != free && (xi[d] < lo[d] || xi[d] > hi[d])) return false;
  }
  return true;
}

struct Cases {
  const Matrix& x;
  const std::vector<double>& y;
  std::vector<double> data_lo, data_hi;
  double total = 0;
  int n = 0, dims = 0;
};

PrimBox describe_box(const Cases& c, std::vector<double> lo, std::vector<double> hi) {
  PrimBox box;
  double sum = 0;
  for (int i = 0; i < c.n; ++i) {
    if (!inside(c.x[i], lo, hi)) continue;
    ++box.cases;
    sum += c.y[i];
  }
  box.coverage = c.total > 0 ? sum / c.total : kNaN;
  box.density = box.cases > 0 ? sum / box.cases : kNaN;
  box.mass = static_cast<double>(box.cases) / c.n;
  for (int d = 0; d < c.dims; ++d) {
    if (lo[d] > c.data_lo[d] || hi[d] < c.data_hi[d]) ++box.restricted;
  }
  box.lo = std::move(lo);
  box.hi = std::move(hi);
  box.quasi_p.assign(static_cast<std::size_t>(c.dims), kNaN);
  return box;
}

// Cases as indices, with the mean of y over them.
double mean_of(const Cases& c, const std::vector<int>& cases) {
  double sum = 0;
  for (int i : cases) sum += c.y[i];
  return cases.empty() ? kNaN : sum / static_cast<double>(cases.size());
}

int step_count(double alpha, std::size_t m) {
  return std::max(1, static_cast<int>(std::floor(alpha * static_cast<double>(m))));
}

struct Peel {
  std::vector<int> cases;
  double mean = -1;
  int dim = -1;
  bool lower = true;
};

// The best single peel of the box holding `cases`; dim -1 when none leaves enough cases.
Peel best_peel(const Cases& c, const std::vector<int>& cases, double alpha, int min_cases) {
  Peel best;
  const std::size_t m = cases.size();
  const int k = step_count(alpha, m);
  std::vector<double> v(m);
  for (int d = 0; d < c.dims; ++d) {
    for (std::size_t i = 0; i < m; ++i) v[i] = c.x[cases[i]][d];
    std::sort(v.begin(), v.end());
    if (v.front() == v.back()) continue;  // nothing to peel in this dimension
    for (const bool lower : {true, false}) {
      const double t = lower ? v[static_cast<std::size_t>(k - 1)] : v[m - static_cast<std::size_t>(k)];
      std::vector<int> kept;
      kept.reserve(m);
      for (int i : cases) {
        const double xi = c.x[i][d];
        if (lower ? xi > t : xi < t) kept.push_back(i);
      }
      if (static_cast<int>(kept.size()) < min_cases || kept.empty()) continue;
      const double mean = mean_of(c, kept);
      if (mean > best.mean || (mean == best.mean && kept.size() > best.cases.size())) {
        best = Peel{std::move(kept), mean, d, lower};
      }
    }
  }
  return best;
}

// Widens the box, one paste at a time, while a paste raises its density.
PrimBox paste(const Cases& c, const PrimBox& start, double alpha) {
  std::vector<double> lo = start.lo, hi = start.hi;
  std::vector<int> in;
  for (int i = 0; i < c.n; ++i) {
    if (inside(c.x[i], lo, hi)) in.push_back(i);
  }
  double current = mean_of(c, in);
  for (int round = 0; round < 10000 && !in.empty(); ++round) {
    const int k = step_count(alpha, in.size());
    double best_mean = current;
    int best_dim = -1;
    double best_edge = 0;
    bool best_lower = true;
    for (int d = 0; d < c.dims; ++d) {
      for (const bool lower : {true, false}) {
        // Cases outside only through dimension d, on this side.
        std::vector<double> outside;
        for (int i = 0; i < c.n; ++i) {
          const double xi = c.x[i][d];
          if (lower ? xi >= lo[d] : xi <= hi[d]) continue;
          if (inside_except(c.x[i], lo, hi, static_cast<std::size_t>(d))) outside.push_back(xi);
        }
        if (outside.empty()) continue;
        std::sort(outside.begin(), outside.end());
        if (lower) std::reverse(outside.begin(), outside.end());  // nearest first
        const double edge = outside[std::min(outside.size(), static_cast<std::size_t>(k)) - 1];
        std::vector<double> l = lo, h = hi;
        (lower ? l[d] : h[d]) = edge;
        double sum = 0;
        int count = 0;
        for (int i = 0; i < c.n; ++i) {
          if (!inside(c.x[i], l, h)) continue;
          sum += c.y[i];
          ++count;
        }
        const double mean = count > 0 ? sum / count : kNaN;
        if (mean > best_mean) {
          best_mean = mean;
          best_dim = d;
          best_edge = edge;
          best_lower = lower;
        }
      }
    }
    if (best_dim < 0) break;
    (best_lower ? lo[best_dim] : hi[best_dim]) = best_edge;
    in.clear();
    for (int i = 0; i < c.n; ++i) {
      if (inside(c.x[i], lo, hi)) in.push_back(i);
    }
    current = best_mean;
  }
  return describe_box(c, lo, hi);
}

}  // namespace

int choose_box(const std::vector<PrimBox>& trajectory, double threshold, std::string& why) {
  int chosen = -1;
  for (std::size_t k = 0; k < trajectory.size(); ++k) {
    const PrimBox& b = trajectory[k];
    if (!(b.density >= threshold)) continue;
    if (chosen < 0 || b.coverage > trajectory[static_cast<std::size_t>(chosen)].coverage)
      chosen = static_cast<int>(k);
  }
  if (chosen >= 0) {
    why = fmt::format("the box of highest coverage among those of density >= {}", threshold);
    return chosen;
  }
  chosen = 0;
  for (std::size_t k = 0; k < trajectory.size(); ++k) {
    if (trajectory[k].density > trajectory[static_cast<std::size_t>(chosen)].density)
      chosen = static_cast<int>(k);
  }
  why = fmt::format("no box reaches density {}: the densest box", threshold);
  return chosen;
}

std::vector<double> quasi_p_values(const Matrix& x, const std::vector<double>& y,
                                   const PrimBox& box, const std::vector<double>& data_lo,
                                   const std::vector<double>& data_hi) {
  const std::size_t dims = box.lo.size();
  std::vector<double> p(dims, kNaN);
  double box_sum = 0;
  int box_cases = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!inside(x[i], box.lo, box.hi)) continue;
    box_sum += y[i];
    ++box_cases;
  }
  const double hits = std::round(box_sum);
  for (std::size_t d = 0; d < dims; ++d) {
    if (!(box.lo[d] > data_lo[d] || box.hi[d] < data_hi[d])) continue;
    std::vector<double> lo = box.lo, hi = box.hi;
    lo[d] = data_lo[d];
    hi[d] = data_hi[d];
    double sum = 0;
    int cases = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!inside(x[i], lo, hi)) continue;
      sum += y[i];
      ++cases;
    }
    if (box_cases == 0 || cases == 0) continue;
    const double rate = std::clamp(sum / cases, 0.0, 1.0);
    if (hits <= 0) {
      p[d] = 1.0;
    } else if (rate <= 0) {
      p[d] = 0.0;
    } else if (rate >= 1) {
      p[d] = 1.0;
    } else {
      const boost::math::binomial_distribution<double> b(box_cases, rate);
      p[d] = boost::math::cdf(boost::math::complement(b, hits - 1));
    }
  }
  return p;
}

PrimResult prim(const Matrix& x, const std::vector<double>& y, const PrimOptions& options) {
  if (x.empty() || x.size() != y.size()) throw std::invalid_argument("prim: no cases, or x and y differ in length");
  Cases c{x, y, {}, {}, 0, static_cast<int>(x.size()), static_cast<int>(x.front().size())};
  c.data_lo.assign(static_cast<std::size_t>(c.dims), std::numeric_limits<double>::infinity());
  c.data_hi.assign(static_cast<std::size_t>(c.dims), -std::numeric_limits<double>::infinity());
  for (int i = 0; i < c.n; ++i) {
    if (static_cast<int>(x[i].size()) != c.dims) throw std::invalid_argument("prim: ragged x");
    c.total += y[i];
    for (int d = 0; d < c.dims; ++d) {
      c.data_lo[d] = std::min(c.data_lo[d], x[i][d]);
      c.data_hi[d] = std::max(c.data_hi[d], x[i][d]);
    }
  }
  PrimResult result;
  result.total = c.total;
  result.data_lo = c.data_lo;
  result.data_hi = c.data_hi;
  std::vector<double> lo = c.data_lo, hi = c.data_hi;
  result.trajectory.push_back(describe_box(c, lo, hi));
  std::vector<int> in(static_cast<std::size_t>(c.n));
  for (int i = 0; i < c.n; ++i) in[static_cast<std::size_t>(i)] = i;
  const int min_cases =
      std::max(1, static_cast<int>(std::ceil(options.min_mass * static_cast<double>(c.n))));
  while (result.trajectory.back().density < 1.0) {
    Peel peel = best_peel(c, in, options.alpha, min_cases);
    if (peel.dim < 0) break;
    double edge = peel.lower ? std::numeric_limits<double>::infinity()
                             : -std::numeric_limits<double>::infinity();
    for (int i : peel.cases) {
      const double xi = x[i][peel.dim];
      edge = peel.lower ? std::min(edge, xi) : std::max(edge, xi);
    }
    (peel.lower ? lo[peel.dim] : hi[peel.dim]) = edge;
    in = std::move(peel.cases);
    result.trajectory.push_back(describe_box(c, lo, hi));
  }
  result.chosen = choose_box(result.trajectory, options.threshold, result.choice);
  result.pasted = paste(c, result.trajectory[static_cast<std::size_t>(result.chosen)],
                        options.alpha);
  for (PrimBox& box : result.trajectory)
    box.quasi_p = quasi_p_values(x, y, box, c.data_lo, c.data_hi);
  result.pasted.quasi_p = quasi_p_values(x, y, result.pasted, c.data_lo, c.data_hi);
  return result;
}

}  // namespace flywheel
