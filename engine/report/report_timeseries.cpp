#include "report_timeseries.hpp"

#include "report_charts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

namespace flywheel::report {

Timeseries read_timeseries(const std::string& text) {
  const CsvTable table = parse_csv(text, "timeseries.csv");
  std::array<int, 8> col{};
  const std::array<const char*, 8> names = {"month", "metric", "mean", "p5",
                                            "p25",   "p50",    "p75",  "p95"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    col[i] = table.column(names[i]);
    if (col[i] < 0) throw_bad_file("timeseries.csv", fmt::format("no column {}", names[i]));
  }
  // sd and n are optional: only the mean field's departure note reads them.
  const int sd_col = table.column("sd"), n_col = table.column("n");
  Timeseries out;
  for (const auto& row : table.rows) {
    auto value = [&](int i) { return parse_number(row[col[i]]).value_or(NAN); };
    auto optional = [&](int c, double none) {
      return c < 0 ? none : parse_number(row[c]).value_or(none);
    };
    out[row[col[1]]].push_back(MonthStats{static_cast<int>(value(0)), value(2), value(3), value(4),
                                          value(5), value(6), value(7), optional(sd_col, NAN),
                                          optional(n_col, 0)});
  }
  return out;
}

Expected read_expected(const std::string& text, const std::string& file) {
  const CsvTable table = parse_csv(text, file);
  const int month = table.column("month"), metric = table.column("metric"),
            value = table.column("value");
  for (const auto& [c, name] : {std::pair{month, "month"}, std::pair{metric, "metric"},
                                std::pair{value, "value"}}) {
    if (c < 0) throw_bad_file(file, fmt::format("no column {}", name));
  }
  Expected out;
  for (const auto& row : table.rows) {
    const std::optional<double> m = parse_number(row[month]);
    if (!m) continue;
    out[row[metric]][static_cast<int>(*m)] = parse_number(row[value]).value_or(NAN);
  }
  return out;
}

void add_expected(Json& rows, std::string_view metric, const Expected& expected) {
  const auto it = expected.find(metric);
  if (it == expected.end()) return;
  for (Json& row : rows) {
    if (row["metric"] != metric) continue;
    const auto at = it->second.find(row["month"].get<int>());
    row["expected"] = number_json(at == it->second.end() ? NAN : at->second);
  }
}

int mean_field_departure(const std::vector<MonthStats>& months,
                         const std::map<int, double>& expected) {
  constexpr double kStandardErrors = 4.0, kMaterial = 0.02;
  constexpr int kMonthsInARow = 3;
  int from = 0, run = 0;
  bool defined_after = false;  // a defined month after the current run
  for (const MonthStats& s : months) {
    const auto it = expected.find(s.month);
    if (it == expected.end() || !std::isfinite(it->second) || !std::isfinite(s.mean)) continue;
    const double mf = it->second, gap = std::abs(mf - s.mean);
    const bool material = gap > kMaterial * std::max(std::abs(mf), std::abs(s.mean));
    const bool outside_band =
        std::isfinite(s.p5) && std::isfinite(s.p95) && (mf < s.p5 || mf > s.p95);
    const double se = s.n >= 2 && std::isfinite(s.sd) ? s.sd / std::sqrt(s.n) : NAN;
    const bool far = std::isfinite(se) && gap > kStandardErrors * se;
    if (material && (outside_band || far)) {
      if (run++ == 0) from = s.month;
      if (run >= kMonthsInARow) return from;
      defined_after = false;
    } else {
      run = 0;
      defined_after = true;
    }
  }
  // A departure that lasts to the last month counts however short it is.
  return run > 0 && !defined_after ? from : 0;
}

std::string mean_field_note(const std::vector<MonthStats>& months, const Expected& expected,
                            std::string_view metric) {
  const auto it = expected.find(metric);
  if (it == expected.end()) return {};
  const int month = mean_field_departure(months, it->second);
  if (month == 0) return {};
  return fmt::format(
      "<p class=\"note mean-field\">The mean field is outside the replicates' band from month "
      "{}: randomness or non-linearity matters here (docs/mean_field.md).</p>",
      month);
}

const std::vector<MonthStats>& series(const Timeseries& ts, std::string_view metric) {
  static const std::vector<MonthStats> kNone;
  const auto it = ts.find(metric);
  return it == ts.end() ? kNone : it->second;
}

bool says_nothing(const std::vector<MonthStats>& months) {
  for (const MonthStats& s : months) {
    for (double v : {s.mean, s.p5, s.p95}) {
      if (std::isfinite(v) && v != 0.0) return false;
    }
  }
  return true;
}

std::string left_out_note(const std::vector<std::string>& titles, std::string_view why) {
  if (titles.empty()) return {};
  std::string list;
  for (const std::string& t : titles) list += (list.empty() ? "" : ", ") + escape_html(t);
  return fmt::format("<p class=\"note\">Not drawn: {} ({}).</p>", list, why);
}

void add_rows(Json& rows, const Timeseries& ts, std::string_view metric, std::string_view label,
              int order, bool from_first_defined) {
  bool started = !from_first_defined;
  for (const MonthStats& s : series(ts, metric)) {
    started = started || std::isfinite(s.mean);
    if (!started) continue;
    rows.push_back(Json{{"metric", metric},
                        {"label", label},
                        {"order", order},
                        {"month", s.month},
                        {"mean", number_json(s.mean)},
                        {"p5", number_json(s.p5)},
                        {"p25", number_json(s.p25)},
                        {"p50", number_json(s.p50)},
                        {"p75", number_json(s.p75)},
                        {"p95", number_json(s.p95)}});
  }
}

int last_month(const Timeseries& ts) {
  int months = 0;
  for (const auto& [metric, stats] : ts) {
    if (!stats.empty()) months = std::max(months, stats.back().month);
  }
  return months;
}

Chart metric_fan_chart(std::string_view metric, const MetricStyle& style, const std::string& color,
                       int months, bool mean_field) {
  Json spec = fan_spec(style, color, 440, 210, mean_field);
  spec["data"] = {{"name", "timeseries"}};
  spec["transform"] = Json::array({{{"filter", {{"field", "metric"}, {"equal", metric}}}}});
  if (months > 0) spec["encoding"]["x"]["scale"]["domain"] = Json::array({1, months});
  Chart chart{chart_id(metric), std::move(spec), {"timeseries"}};
  chart.time = TimeAxis::months;
  return chart;
}

}  // namespace flywheel::report
