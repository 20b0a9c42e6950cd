#include "report_charts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace flywheel::report {

Json month_x() {
  return Json{{"field", "month"},
              {"type", "quantitative"},
              {"title", "Month"},
              {"scale", {{"nice", false}}},
              {"axis", {{"tickMinStep", 1}, {"format", "d"}}}};
}

Json hover_rule_layer(const Json& tooltip) {
  return Json{
      {"params", Json::array({{{"name", "hover"},
                               {"select",
                                {{"type", "point"},
                                 {"fields", {"month"}},
                                 {"nearest", true},
                                 {"on", "pointerover"},
                                 {"clear", "pointerout"}}}}})},
      {"mark", {{"type", "rule"}, {"color", "#475569"}}},
      {"encoding",
       {{"opacity",
         {{"condition", {{"param", "hover"}, {"empty", false}, {"value", 0.6}}}, {"value", 0}}},
        {"tooltip", tooltip}}}};
}

void add_y_rule(Json& spec, double value) {
  if (spec.contains("encoding") && spec["encoding"].contains("x")) {
    for (Json& layer : spec["layer"]) {
      if (!layer["encoding"].contains("x")) layer["encoding"]["x"] = spec["encoding"]["x"];
    }
    spec["encoding"].erase("x");
    if (spec["encoding"].empty()) spec.erase("encoding");
  }
  spec["layer"].push_back(
      Json{{"mark", {{"type", "rule"}, {"color", "#111827"}, {"strokeDash", {4, 3}}}},
           {"encoding", {{"y", {{"datum", value}, {"type", "quantitative"}}}}}});
}

namespace {

constexpr const char* kMeanFieldColor = "#111827";

Json quantitative(const std::string& field, const std::string& title, const std::string& format) {
  return Json{{"field", field}, {"type", "quantitative"}, {"title", title}, {"format", format}};
}

}  // namespace

Json fan_spec(const MetricStyle& style, const std::string& color, int width, int height,
              bool mean_field) {
  const Json y_title = style.unit.empty() ? Json(nullptr) : Json(style.unit);
  auto band = [&](const char* lo, const char* hi, double opacity) {
    return Json{{"mark", {{"type", "area"}, {"color", color}, {"opacity", opacity}}},
                {"encoding",
                 {{"y",
                   {{"field", lo},
                    {"type", "quantitative"},
                    {"title", y_title},
                    {"axis", {{"format", style.axis_format}}}}},
                  {"y2", {{"field", hi}}}}}};
  };
  const std::string f = style.tooltip_format;
  Json tooltip =
      Json::array({{{"field", "month"}, {"type", "quantitative"}, {"title", "month"}},
                   quantitative("p50", "median", f),
                   quantitative("p25", "25%", f),
                   quantitative("p75", "75%", f),
                   quantitative("p5", "5%", f),
                   quantitative("p95", "95%", f),
                   quantitative("mean", "mean", f)});
  Json layers = Json::array({band("p5", "p95", 0.16),
                             band("p25", "p75", 0.32),
                             {{"mark", {{"type", "line"}, {"color", color}, {"strokeWidth", 2}}},
                              {"encoding", {{"y", {{"field", "p50"}, {"type", "quantitative"}}}}}}});
  std::string subtitle = "median, 50% and 90% of replicates";
  if (mean_field) {
    tooltip.push_back(quantitative("expected", "mean field", f));
    subtitle += "; dashed: mean field";
    const Json y{{"field", "expected"}, {"type", "quantitative"}};
    layers.push_back(Json{
        {"mark", {{"type", "line"}, {"color", kMeanFieldColor}, {"strokeWidth", 1.5},
                  {"strokeDash", {6, 4}}}},
        {"encoding", {{"y", y}}}});
    // The label at the line's last defined month.
    layers.push_back(Json{
        {"transform",
         Json::array({{{"filter", "isValid(datum.expected) && isFinite(datum.expected)"}},
                      {{"joinaggregate", Json::array({{{"op", "max"}, {"field", "month"},
                                                       {"as", "last_month"}}})}},
                      {{"filter", "datum.month === datum.last_month"}}})},
        {"mark", {{"type", "text"}, {"text", "mean field"}, {"align", "right"}, {"dx", -2},
                  {"dy", -8}, {"fontSize", 10}, {"color", kMeanFieldColor}}},
        {"encoding", {{"y", y}}}});
  }
  layers.push_back(hover_rule_layer(tooltip));
  return Json{{"title", {{"text", style.title}, {"subtitle", subtitle}}},
              {"width", width},
              {"height", height},
              {"encoding", {{"x", month_x()}}},
              {"layer", std::move(layers)}};
}

