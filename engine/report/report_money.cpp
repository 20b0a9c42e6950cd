// The run report's money: where the spend goes, month by month and lever by lever, what it burns
// and leaves in the bank, and what an account costs and earns back.
#include "report_charts.hpp"
#include "report_run_sections.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace flywheel::report {

namespace {

struct Lever {
  std::string_view metric, label, color;
};
// Operating spend by lever (spend_total_usd is their sum) and hosting, the cost of revenue.
constexpr std::array<Lever, 7> kLevers = {{{"spend_marketing_usd", "marketing", "#2563eb"},
                                           {"spend_sales_usd", "sales", "#0891b2"},
                                           {"spend_community_usd", "community", "#16a34a"},
                                           {"spend_referral_usd", "referral rewards", "#db2777"},
                                           {"spend_product_usd", "R&D (product)", "#7c3aed"},
                                           {"spend_ga_usd", "G&A", "#64748b"},
                                           {"cogs_hosting_usd", "hosting (COGS)", "#d97706"}}};

struct Panel {
  std::string_view metric, color;
  double clip;  // > 0: the y axis stops at this much, or 1.25 x the late medians if more
};
constexpr std::array<Panel, 6> kPanels = {{{"burn_usd", "#dc2626", 0},
                                           {"cash_usd", "#059669", 0},
                                           {"cac_usd", "#2563eb", 0},
                                           {"cac_payback_months", "#7c3aed", 60},
                                           {"ltv_to_cac", "#0891b2", 0},
                                           {"burn_multiple", "#d97706", 10}}};

constexpr std::array<std::string_view, 2> kCumulative = {"spend_cumulative_usd",
                                                         "gross_profit_cumulative_usd"};

Chart spend_chart(const Json& domain, const Json& range) {
  Json tooltip = Json::array({{{"field", "month"}, {"type", "quantitative"}}});
  for (const Json& label : domain) {
    tooltip.push_back(
        Json{{"field", label}, {"type", "quantitative"}, {"title", label}, {"format", "$,.0f"}});
  }
  Json hover = hover_rule_layer(tooltip);
  hover["transform"] =
      Json::array({{{"pivot", "lever"}, {"value", "usd"}, {"groupby", Json::array({"month"})}}});
  Json x = month_x();
  x["axis"]["tickCount"] = 12;  // 1,000 pixels wide: a label every month would crowd
  Json spec{
      {"title",
       {{"text", "Spend by lever"},
        {"subtitle", "USD per month, mean over replicates; hosting is the cost of revenue"}}},
      {"width", 1000},
      {"height", 260},
      {"data", {{"name", "spend"}}},
      {"encoding", {{"x", x}}},
      {"layer", Json::array({{{"mark", {{"type", "area"}, {"opacity", 0.85}}},
                              {"encoding",
                               {{"y",
                                 {{"field", "usd"},
                                  {"type", "quantitative"},
                                  {"stack", "zero"},
                                  {"title", "USD per month"},
                                  {"axis", {{"format", "$~s"}}}}},
                                {"color",
                                 {{"field", "lever"},
                                  {"type", "nominal"},
                                  {"title", nullptr},
                                  {"scale", {{"domain", domain}, {"range", range}}},
                                  {"legend", {{"orient", "top"}, {"direction", "horizontal"}}}}},
                                {"order", {{"field", "order"}}}}}},
                             hover})}};
  Chart chart{"chart-spend-by-lever", std::move(spec), {"spend"}, true};
  chart.time = TimeAxis::months;
  return chart;
}

// Stops a fan chart's y axis at `hi` (and `lo`), the marks clipped there.
void clip_y(Json& spec, double lo, double hi) {
  for (Json& layer : spec["layer"]) {
    layer["mark"]["clip"] = true;
    if (layer["encoding"].contains("y") && layer["encoding"]["y"].contains("axis")) {
      layer["encoding"]["y"]["scale"] = {{"domain", {lo, hi}}, {"nice", false}};
    }
  }
}

// The y range to show of a metric that can be huge while few accounts are new (payback of
// thousands of months in the first quarter): up to `cap`, or 1.25 x the largest median of the
// last 12 months when that is more. Nothing (an empty pair) when the bands fit.
std::optional<std::pair<double, double>> clip_range(const std::vector<MonthStats>& months,
                                                    double cap) {
  double late = 0, lo = 0, hi = 0;
  const std::size_t from = months.size() > 12 ? months.size() - 12 : 0;
  for (std::size_t i = 0; i < months.size(); ++i) {
    const MonthStats& s = months[i];
    if (i >= from && std::isfinite(s.p50)) late = std::max(late, std::fabs(s.p50));
    if (std::isfinite(s.p5)) lo = std::min(lo, s.p5);
    if (std::isfinite(s.p95)) hi = std::max(hi, s.p95);
  }
  const double limit = std::ceil(std::max(cap, 1.25 * late));
  if (hi <= limit && lo >= -limit) return std::nullopt;
  return std::pair{std::max(lo, -limit), std::min(hi, limit)};
}

Chart cumulative_chart(const Json& labels) {
  const Json color{{"field", "label"},
                   {"type", "nominal"},
                   {"title", nullptr},
                   {"scale", {{"domain", labels}, {"range", {"#dc2626", "#059669"}}}},
                   {"legend", {{"orient", "top"}, {"symbolOpacity", 1}}}};
  Json tooltip = Json::array({{{"field", "month"}, {"type", "quantitative"}}});
  for (const Json& label : labels) {
    tooltip.push_back(Json{{"field", label},
                           {"type", "quantitative"},
                           {"title", label.get<std::string>() + " (median)"},
                           {"format", "$,.0f"}});
  }
  Json hover = hover_rule_layer(tooltip);
  hover["transform"] =
      Json::array({{{"pivot", "label"}, {"value", "p50"}, {"groupby", Json::array({"month"})}}});
  Json spec{
      {"title",
       {{"text", "Cumulative spend and gross profit"},
        {"subtitle", "USD since month 1; median with 90% of replicates"}}},
      {"width", 440},
      {"height", 210},
      {"data", {{"name", "timeseries"}}},
      {"transform", Json::array({{{"filter", {{"field", "metric"}, {"oneOf", kCumulative}}}}})},
      {"encoding", {{"x", month_x()}}},
      {"layer",
       Json::array(
           {{{"mark", {{"type", "area"}, {"opacity", 0.18}}},
             {"encoding",
              {{"y",
                {{"field", "p5"},
                 {"type", "quantitative"},
                 {"title", "USD"},
                 {"axis", {{"format", "$~s"}}}}},
               {"y2", {{"field", "p95"}}},
               {"color", color}}}},
            {{"mark", {{"type", "line"}, {"strokeWidth", 2}}},
             {"encoding", {{"y", {{"field", "p50"}, {"type", "quantitative"}}}, {"color", color}}}},
            hover})}};
  Chart chart{"chart-cumulative-money", std::move(spec), {"timeseries"}};
  chart.time = TimeAxis::months;
  return chart;
}

}  // namespace

