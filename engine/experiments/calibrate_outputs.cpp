#include "calibrate_outputs.hpp"

#include "common/key_path.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/common/rng.hpp>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace flywheel {

namespace fs = std::filesystem;

namespace {

// Stream keys past every generation's: the resampling and the forecast's seeds.
constexpr std::uint32_t kSampleKey = 0xFFFFFFF0u;
constexpr std::uint32_t kForecastKey = 0xFFFFFFF1u;

std::string number(double x) {
  return std::isfinite(x) ? fmt::format("{}", x) : std::string();
}

std::string header(const CalibrationSpec& spec) {
  std::string h;
  for (const CalibrationParam& p : spec.params) h += "," + p.path;
  return h;
}

// Linear interpolation between order statistics (type 7).
double quantile(std::vector<double> xs, double q) {
  xs.erase(std::remove_if(xs.begin(), xs.end(), [](double x) { return !std::isfinite(x); }),
           xs.end());
  if (xs.empty()) return std::nan("");
  std::sort(xs.begin(), xs.end());
  const double h = q * static_cast<double>(xs.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, xs.size() - 1);
  return xs[lo] + (h - static_cast<double>(lo)) * (xs[hi] - xs[lo]);
}

std::vector<double> column(const abc::Population& pop, std::size_t k) {
  std::vector<double> c;
  for (const auto& v : pop.values) c.push_back(v[k]);
  return c;
}

}  // namespace

std::string posterior_csv(const CalibrationSpec& spec, const std::vector<abc::Population>& pops) {
  std::string out = "generation,particle,weight,distance" + header(spec) + "\n";
  for (const abc::Population& pop : pops) {
    for (std::size_t i = 0; i < pop.values.size(); ++i) {
      out += fmt::format("{},{},{},{}", pop.generation, i, pop.weights[i],
                         number(pop.distances[i]));
      for (double v : pop.values[i]) {
        out += ',';
        out += number(v);
      }
      out += "\n";
    }
  }
  return out;
}

std::string generations_csv(const std::vector<abc::Population>& pops) {
  std::string out = "generation,tolerance,acceptance_rate,ess,simulations,simulations_total\n";
  long long total = 0;
  for (const abc::Population& pop : pops) {
    total += pop.simulations;
    out += fmt::format("{},{},{},{},{},{}\n", pop.generation, number(pop.tolerance),
                       pop.acceptance(), pop.ess(), pop.simulations, total);
  }
  return out;
}

std::vector<int> posterior_draws(const CalibrationSpec& spec, const abc::Population& last,
                                 int n) {
  const RandomStreams streams(spec.seed, kSampleKey);
  DrawEngine draws(streams, static_cast<std::uint32_t>(n), 0, Decision::calibration);
  const double u = (static_cast<double>(draws()) + 0.5) / 4294967296.0;
  return abc::systematic_resample(last.weights, n, u);
}

std::string posterior_sample_csv(const CalibrationSpec& spec, const abc::Population& last) {
  std::string out = "draw" + header(spec) + "\n";
  const std::vector<int> draws =
      posterior_draws(spec, last, static_cast<int>(last.values.size()));
  for (std::size_t d = 0; d < draws.size(); ++d) {
    out += std::to_string(d);
    for (double v : last.values[static_cast<std::size_t>(draws[d])]) {
      out += ',';
      out += number(v);
    }
    out += "\n";
  }
  return out;
}

std::vector<Marginal> marginals(const CalibrationSpec& spec, const abc::Population& last) {
  std::vector<Marginal> out;
  for (std::size_t k = 0; k < spec.params.size(); ++k) {
    const CalibrationParam& p = spec.params[k];
    const std::vector<double> c = column(last, k);
    Marginal m;
    m.path = p.path;
    m.p5 = abc::weighted_quantile(c, last.weights, 0.05);
    m.p50 = abc::weighted_quantile(c, last.weights, 0.5);
    m.p95 = abc::weighted_quantile(c, last.weights, 0.95);
    m.prior_lo = p.prior.lo;
    m.prior_hi = p.prior.hi;
    // A posterior piled up within 2% of a bounded prior's end: the data want values the prior
    // excludes, or the parameter is not identified on that side.
    const bool log = p.prior.kind == Prior::Kind::log_uniform;
    if (std::isfinite(p.prior.lo) && std::isfinite(p.prior.hi) && (!log || p.prior.lo > 0)) {
      auto t = [log](double x) { return log ? std::log(x) : x; };
      const double span = t(p.prior.hi) - t(p.prior.lo);
      if (t(m.p5) < t(p.prior.lo) + 0.02 * span && t(m.p50) < t(p.prior.lo) + 0.25 * span) {
        m.warning = fmt::format("the posterior reaches the prior's lower bound {}", p.prior.lo);
      } else if (t(m.p95) > t(p.prior.hi) - 0.02 * span &&
                 t(m.p50) > t(p.prior.lo) + 0.75 * span) {
        m.warning = fmt::format("the posterior reaches the prior's upper bound {}", p.prior.hi);
      }
    }
    out.push_back(m);
  }
  return out;
}