Json movements_spec(const Json& domain, const Json& range, int months) {
  const int every = months <= 24 ? 1 : (months <= 72 ? 6 : 12);
  const Json x{{"field", "month"},
               {"type", "ordinal"},
               {"title", "Month"},
               {"axis",
                {{"labelAngle", 0},
                 {"labelExpr", fmt::format("datum.value % {} === 0 ? datum.label : ''", every)}}}};
  const Json color{{"field", "movement"},
                   {"type", "nominal"},
                   {"title", nullptr},
                   {"scale", {{"domain", domain}, {"range", range}}},
                   {"legend", {{"orient", "top"}, {"direction", "horizontal"}}}};
  const Json tooltip = Json::array({{{"field", "month"}, {"type", "ordinal"}},
                                    {{"field", "movement"}, {"type", "nominal"}},
                                    quantitative("usd", "USD per month", "$,.0f")});
  return Json{
      {"title", {{"text", "MRR movements by month"}, {"subtitle", "mean over replicates"}}},
      {"width", 1000},
      {"height", 260},
      {"data", {{"name", "mrr_movements"}}},
      {"encoding", {{"x", x}, {"color", color}, {"tooltip", tooltip}}},
      {"layer",
       Json::array({{{"transform", Json::array({{{"filter", "datum.movement !== 'net new MRR'"}}})},
                     {"mark", {{"type", "bar"}}},
                     {"encoding",
                      {{"y",
                        {{"field", "usd"},
                         {"type", "quantitative"},
                         {"title", "USD per month"},
                         {"axis", {{"format", "$~s"}}}}},
                       {"order", {{"field", "order"}}}}}},
                    {{"transform", Json::array({{{"filter", "datum.movement === 'net new MRR'"}}})},
                     {"mark", {{"type", "line"}, {"point", {{"size", 16}}}, {"strokeWidth", 1.5}}},
                     {"encoding", {{"y", {{"field", "usd"}, {"type", "quantitative"}}}}}}})}};
}

Json bridge_spec() {
  return Json{
      {"title",
       {{"text", "MRR bridge over the horizon"},
        {"subtitle", "sum of the mean monthly movements, USD per month"}}},
      {"width", 640},
      {"height", 260},
      {"data", {{"name", "mrr_bridge"}}},
      {"transform", Json::array({{{"calculate", "datum.to - datum.from"}, {"as", "amount"}},
                                 {{"calculate", "max(datum.from, datum.to)"}, {"as", "top"}}})},
      {"encoding",
       {{"x",
         {{"field", "step"},
          {"type", "nominal"},
          {"sort", nullptr},
          {"title", nullptr},
          {"axis", {{"labelAngle", 0}, {"labelLimit", 110}}}}}}},
      {"layer",
       Json::array(
           {{{"mark", {{"type", "bar"}, {"width", {{"band", 0.7}}}}},
             {"encoding",
              {{"y",
                {{"field", "from"},
                 {"type", "quantitative"},
                 {"title", "MRR (USD per month)"},
                 {"axis", {{"format", "$~s"}}}}},
               {"y2", {{"field", "to"}}},
               {"color",
                {{"field", "kind"},
                 {"type", "nominal"},
                 {"legend", nullptr},
                 {"scale",
                  {{"domain", {"level", "gain", "loss"}},
                   {"range", {"#64748b", "#16a34a", "#dc2626"}}}}}},
               {"tooltip", Json::array({{{"field", "step"}, {"type", "nominal"}},
                                        quantitative("amount", "USD per month", "$,.0f")})}}}},
            {{"mark", {{"type", "text"}, {"dy", -7}, {"fontSize", 11}, {"color", "#1f2933"}}},
             {"encoding",
              {{"y", {{"field", "top"}, {"type", "quantitative"}}},
               {"text", {{"field", "amount"}, {"format", "$.3~s"}}}}}}})}};
}

Json histogram_spec(const std::string& metric, const MetricStyle& style,
                    const std::vector<double>& values, int month) {
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  Json bin{{"maxbins", 20}};
  std::string subtitle = fmt::format("month {}, {} replicates", month, values.size());
  if (*lo == *hi) {  // one value: a bin around it, not an empty extent
    const double pad = *lo != 0 ? std::fabs(*lo) * 0.1 : 0.01;
    bin = Json{{"extent", {*lo - pad, *hi + pad}}, {"maxbins", 10}};
    subtitle += ", all equal";
  }
  const std::string title = style.unit.empty() ? style.title : axis_title(style);
  return Json{
      {"title", {{"text", style.title}, {"subtitle", subtitle}}},
      {"width", 440},
      {"height", 200},
      {"data", {{"name", "finals"}}},
      {"transform", Json::array({{{"filter", {{"field", "metric"}, {"equal", metric}}}}})},
      {"layer",
       Json::array(
           {{{"mark", {{"type", "bar"}, {"color", "#2563eb"}, {"opacity", 0.85}}},
             {"encoding",
              {{"x",
                {{"field", "value"},
                 {"type", "quantitative"},
                 {"bin", bin},
                 {"title", title},
                 {"axis", {{"format", style.axis_format}}}}},
               {"y", {{"aggregate", "count"}, {"type", "quantitative"}, {"title", "Replicates"}}},
               {"tooltip", Json::array({{{"field", "value"},
                                         {"bin", bin},
                                         {"type", "quantitative"},
                                         {"title", style.title},
                                         {"format", style.tooltip_format}},
                                        {{"aggregate", "count"},
                                         {"type", "quantitative"},
                                         {"title", "replicates"}}})}}}},
            {{"mark",
              {{"type", "rule"}, {"color", "#111827"}, {"strokeDash", {4, 3}}, {"size", 2}}},
             {"encoding",
              {{"x", {{"aggregate", "median"}, {"field", "value"}, {"type", "quantitative"}}},
               {"tooltip", Json::array({{{"aggregate", "median"},
                                         {"field", "value"},
                                         {"type", "quantitative"},
                                         {"title", "median"},
                                         {"format", style.tooltip_format}}})}}}}})}};
}

std::string plain_number(double value) {
  if (!std::isfinite(value)) return "–";
  if (std::fabs(value) >= 1000 && std::fabs(value) < 1e15 && value == std::floor(value)) {
    const std::string digits = fmt::format("{:.0f}", std::fabs(value));
    std::string out = value < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return out;
  }
  return fmt::format("{:.4g}", value);
}

}  // namespace flywheel::report
