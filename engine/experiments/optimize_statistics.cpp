// The statistics of optimize's objective and constraints: mean(X), P(X OP N), quantile(Q, X).
#include <flywheel/experiments/optimize.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace flywheel {

namespace {

constexpr double kZ = 1.959963984540054;  // the normal 97.5% quantile
const double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kExpected =
    "; expected mean(OUTPUT), P(OUTPUT OP NUMBER) or quantile(Q, OUTPUT), e.g. "
    "P(arr_usd@24 >= 5e6)";

}  // namespace

std::optional<OutcomeStatistic> parse_outcome_statistic(const std::string& text,
                                                        std::string& problem) {
  const std::string t = trim_spaces(text);
  const std::size_t open = t.find('(');
  if (open == std::string::npos || t.back() != ')') {
    problem = "is not a statistic" + std::string(kExpected);
    return std::nullopt;
  }
  const std::string name = trim_spaces(t.substr(0, open));
  const std::string inner = t.substr(open + 1, t.size() - open - 2);
  OutcomeStatistic s;
  s.text = t;
  std::string why;
  if (name == "mean") {
    s.kind = OutcomeStatistic::Kind::mean;
    const auto out = parse_output_spec(trim_spaces(inner), why);
    if (!out) {
      problem = "has an output \"" + trim_spaces(inner) + "\" that " + why;
      return std::nullopt;
    }
    s.output = *out;
    return s;
  }
  if (name == "P") {
    s.kind = OutcomeStatistic::Kind::probability;
    const auto c = parse_outcome_condition(inner, why);
    if (!c) {
      problem = "has a condition that " + why;
      return std::nullopt;
    }
    s.condition = *c;
    s.output = c->output;
    return s;
  }
  if (name == "quantile") {
    s.kind = OutcomeStatistic::Kind::quantile;
    const std::size_t comma = inner.find(',');
    const auto q = comma == std::string::npos ? std::nullopt
                                              : parse_finite_number(inner.substr(0, comma));
    if (!q || *q <= 0 || *q >= 1) {
      problem = "needs a level Q in (0, 1) before a comma" + std::string(kExpected);
      return std::nullopt;
    }
    s.q = *q;
    const auto out = parse_output_spec(trim_spaces(inner.substr(comma + 1)), why);
    if (!out) {
      problem = "has an output \"" + trim_spaces(inner.substr(comma + 1)) + "\" that " + why;
      return std::nullopt;
    }
    s.output = *out;
    return s;
  }
  problem = "has an unknown statistic \"" + name + "\"" + std::string(kExpected);
  return std::nullopt;
}

StatisticValue evaluate_statistic(const OutcomeStatistic& s, const std::vector<double>& samples) {
  StatisticValue v{kNaN, kNaN, kNaN};
  if (s.kind == OutcomeStatistic::Kind::probability) {
    const double n = static_cast<double>(samples.size());
    if (n == 0) return v;
    double k = 0;
    for (double x : samples) k += s.condition.holds(x) ? 1 : 0;
    const double p = k / n, z2 = kZ * kZ;
    const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    const double half = kZ * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    return {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
  }
  std::vector<double> x;
  for (double d : samples) {
    if (std::isfinite(d)) x.push_back(d);
  }
  const double n = static_cast<double>(x.size());
  if (x.empty()) return v;
  if (s.kind == OutcomeStatistic::Kind::mean) {
    double sum = 0;
    for (double d : x) sum += d;
    const double mean = sum / n;
    double ss = 0;
    for (double d : x) ss += (d - mean) * (d - mean);
    const double se = x.size() > 1 ? std::sqrt(ss / (n - 1) / n) : kNaN;
    return {mean, mean - kZ * se, mean + kZ * se};
  }
  std::sort(x.begin(), x.end());
  auto at_rank = [&](double h) {  // linear interpolation between order statistics, 0-based
    h = std::clamp(h, 0.0, n - 1);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, x.size() - 1);
    return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
  };
  const double spread = kZ * std::sqrt(n * s.q * (1 - s.q));
  return {at_rank((n - 1) * s.q), x[static_cast<std::size_t>(std::clamp(
                                      std::floor(n * s.q - spread) - 1, 0.0, n - 1))],
          x[static_cast<std::size_t>(std::clamp(std::ceil(n * s.q + spread) - 1, 0.0, n - 1))]};
}

std::string_view optimize_method_name(OptimizeMethod m) {
  switch (m) {
    case OptimizeMethod::cobyla:
      return "cobyla";
    case OptimizeMethod::neldermead:
      return "neldermead";
    case OptimizeMethod::sbplx:
      return "sbplx";
    case OptimizeMethod::esch:
      return "esch";
    case OptimizeMethod::crs2:
      return "crs2";
  }
  return "?";
}

}  // namespace flywheel