std::string calibrated_yaml(const CalibrationSpec& spec, const abc::Population& last,
                            const fs::path& out_dir) {
  const std::vector<Marginal> ms = marginals(spec, last);
  const fs::path base = fs::absolute(spec.base_file).lexically_normal();
  const std::string rel = base.lexically_relative(fs::absolute(out_dir)).generic_string();
  std::string out = fmt::format(
      "# The base scenario with the posterior medians of `flywheel calibrate {}` (generation {}, "
      "{} particles).\n# The whole posterior is posterior_sample.csv (one draw a row, equal "
      "weights).\nextends: {}\n",
      spec.file, last.generation, last.values.size(), rel.empty() ? base.string() : rel);
  // Nested maps by key path; paths through a list ([i]) cannot be merged by `extends:` and are
  // listed as --set options instead.
  std::vector<std::pair<std::string, std::string>> items;
  for (const SweepParam& p : spec.fixed) items.push_back({p.path, p.domain.values.front()});
  for (std::size_t k = 0; k < spec.params.size(); ++k) {
    const double v = ms[k].p50;
    items.push_back({spec.params[k].path, spec.params[k].integer
                                              ? fmt::format("{}", std::llround(v))
                                              : fmt::format("{}", v)});
  }
  std::vector<std::string> prefix;  // the keys of the block being written
  std::string sets;
  for (const auto& [path, value] : items) {
    if (path.find('[') != std::string::npos) {
      sets += fmt::format("#   --set {}={}\n", path, value);
      continue;
    }
    std::vector<std::string> keys;
    for (const loader::PathStep& s : loader::parse_key_path(path).steps) keys.push_back(s.key);
    std::size_t common = 0;
    while (common < prefix.size() && common + 1 < keys.size() && prefix[common] == keys[common])
      ++common;
    for (std::size_t d = common; d + 1 < keys.size(); ++d)
      out += std::string(2 * d, ' ') + keys[d] + ":\n";
    out += std::string(2 * (keys.size() - 1), ' ') + keys.back() + ": " + value + "\n";
    prefix.assign(keys.begin(), keys.end() - 1);
  }
  if (!sets.empty())
    out += "# Parameters inside lists, which extends: replaces whole; run with:\n" + sets;
  return out;
}

std::string forecast_csv(const CalibrationSpec& spec, const CalibrationModel& model,
                         const abc::Population& last) {
  const std::vector<int> draws = posterior_draws(spec, last, spec.forecast_draws);
  const RandomStreams streams(spec.seed, kForecastKey);
  // runs[d]: each replicate's months of draw d.
  std::vector<std::vector<std::vector<MetricValues>>> runs(draws.size());
  tbb::parallel_for(std::size_t{0}, draws.size(), [&](std::size_t d) {
    const std::uint32_t seed = streams.words(static_cast<std::uint32_t>(d), 0,
                                             Decision::calibration)[0];
    try {
      runs[d] = model.replicates(last.values[static_cast<std::size_t>(draws[d])], seed);
    } catch (const InputError&) {
      runs[d].clear();  // an invalid draw adds nothing
    }
  });
  std::vector<int> metrics;  // the data's, in order of first appearance
  std::map<std::pair<int, int>, double> data;
  for (const Observation& o : spec.data) {
    const int m = static_cast<int>(o.metric);
    if (std::find(metrics.begin(), metrics.end(), m) == metrics.end()) metrics.push_back(m);
    data[{o.month, m}] = o.value;
  }
  std::string out = "month,metric,data,p5,p50,p95,mean\n";
  for (const int metric : metrics) {
    for (int month = 1; month <= spec.horizon; ++month) {
      std::vector<double> xs;
      for (const auto& draw : runs)
        for (const auto& run : draw) xs.push_back(run[static_cast<std::size_t>(month - 1)][metric]);
      double sum = 0;
      int n = 0;
      for (double x : xs)
        if (std::isfinite(x)) sum += x, ++n;
      const auto it = data.find({month, metric});
      out += fmt::format("{},{},{},{},{},{},{}\n", month, metric_name(static_cast<Metric>(metric)),
                         it != data.end() ? number(it->second) : "", number(quantile(xs, 0.05)),
                         number(quantile(xs, 0.5)), number(quantile(xs, 0.95)),
                         n > 0 ? number(sum / n) : "");
    }
  }
  return out;
}

}  // namespace flywheel
