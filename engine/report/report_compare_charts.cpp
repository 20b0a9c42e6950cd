// The compare report's charts (report_compare.cpp): each side's bands overlaid per metric, and
// the paired differences with their intervals, in the sides' colours.
#include "report_charts.hpp"
#include "report_compare_sections.hpp"

#include <string>
#include <vector>

namespace flywheel::report {

const std::vector<std::string>& compare_colors() {
  // A, then B, C, ...: amber and blue as a two-scenario compare always drew them, then more.
  static const std::vector<std::string> colors = {"#d97706", "#2563eb", "#059669", "#dc2626",
                                                  "#7c3aed", "#db2777", "#0891b2", "#65a30d"};
  return colors;
}

namespace {

Json palette(std::size_t n, std::size_t from = 0) {
  const std::vector<std::string>& colors = compare_colors();
  Json range = Json::array();
  for (std::size_t i = 0; i < n; ++i) range.push_back(colors[(from + i) % colors.size()]);
  return range;
}

}  // namespace

Json compare_overlay_spec(const std::string& metric, const MetricStyle& style, const Json& domain,
                          bool mean_field) {
  const Json color{{"field", "scenario"},
                   {"type", "nominal"},
                   {"title", nullptr},
                   {"scale", {{"domain", domain}, {"range", palette(domain.size())}}},
                   {"legend", {{"orient", "top"}, {"labelLimit", 400}}}};
  const Json y_title = style.unit.empty() ? Json(nullptr) : Json(style.unit);
  // Two filled 90% bands would overlap into mud: the 50% bands are filled, the 90% bands drawn
  // as their dashed edges.
  auto edge = [&](const char* field) {
    return Json{
        {"mark", {{"type", "line"}, {"strokeDash", {3, 3}}, {"strokeWidth", 1}}},
        {"encoding", {{"y", {{"field", field}, {"type", "quantitative"}}}, {"color", color}}}};
  };
  const Json band{{"mark", {{"type", "area"}, {"opacity", 0.28}}},
                  {"encoding",
                   {{"y",
                     {{"field", "p25"},
                      {"type", "quantitative"},
                      {"title", y_title},
                      {"axis", {{"format", style.axis_format}}}}},
                    {"y2", {{"field", "p75"}}},
                    {"color", color}}}};
  Json tooltip = Json::array({{{"field", "month"}, {"type", "quantitative"}},
                                    {{"field", "scenario"}, {"type", "nominal"}},
                                    {{"field", "p50"},
                                     {"type", "quantitative"},
                                     {"title", "median"},
                                     {"format", style.tooltip_format}},
                                    {{"field", "p5"},
                                     {"type", "quantitative"},
                                     {"title", "5%"},
                                     {"format", style.tooltip_format}},
                                    {{"field", "p95"},
                                     {"type", "quantitative"},
                                     {"title", "95%"},
                                     {"format", style.tooltip_format}}});
  if (mean_field) {
    tooltip.push_back(Json{{"field", "expected"},
                           {"type", "quantitative"},
                           {"title", "mean field"},
                           {"format", style.tooltip_format}});
  }
  Json spec{{"title",
               {{"text", style.title},
                {"subtitle", mean_field ? "median (line), 50% (band) and 90% (dashes) of "
                                          "replicates; dotted: mean field"
                                        : "median (line), 50% (band) and 90% (dashes) of replicates"}}},
              {"width", 440},
              {"height", 220},
              {"data", {{"name", "bands"}}},
              {"transform", Json::array({{{"filter", {{"field", "metric"}, {"equal", metric}}}}})},
              {"encoding", {{"x", report::month_x()}}},
              {"layer", Json::array({band,
                                     edge("p5"),
                                     edge("p95"),
                                     {{"mark", {{"type", "line"}, {"strokeWidth", 2}}},
                                      {"encoding",
                                       {{"y", {{"field", "p50"}, {"type", "quantitative"}}},
                                        {"color", color},
                                        {"tooltip", tooltip}}}}})}};
  if (mean_field) {
    // Dotted, as the 90% bands are already dashed.
    spec["layer"].push_back(Json{
        {"mark", {{"type", "line"}, {"strokeWidth", 2}, {"strokeDash", {1, 3}},
                  {"strokeCap", "round"}}},
        {"encoding", {{"y", {{"field", "expected"}, {"type", "quantitative"}}}, {"color", color}}}});
  }
  return spec;
}

// B - A (one variant, purple as always), or each variant - A coloured as in the overlays.
Json compare_difference_spec(const std::string& metric, const MetricStyle& style, const Json& variants) {
  const bool many = variants.size() > 1;
  const std::string d = many ? "variant − A" : "B − A";
  const std::string f = style.tooltip_format;
  const Json tooltip = Json::array(
      {{{"field", many ? "variant" : "month"}, {"type", many ? "nominal" : "quantitative"}},
       {{"field", "diff"}, {"type", "quantitative"}, {"title", d}, {"format", f}},
       {{"field", "lo"}, {"type", "quantitative"}, {"title", "95% from"}, {"format", f}},
       {{"field", "hi"}, {"type", "quantitative"}, {"title", "95% to"}, {"format", f}},
       {{"field", "lift"}, {"type", "quantitative"}, {"title", "lift"}, {"format", "+.1%"}},
       {{"field", "p"}, {"type", "quantitative"}, {"title", "P(B>A)"}, {"format", ".2f"}}});
  const Json y{{"field", "lo"},
               {"type", "quantitative"},
               {"title", style.unit.empty() ? Json(d) : Json(d + " (" + style.unit + ")")},
               {"axis", {{"format", style.axis_format}}}};
  if (many) {
    return Json{
        {"title",
         {{"text", style.title + ": variant − A"},
          {"subtitle", "paired differences with their 95% intervals (common random numbers)"}}},
        {"width", 440},
        {"height", 220},
        {"data", {{"name", "diffs"}}},
        {"transform", Json::array({{{"filter", {{"field", "metric"}, {"equal", metric}}}}})},
        {"encoding",
         {{"x", report::month_x()},
          {"color",
           {{"field", "variant"},
            {"type", "nominal"},
            {"title", nullptr},
            {"scale", {{"domain", variants}, {"range", palette(variants.size(), 1)}}},
            {"legend", {{"orient", "top"}, {"labelLimit", 400}}}}}}},
        {"layer",
         Json::array(
             {{{"mark", {{"type", "area"}, {"opacity", 0.18}}},
               {"encoding", {{"y", y}, {"y2", {{"field", "hi"}}}}}},
              {{"mark", {{"type", "line"}, {"strokeWidth", 2}}},
               {"encoding",
                {{"y", {{"field", "diff"}, {"type", "quantitative"}}}, {"tooltip", tooltip}}}},
              {{"mark", {{"type", "rule"}, {"color", "#111827"}, {"strokeDash", {4, 3}}}},
               {"encoding", {{"y", {{"datum", 0}, {"type", "quantitative"}}}}}}})}};
  }
  Json hover = report::hover_rule_layer(tooltip);
  hover["encoding"]["x"] = report::month_x();
  return Json{
      {"title",
       {{"text", style.title + ": B − A"},
        {"subtitle", "paired difference with its 95% interval (common random numbers)"}}},
      {"width", 440},
      {"height", 220},
      {"data", {{"name", "diffs"}}},
      {"transform", Json::array({{{"filter", {{"field", "metric"}, {"equal", metric}}}}})},
      {"layer",
       Json::array(
           {{{"mark", {{"type", "area"}, {"color", "#7c3aed"}, {"opacity", 0.25}}},
             {"encoding", {{"x", report::month_x()}, {"y", y}, {"y2", {{"field", "hi"}}}}}},
            {{"mark", {{"type", "line"}, {"color", "#7c3aed"}, {"strokeWidth", 2}}},
             {"encoding",
              {{"x", report::month_x()}, {"y", {{"field", "diff"}, {"type", "quantitative"}}}}}},
            {{"mark", {{"type", "rule"}, {"color", "#111827"}, {"strokeDash", {4, 3}}}},
             {"encoding", {{"y", {{"datum", 0}, {"type", "quantitative"}}}}}},
            hover})}};
}

}  // namespace flywheel::report
