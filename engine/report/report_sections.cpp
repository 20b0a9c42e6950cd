// Sections of the run report that are more than one chart: the flywheel's stage flow, the
// target probabilities and the resolved scenario.
#include "report_charts.hpp"

#include <flywheel/spec/channels.hpp>

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace flywheel::report {

namespace {

// A transition of the flywheel (docs/model.md, phase 2) and the metrics that count it.
struct Flow {
  std::string_view label, kind;
  std::vector<std::string> metrics;
};

// unaware -> aware sums aware_<channel> over every awareness channel of channels.inc, so a new
// channel is counted here without an edit.
std::vector<std::string> awareness_metrics() {
  std::vector<std::string> names;
  for (Channel c : kAwarenessChannels) {
    names.push_back(std::string("aware_") + kChannelNames[static_cast<int>(c)]);
  }
  return names;
}

const std::vector<Flow>& flows() {
  static const std::vector<Flow> all = {
      {"unaware → aware", "forward", awareness_metrics()},
      {"aware → evaluator (signups)", "forward", {"signups"}},
      {"evaluator → beginner (activations)", "forward", {"activations"}},
      {"won deal → beginner (onboarded)", "forward", {"onboarded_users"}},
      {"beginner → regular (adoptions)", "forward", {"adoptions"}},
      {"regular → champion (advocacies)", "forward", {"advocacies"}},
      {"evaluator → churned (window ran out)", "loss", {"evaluator_dropouts"}},
      {"user → churned", "loss", {"churned_users"}},
      {"churned → back (reactivations)", "return", {"reactivations"}},
  };
  return all;
}

Json flow_totals_spec() {
  const Json tooltip = Json::array(
      {{{"field", "flow"}, {"type", "nominal"}, {"title", "transition"}},
       {{"field", "people"}, {"type", "quantitative"}, {"title", "people"}, {"format", ",.0f"}}});
  return Json{
      {"title",
       {{"text", "Who moved where"}, {"subtitle", "people over the horizon, mean per replicate"}}},
      {"width", 420},
      {"height", {{"step", 24}}},
      {"data", {{"name", "flow_totals"}}},
      {"encoding",
       {{"y",
         {{"field", "flow"},
          {"type", "nominal"},
          {"sort", {{"field", "order"}, {"op", "min"}}},
          {"title", nullptr},
          {"axis", {{"labelLimit", 260}}}}},
        {"x",
         {{"field", "people"},
          {"type", "quantitative"},
          {"title", "people"},
          {"axis", {{"format", "~s"}}}}},
        {"tooltip", tooltip}}},
      {"layer",
       Json::array({{{"mark", {{"type", "bar"}}},
                     {"encoding",
                      {{"color",
                        {{"field", "kind"},
                         {"type", "nominal"},
                         {"title", nullptr},
                         {"scale",
                          {{"domain", {"forward", "loss", "return"}},
                           {"range", {"#0f766e", "#dc2626", "#2563eb"}}}},
                         {"legend", {{"orient", "bottom"}}}}}}}},
                    {{"mark", {{"type", "text"}, {"align", "left"}, {"dx", 4}, {"fontSize", 11}}},
                     {"encoding", {{"text", {{"field", "people"}, {"format", ",.0f"}}}}}}})}};
}

Json flow_months_spec() {
  const Json tooltip = Json::array(
      {{{"field", "month"}, {"type", "quantitative"}},
       {{"field", "people"}, {"type", "quantitative"}, {"title", "people"}, {"format", ",.0f"}}});
  return Json{
      {"title",
       {{"text", "Transitions by month"}, {"subtitle", "people per month, mean over replicates"}}},
      {"data", {{"name", "flows"}}},
      {"facet",
       {{"field", "flow"},
        {"type", "nominal"},
        {"title", nullptr},
        {"sort", {{"field", "order"}, {"op", "min"}}}}},
      {"columns", 4},
      {"resolve", {{"scale", {{"y", "independent"}}}}},
      {"spec",
       {{"width", 210},
        {"height", 100},
        {"mark", {{"type", "area"}, {"line", true}, {"opacity", 0.5}}},
        {"encoding",
         {{"x", month_x()},
          {"y",
           {{"field", "people"},
            {"type", "quantitative"},
            {"title", nullptr},
            {"axis", {{"format", "~s"}}}}},
          {"color",
           {{"field", "kind"},
            {"type", "nominal"},
            {"legend", nullptr},
            {"scale",
             {{"domain", {"forward", "loss", "return"}},
              {"range", {"#0f766e", "#dc2626", "#2563eb"}}}}}},
          {"tooltip", tooltip}}}}}};
}

std::string target_label(const Json& target) {
  const std::string metric = target.value("metric", std::string("?"));
  std::string bound;
  if (target.contains("at_least") && target["at_least"].is_number()) {
    bound = "≥ " + plain_number(target["at_least"].get<double>());
  } else if (target.contains("at_most") && target["at_most"].is_number()) {
    bound = "≤ " + plain_number(target["at_most"].get<double>());
  }
  return fmt::format("{} {} by month {}", metric, bound, target.value("by_month", 0));
}

}  // namespace

Section stage_flow_section(const MonthlyMeans& means, Json& datasets) {
  Json totals = Json::array(), monthly = Json::array();
  std::string silent;  // flows with no one in any month: left out of the monthly panels
  const std::vector<Flow>& all = flows();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Flow& flow = all[i];
    std::map<int, double> people;
    for (const std::string& metric : flow.metrics) {
      for (const auto& [month, mean] : means(metric)) {
        if (std::isfinite(mean)) people[month] += mean;
      }
    }
    double total = 0;
    for (const auto& [month, n] : people) total += n;
    if (flow.metrics[0] == "onboarded_users" && total == 0) continue;  // no sales-led deals
    totals.push_back(
        Json{{"flow", flow.label}, {"kind", flow.kind}, {"order", i}, {"people", total}});
    if (total == 0) {  // a flat zero panel says nothing and Vega labels its axis NaN
      silent += (silent.empty() ? "" : ", ") + escape_html(flow.label);
      continue;
    }
    for (const auto& [month, n] : people) {
      monthly.push_back(Json{{"flow", flow.label},
                             {"kind", flow.kind},
                             {"order", i},
                             {"month", month},
                             {"people", n}});
    }
  }
  datasets["flow_totals"] = std::move(totals);
  datasets["flows"] = std::move(monthly);
  Section section{"Flywheel stage flow",
                  "<p>People moving between the flywheel's stages (unaware → aware → evaluator → "
                  "beginner → regular → champion, and churned), in simulated people scaled back "
                  "to the market. Green moves people forward, red loses them, blue brings them "
                  "back. Referred people sign up at once, straight from unaware.</p>"};
  section.charts.push_back(Chart{"chart-flow-totals", flow_totals_spec(), {"flow_totals"}});
  if (!datasets["flows"].empty()) {
    section.charts.push_back(Chart{"chart-flow-months", flow_months_spec(), {"flows"}, true});
    section.charts.back().time = TimeAxis::months;
  }
  if (!silent.empty()) {
    section.body_html +=
        "<p class=\"note\">Not drawn month by month: " + silent + " (no one in any month).</p>";
  }
  return section;
}