Section money_section(const Timeseries& ts, Json& datasets) {
  Section section{
      "Money",
      "<p>Where the money goes and what it buys: spend by lever (mean over replicates), then net "
      "burn (spend − gross profit), cash, the blended CAC and its payback on gross margin "
      "(trailing quarter), LTV / CAC and the burn multiple (net burn / net new ARR), as medians "
      "with 50% and 90% bands.</p>"};
  const int months = last_month(ts);
  Json spend = Json::array(), domain = Json::array(), range = Json::array();
  std::vector<std::string> silent;
  for (std::size_t i = 0; i < kLevers.size(); ++i) {
    const auto& months_of = series(ts, kLevers[i].metric);
    if (says_nothing(months_of)) continue;
    domain.push_back(kLevers[i].label);
    range.push_back(kLevers[i].color);
    for (const MonthStats& s : months_of) {
      spend.push_back(Json{{"month", s.month},
                           {"lever", kLevers[i].label},
                           {"order", i},
                           {"usd", std::isfinite(s.mean) ? s.mean : 0.0}});
    }
  }
  std::vector<Chart> panels;
  for (const Panel& p : kPanels) {
    const MetricStyle style = metric_style(p.metric);
    const auto& months_of = series(ts, p.metric);
    if (says_nothing(months_of)) {
      silent.push_back(style.title);
      continue;
    }
    add_rows(datasets["timeseries"], ts, p.metric, style.title, 0, true);
    Chart chart = metric_fan_chart(p.metric, style, std::string(p.color), months);
    // Where cash runs out, where burn turns into profit.
    if (p.metric == "cash_usd" || p.metric == "burn_usd") add_y_rule(chart.spec, 0);
    if (const auto r = p.clip > 0 ? clip_range(months_of, p.clip) : std::nullopt) {
      clip_y(chart.spec, r->first, r->second);
      chart.spec["title"]["subtitle"] =
          fmt::format("median, 50% and 90% of replicates; axis cut at {} (hover for values)",
                      plain_number(r->second));
    }
    panels.push_back(std::move(chart));
  }
  Json cumulative = Json::array();
  for (std::string_view metric : kCumulative) {
    const MetricStyle style = metric_style(metric);
    if (says_nothing(series(ts, metric))) continue;
    add_rows(datasets["timeseries"], ts, metric, style.title, 0);
    cumulative.push_back(style.title);
  }
  if (domain.empty() && panels.empty() && cumulative.empty()) {
    section.intro_html =
        "<p class=\"note\">Not drawn: this scenario spends nothing and books no revenue "
        "(spend, burn, cash and the unit economics are zero or undefined in every month).</p>";
    return section;
  }
  if (!domain.empty()) {
    datasets["spend"] = std::move(spend);
    section.charts.push_back(spend_chart(domain, range));
  }
  for (Chart& chart : panels) section.charts.push_back(std::move(chart));
  if (!cumulative.empty()) section.charts.push_back(cumulative_chart(cumulative));
  section.body_html = left_out_note(silent, "zero or undefined in every month and replicate");
  return section;
}

}  // namespace flywheel::report
