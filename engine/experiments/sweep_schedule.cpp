#include <flywheel/experiments/sweep_schedule.hpp>

#include <fmt/format.h>
#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace flywheel {

namespace {

std::optional<int> whole_number(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<Shard> parse_shard(const std::string& text, std::string& problem) {
  const std::size_t slash = text.find('/');
  if (slash != std::string::npos) {
    const int k = whole_number(std::string_view(text).substr(0, slash)).value_or(0);
    const int n = whole_number(std::string_view(text).substr(slash + 1)).value_or(0);
    if (n >= 1 && k >= 1 && k <= n) return Shard{k, n};
  }
  problem = fmt::format(
      "\"{}\" is not a shard; expected k/N with 1 <= k <= N (e.g. 3/16; in a Slurm job array "
      "--array=1-16: --shard ${{SLURM_ARRAY_TASK_ID}}/16)",
      text);
  return std::nullopt;
}

std::optional<Precision> parse_precision(const std::string& text,
                                         const std::vector<std::string>& outputs,
                                         int max_replicates, std::string& problem) {
  const std::size_t colon = text.rfind(':');
  Precision p;
  p.max_replicates = max_replicates;
  p.output = text.substr(0, colon);
  std::string target = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (!target.empty() && target.back() == '%') {
    p.relative = true;
    target.pop_back();
  }
  const auto it = std::find(outputs.begin(), outputs.end(), p.output);
  char* end = nullptr;
  p.target = target.empty() ? 0 : std::strtod(target.c_str(), &end);
  const bool number_ok = !target.empty() && end == target.c_str() + target.size() &&
                         std::isfinite(p.target) && p.target > 0;
  if (it == outputs.end() || !number_ok) {
    problem = fmt::format(
        "\"{}\" is not a precision target; expected OUTPUT:HALF_WIDTH or "
        "OUTPUT:PERCENT% with OUTPUT one of the spec's outputs ({}) and a "
        "positive target, e.g. {}:2%",
        text, fmt::join(outputs, ", "), outputs.empty() ? "" : outputs.front());
    return std::nullopt;
  }
  if (p.relative) p.target /= 100.0;
  p.output_index = static_cast<int>(it - outputs.begin());
  return p;
}

bool precision_met(const Precision& precision, const std::vector<double>& values) {
  double sum = 0, sum_sq = 0;
  int n = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    sum += v;
    ++n;
  }
  if (n < 2) return values.size() >= 2;  // undefined output: more replicates will not help
  const double mean = sum / n;
  for (double v : values) {
    if (!std::isnan(v)) sum_sq += (v - mean) * (v - mean);
  }
  const double se = std::sqrt(sum_sq / (n - 1) / n);
  const double t = boost::math::quantile(boost::math::students_t(n - 1), 0.975);
  const double limit = precision.relative ? precision.target * std::abs(mean) : precision.target;
  return t * se <= limit;
}

UnitScheduler::UnitScheduler(const SweepIdentity& identity, Shard shard,
                             const std::vector<SweepUnit>& finished,
                             const std::vector<SweepUnit>& failed, const RowsOf& rows_of)
    : precision_(identity.precision), batch_(identity.replicates) {
  const std::set<SweepUnit> done(finished.begin(), finished.end());
  const std::set<SweepUnit> broken(failed.begin(), failed.end());
  for (int point = 0; point < identity.points; ++point) {
    if (!shard.owns(point)) continue;
    PointState& state = points_[point];
    std::optional<SweepUnit> unit = SweepUnit{point, 0, 0};
    unit->r1 = precision_ ? std::min(batch_, precision_->max_replicates) : batch_;
    while (unit && done.contains(*unit)) {
      absorb(state, rows_of(*unit));
      ++restored_;
      unit = follow_up(point);
    }
    if (!unit) continue;
    if (broken.contains(*unit)) {
      ++restored_;
      continue;
    }
    queue_.push_back(*unit);
  }
}

void UnitScheduler::absorb(PointState& state, const std::vector<std::vector<double>>& rows) const {
  state.replicates_done += static_cast<int>(rows.size());
  if (!precision_) return;
  for (const auto& row : rows) state.values.push_back(row.at(precision_->output_index));
}

// The next batch of a point, or nothing when it has enough replicates.
std::optional<SweepUnit> UnitScheduler::follow_up(int point) const {
  const PointState& state = points_.at(point);
  if (!precision_ || state.replicates_done >= precision_->max_replicates ||
      precision_met(*precision_, state.values)) {
    return std::nullopt;
  }
  const int r0 = state.replicates_done;
  return SweepUnit{point, r0, std::min(r0 + batch_, precision_->max_replicates)};
}

std::optional<SweepUnit> UnitScheduler::next() {
  if (queue_.empty()) return std::nullopt;
  const SweepUnit unit = queue_.front();
  queue_.pop_front();
  ++running_;
  return unit;
}

void UnitScheduler::completed(const SweepUnit& unit, const std::vector<std::vector<double>>& rows) {
  --running_;
  absorb(points_.at(unit.point), rows);
  if (auto more = follow_up(unit.point)) queue_.push_back(*more);
}

void UnitScheduler::failed(const SweepUnit&) {
  --running_;
}

}  // namespace flywheel