Section targets_section(const Json& summary, Json& datasets) {
  Section section{"Targets", ""};
  const Json targets = summary.contains("targets") ? summary["targets"] : Json::array();
  if (targets.empty()) {
    section.intro_html =
        "<p>This scenario sets no targets. Add <code>targets: [{metric: arr_usd, at_least: "
        "10e6, by_month: 36}]</code> to see the probability of reaching them.</p>";
    return section;
  }
  section.intro_html =
      "<p>Share of replicates that reached each target at some month up to its deadline, with a "
      "Wilson 95% interval.</p>";
  Json rows = Json::array();
  std::string table =
      "<table><tr><th>target</th><th>probability</th><th>95% interval</th><th>reached</th></tr>";
  for (const Json& t : targets) {
    const double p = t.value("probability", 0.0);
    const Json ci = t.contains("ci95") ? t["ci95"] : Json::array({nullptr, nullptr});
    const double lo = ci[0].is_number() ? ci[0].get<double>() : NAN;
    const double hi = ci[1].is_number() ? ci[1].get<double>() : NAN;
    const std::string label = target_label(t);
    rows.push_back(Json{
        {"target", label}, {"probability", p}, {"lo", number_json(lo)}, {"hi", number_json(hi)}});
    table += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{:.1f}%</td><td class=\"num\">{:.1f}% – {:.1f}%</td>"
        "<td class=\"num\">{} of {}</td></tr>",
        escape_html(label), 100 * p, 100 * lo, 100 * hi, t.value("reached", 0),
        t.value("replicates", 0));
  }
  datasets["targets"] = std::move(rows);
  section.body_html = table + "</table>\n";
  const Json y{{"field", "target"},
               {"type", "nominal"},
               {"title", nullptr},
               {"axis", {{"labelLimit", 360}}}};
  const Json x_scale{{"domain", {0, 1}}};
  Json spec{
      {"title", {{"text", "Probability of reaching each target"}}},
      {"width", 440},
      {"height", {{"step", 30}}},
      {"data", {{"name", "targets"}}},
      {"encoding", {{"y", y}}},
      {"layer",
       Json::array(
           {{{"mark", {{"type", "bar"}, {"color", "#2563eb"}, {"opacity", 0.8}}},
             {"encoding",
              {{"x",
                {{"field", "probability"},
                 {"type", "quantitative"},
                 {"scale", x_scale},
                 {"title", "probability"},
                 {"axis", {{"format", "%"}, {"tickCount", 5}}}}},
               {"tooltip",
                Json::array({{{"field", "target"}},
                             {{"field", "probability"}, {"format", ".1%"}},
                             {{"field", "lo"}, {"title", "95% from"}, {"format", ".1%"}},
                             {{"field", "hi"}, {"title", "95% to"}, {"format", ".1%"}}})}}}},
            {{"mark", {{"type", "rule"}, {"color", "#111827"}, {"size", 2}}},
             {"encoding",
              {{"x", {{"field", "lo"}, {"type", "quantitative"}}}, {"x2", {{"field", "hi"}}}}}}})}};
  section.charts.push_back(Chart{"chart-targets", spec, {"targets"}});
  return section;
}

Section scenario_section(const Json& scenario) {
  Section section{"Scenario", ""};
  const std::string description = scenario.value("description", std::string());
  if (!description.empty()) section.intro_html = "<p>" + escape_html(description) + "</p>\n";
  const std::string file = scenario.value("file", std::string());
  if (!file.empty()) section.intro_html += "<p>File: <code>" + escape_html(file) + "</code></p>\n";
  const Json resolved = scenario.contains("resolved") ? scenario["resolved"] : Json::object();
  section.body_html =
      "<details><summary>Every parameter as run, defaults filled in (summary.json's "
      "scenario.resolved)</summary><pre>" +
      escape_html(resolved.dump(2, ' ', false, Json::error_handler_t::replace)) +
      "</pre></details>\n";
  return section;
}

}  // namespace flywheel::report
