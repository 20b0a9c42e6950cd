// Sweep outputs: "metric@M", "metric@last", "metric@STAT" or "metric@STAT:A-B", each reduced
// from one replicate's monthly metrics to one number.
#include <flywheel/experiments/sweep.hpp>

#include <charconv>
#include <cmath>
#include <limits>

namespace flywheel {

namespace {

std::optional<int> month_number(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

constexpr std::string_view kExpected =
    "; expected metric@M (a month >= 1), metric@last, or metric@STAT or metric@STAT:A-B with STAT "
    "mean, min, max or sum (e.g. arr_usd@36, logo_churn@mean:1-36)";

}  // namespace

std::optional<OutputSpec> parse_output_spec(const std::string& text, std::string& problem) {
  OutputSpec out;
  out.name = text;
  const std::size_t at = text.find('@');
  const std::string metric = text.substr(0, at);
  if (const auto m = metric_by_name(metric)) {
    out.metric = *m;
  } else if (metric == "y" || metric == "cost") {  // the test models' outputs
    out.metric = Metric{};
  } else {
    problem = "names no metric (\"" + metric + "\")" + std::string(kExpected);
    return std::nullopt;
  }
  if (at == std::string::npos) {
    if (metric == "y" || metric == "cost") return out;
    problem = "has no @month" + std::string(kExpected);
    return std::nullopt;
  }
  std::string_view when = std::string_view(text).substr(at + 1);
  if (when == "last") return out;  // Stat::at with month 0 = the horizon
  if (const auto month = month_number(when)) {
    out.from_month = out.to_month = *month;
    return out;
  }
  const std::size_t colon = when.find(':');
  const std::string_view stat = when.substr(0, colon);
  using S = OutputSpec::Stat;
  if (stat == "mean")
    out.stat = S::mean;
  else if (stat == "min")
    out.stat = S::min;
  else if (stat == "max")
    out.stat = S::max;
  else if (stat == "sum")
    out.stat = S::sum;
  else {
    problem =
        "has an unknown month or statistic \"" + std::string(when) + "\"" + std::string(kExpected);
    return std::nullopt;
  }
  if (colon == std::string_view::npos) return out;  // every month
  const std::string_view span = when.substr(colon + 1);
  const std::size_t dash = span.find('-');
  const auto from = month_number(span.substr(0, dash));
  const auto to =
      dash == std::string_view::npos ? std::nullopt : month_number(span.substr(dash + 1));
  if (!from || !to || *from > *to) {
    problem = "has a bad month range \"" + std::string(span) + "\"" + std::string(kExpected);
    return std::nullopt;
  }
  out.from_month = *from;
  out.to_month = *to;
  return out;
}

std::string output_unit(const OutputSpec& output) {
  if (output.name == "y") return "";
  const std::string unit(metric_infos()[static_cast<int>(output.metric)].unit);
  if (output.stat != OutputSpec::Stat::sum) return unit;
  constexpr std::string_view per_month = "/month";
  if (unit.ends_with(per_month)) return unit.substr(0, unit.size() - per_month.size());
  return unit.empty() ? "months" : unit + "-months";
}

double output_value(const OutputSpec& output, const std::vector<MetricValues>& months) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const int horizon = static_cast<int>(months.size());
  const int k = static_cast<int>(output.metric);
  if (output.stat == OutputSpec::Stat::at) {
    const int month = output.to_month == 0 ? horizon : output.to_month;
    return month >= 1 && month <= horizon ? months[month - 1][k] : nan;
  }
  const int from = output.from_month == 0 ? 1 : output.from_month;
  const int to = output.to_month == 0 ? horizon : std::min(output.to_month, horizon);
  double sum = 0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
  int n = 0;
  for (int m = from; m <= to; ++m) {
    const double v = months[m - 1][k];
    if (std::isnan(v)) continue;  // an undefined ratio that month
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    ++n;
  }
  if (n == 0) return nan;
  switch (output.stat) {
    case OutputSpec::Stat::mean:
      return sum / n;
    case OutputSpec::Stat::min:
      return lo;
    case OutputSpec::Stat::max:
      return hi;
    case OutputSpec::Stat::sum:
      return sum;
    case OutputSpec::Stat::at:
      break;
  }
  return nan;
}

}  // namespace flywheel
