#include "report_charts.hpp"
#include "report_compare_sections.hpp"

#include <fmt/format.h>

#include <cmath>

namespace flywheel::report {

namespace {

double number_at(const Json& object, const char* key) {
  return object.contains(key) && object[key].is_number() ? object[key].get<double>() : NAN;
}

// "$1,234,000" / "-$56,000" (the report's own, so it does not depend on the engine's text).
std::string usd(double x) {
  if (!std::isfinite(x)) return "–";
  const std::string digits = fmt::format("{:.0f}", std::fabs(std::round(x)));
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return (x < 0 ? "-$" : "$") + grouped;
}

}  // namespace

std::vector<CompareVariant> compare_variants(const Json& compare) {
  std::vector<CompareVariant> out;
  if (compare.contains("variants") && compare["variants"].is_array()) {
    for (const Json& v : compare["variants"]) {
      out.push_back(CompareVariant{v.value("variant", std::string("?")),
                                   v.value("scenario", std::string("?")), &v, &v});
    }
    return out;
  }
  const Json* side = compare.contains("b") ? &compare["b"] : nullptr;
  out.push_back(CompareVariant{
      "B", side != nullptr ? side->value("scenario", std::string("?")) : std::string("?"),
      &compare, side});
  return out;
}

Section bottom_line_section(const Json& compare, Json& datasets,
                            const std::vector<std::string>& colors) {
  Section section{"Bottom line", ""};
  const std::vector<CompareVariant> variants = compare_variants(compare);
  std::string table =
      "<table><tr><th>variant</th><th>gross profit − spend</th><th>A</th><th>variant − A "
      "(95% CI)</th><th>cash low point</th><th>A</th><th>payback of the difference</th></tr>";
  Json rows = Json::array();
  Json domain = Json::array();
  bool any = false;
  int months = 0;
  for (const CompareVariant& v : variants) {
    if (v.data == nullptr || !v.data->contains("bottom_line")) continue;
    const Json& b = (*v.data)["bottom_line"];
    any = true;
    const Json& side_a = b.value("a", Json::object());
    const Json& side_b = b.value("b", Json::object());
    const Json& net = b.value("net_diff", Json::object());
    const Json ci = net.value("diff_ci95", Json::array());
    const std::string interval =
        ci.size() == 2 && ci[0].is_number() && ci[1].is_number()
            ? fmt::format(" ({} to {})", usd(ci[0].get<double>()), usd(ci[1].get<double>()))
            : "";
    const Json payback = b.value("payback_month", Json());
    const std::string label = v.label + ": " + v.scenario;
    domain.push_back(label);
    table += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{} (month {})</td><td>{} (month "
        "{})</td><td>{}</td></tr>",
        escape_html(label), usd(number_at(side_b, "net_usd")), usd(number_at(side_a, "net_usd")),
        usd(number_at(net, "diff")), interval, usd(number_at(side_b, "cash_low_usd")),
        side_b.value("cash_low_month", 0), usd(number_at(side_a, "cash_low_usd")),
        side_a.value("cash_low_month", 0),
        payback.is_number_integer() ? fmt::format("month {}", payback.get<int>())
                                    : std::string("not within the horizon"));
    int month = 0;
    for (const Json& x : b.value("cumulative_net_diff_usd", Json::array())) {
      ++month;
      rows.push_back(Json{{"variant", label}, {"month", month}, {"diff", x}});
    }
    months = std::max(months, month);
  }
  if (!any) {
    section.intro_html =
        "<p class=\"note\">This compare.json has no bottom line (written by an older flywheel "
        "compare): run the comparison again.</p>";
    return section;
  }
  section.intro_html =
      "<p>Per variant, over the whole horizon: cumulative gross profit minus operating spend "
      "(gross_profit_usd − spend_total_usd summed over the months; the mean over replicates), "
      "the cash low point (each replicate's lowest cash_usd, averaged; the month where the mean "
      "cash is lowest), and the payback month of the difference: the first month from which the "
      "cumulative (variant − A) gross profit minus spend stays at or above 0.</p>";
  section.body_html = table + "</table>\n";
  datasets["bottom_line"] = std::move(rows);
  Json range = Json::array();
  for (std::size_t i = 0; i < domain.size(); ++i) range.push_back(colors[(i + 1) % colors.size()]);
  const Json spec{
      {"title",
       {{"text", "Cumulative gross profit − spend: variant − A"},
        {"subtitle", "mean over paired replicates; the difference pays back where it crosses 0 "
                     "for good"}}},
      {"width", 440},
      {"height", 220},
      {"data", {{"name", "bottom_line"}}},
      {"layer",
       Json::array(
           {{{"mark", {{"type", "line"}, {"strokeWidth", 2}}},
             {"encoding",
              {{"x", month_x()},
               {"y",
                {{"field", "diff"},
                 {"type", "quantitative"},
                 {"title", "USD"},
                 {"axis", {{"format", "$,.3~s"}}}}},
               {"color",
                {{"field", "variant"},
                 {"type", "nominal"},
                 {"title", nullptr},
                 {"scale", {{"domain", domain}, {"range", range}}},
                 {"legend", {{"orient", "top"}, {"labelLimit", 400}}}}},
               {"tooltip",
                Json::array({{{"field", "month"}, {"type", "quantitative"}},
                             {{"field", "variant"}, {"type", "nominal"}},
                             {{"field", "diff"}, {"type", "quantitative"}, {"format", "$,.0f"}}})}}}},
            {{"mark", {{"type", "rule"}, {"color", "#111827"}, {"strokeDash", {4, 3}}}},
             {"encoding", {{"y", {{"datum", 0}, {"type", "quantitative"}}}}}}})}};
  section.charts.push_back(Chart{chart_id("bottom-line"), spec, {"bottom_line"}});
  section.charts.back().time = TimeAxis::months;
  return section;
}

}  // namespace flywheel::report
