// The data of a calibration: a tidy CSV `month,metric,value[,sd][,weight]` (columns in any
// order, named by the header), checked row by row with file:line:col, and the distance between
// it and a simulated trajectory (docs/calibrate.md#distance).
#include <flywheel/experiments/calibrate.hpp>

#include "common/diagnostics.hpp"
#include "common/number_syntax.hpp"

#include <flywheel/meanfield/expect.hpp>

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

namespace flywheel {

namespace {

using loader::Diagnostics;
using loader::SourceLocation;

struct Field {
  std::string text;
  int column = 1;  // 1-based character column of the field's start
};

std::vector<Field> split_line(std::string_view line) {
  std::vector<Field> fields;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) comma = line.size();
    std::string_view f = line.substr(start, comma - start);
    std::size_t lead = 0;
    while (lead < f.size() && (f[lead] == ' ')) ++lead;
    std::size_t end = f.size();
    while (end > lead && (f[end - 1] == ' ' || f[end - 1] == '\r')) --end;
    fields.push_back({std::string(f.substr(lead, end - lead)), static_cast<int>(start + lead + 1)});
    if (comma == line.size()) break;
    start = comma + 1;
  }
  return fields;
}

std::optional<double> parse_number(const std::string& text) {
  const loader::NumberSyntax syntax = loader::classify_number(text);
  double v = 0;
  if ((syntax == loader::NumberSyntax::integer || syntax == loader::NumberSyntax::decimal) &&
      loader::parse_number_text(text, syntax, v) && std::isfinite(v))
    return v;
  return std::nullopt;
}

}  // namespace

std::vector<Observation> read_calibration_data(const std::string& text, const std::string& name,
                                               int horizon, SweepEngine engine) {
  Diagnostics diag;
  diag.note_file(name);
  std::vector<Observation> rows;
  const std::vector<std::string> known = {"month", "metric", "value", "sd", "weight"};
  std::map<std::string, std::size_t> column;  // name -> position
  std::size_t width = 0;
  std::set<std::pair<int, int>> seen;  // (month, metric)
  std::map<std::pair<int, int>, int> first_line;
  int line_no = 0;
  std::size_t pos = 0;
  bool header = false;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    const std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line.empty() || line == "\r" || line.starts_with('#')) continue;
    const std::vector<Field> fields = split_line(line);
    if (!header) {
      header = true;
      width = fields.size();
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string& f = fields[i].text;
        if (std::find(known.begin(), known.end(), f) == known.end()) {
          diag.add({name, line_no, fields[i].column}, "",
                   fmt::format("unknown column \"{}\"; expected month, metric, value and "
                               "optionally sd and weight",
                               f));
        } else if (!column.emplace(f, i).second) {
          diag.add({name, line_no, fields[i].column}, "",
                   fmt::format("column \"{}\" repeats; expected each column once", f));
        }
      }
      for (const char* required : {"month", "metric", "value"}) {
        if (column.count(required) == 0)
          diag.add({name, line_no, 1}, "",
                   fmt::format("missing column \"{}\"; expected a header month,metric,value "
                               "(optionally sd and weight)",
                               required));
      }
      if (!diag.empty()) diag.throw_if_any();
      continue;
    }
    if (fields.size() != width) {
      diag.add({name, line_no, 1}, "",
               fmt::format("{} fields; expected {}, as in the header", fields.size(), width));
      continue;
    }
    const auto at = [&](const char* col) -> const Field& { return fields[column.at(col)]; };
    Observation o;
    o.line = line_no;
    bool ok = true;
    {
      const Field& f = at("month");
      const auto m = parse_number(f.text);
      if (!m || *m != std::floor(*m) || *m < 1) {
        diag.add({name, line_no, f.column}, "month",
                 fmt::format("\"{}\" is not a month; expected an integer >= 1", f.text));
        ok = false;
      } else if (*m > horizon) {
        diag.add({name, line_no, f.column}, "month",
                 fmt::format("{} is past the base scenario's horizon of {} months; expected a "
                             "month in [1, {}] (or more simulation.months)",
                             f.text, horizon, horizon));
        ok = false;
      } else {
        o.month = static_cast<int>(*m);
      }
    }
    {
      const Field& f = at("metric");
      const std::optional<Metric> metric = metric_by_name(f.text);
      if (!metric) {
        diag.add({name, line_no, f.column}, "metric",
                 fmt::format("\"{}\" is not a metric; expected a name `flywheel metrics` lists",
                             f.text));
        ok = false;
      } else if (engine == SweepEngine::mean_field && !meanfield::has_mean_field(*metric)) {
        diag.add({name, line_no, f.column}, "metric",
                 fmt::format("{} has no mean-field meaning; expected another metric, or engine: "
                             "agent",
                             f.text));
        ok = false;
      } else {
        o.metric = *metric;
      }
    }
    {
      const Field& f = at("value");
      const auto v = parse_number(f.text);
      if (!v) {
        diag.add({name, line_no, f.column}, "value",
                 fmt::format("\"{}\" is not a finite number; expected a number", f.text));
        ok = false;
      } else {
        o.value = *v;
      }
    }
    if (column.count("sd") != 0 && !at("sd").text.empty()) {
      const Field& f = at("sd");
      const auto v = parse_number(f.text);
      if (!v || *v <= 0) {
        diag.add({name, line_no, f.column}, "sd",
                 fmt::format("\"{}\" is not allowed; expected a number > 0 (or an empty field)",
                             f.text));
        ok = false;
      } else {
        o.sd = *v;
      }
    }
    if (column.count("weight") != 0 && !at("weight").text.empty()) {
      const Field& f = at("weight");
      const auto v = parse_number(f.text);
      if (!v || *v < 0) {
        diag.add({name, line_no, f.column}, "weight",
                 fmt::format("\"{}\" is not allowed; expected a number >= 0 (or an empty field)",
                             f.text));
        ok = false;
      } else {
        o.weight = *v;
      }
    }
    if (!ok) continue;
    const std::pair<int, int> key{o.month, static_cast<int>(o.metric)};
    if (!seen.insert(key).second) {
      diag.add({name, line_no, 1}, "",
               fmt::format("month {} of {} repeats line {}; expected one row per month and "
                           "metric",
                           o.month, metric_name(o.metric), first_line[key]));
      continue;
    }
    first_line[key] = line_no;
    rows.push_back(o);
  }
  if (!header) diag.add({name, 0, 0}, "", "empty; expected a header month,metric,value and rows");
  if (header && rows.empty() && diag.empty())
    diag.add({name, 0, 0}, "", "has no rows; expected at least one observation");
  double total = 0;
  for (const Observation& o : rows) total += o.weight;
  if (!rows.empty() && !(total > 0))
    diag.add({name, 0, 0}, "weight", "every weight is 0; expected some weight > 0");
  diag.throw_if_any();
  return rows;
}

CalibrationDistance::CalibrationDistance(const std::vector<Observation>& data,
                                         const DistanceSpec& spec)
    : data_(data) {
  std::map<int, std::pair<double, int>> scale;  // metric -> (sum |y|, n)
  for (const Observation& o : data) {
    auto& s = scale[static_cast<int>(o.metric)];
    s.first += std::abs(o.value);
    s.second += 1;
  }
  for (const Observation& o : data) {
    double d = 1;
    if (spec.form == DistanceSpec::Form::relative) {
      d = std::abs(o.value);
    } else if (spec.scale == DistanceSpec::Scale::sd) {
      d = o.sd;
    } else {
      const auto& s = scale[static_cast<int>(o.metric)];
      d = s.first / s.second;
    }
    // A zero scale (a metric observed at zero throughout) compares on the absolute scale.
    divisor_.push_back(d > 0 && std::isfinite(d) ? d : 1.0);
    weight_sum_ += o.weight;
  }
}

double CalibrationDistance::operator()(const std::vector<MetricValues>& months) const {
  double sum = 0;
  for (std::size_t i = 0; i < data_.size(); ++i) {
    const Observation& o = data_[i];
    if (o.weight == 0) continue;
    const double s = months.at(static_cast<std::size_t>(o.month - 1))[static_cast<int>(o.metric)];
    if (!std::isfinite(s)) return std::numeric_limits<double>::infinity();
    const double z = (s - o.value) / divisor_[i];
    sum += o.weight * z * z;
  }
  return std::sqrt(sum / weight_sum_);
}

bool CalibrationDistance::exceeds(const std::vector<MetricValues>& months, double bound) const {
  double sum = 0;
  for (std::size_t i = 0; i < data_.size(); ++i) {
    const Observation& o = data_[i];
    if (o.weight == 0 || static_cast<std::size_t>(o.month) > months.size()) continue;
    const double s = months[static_cast<std::size_t>(o.month - 1)][static_cast<int>(o.metric)];
    if (!std::isfinite(s)) return true;
    const double z = (s - o.value) / divisor_[i];
    sum += o.weight * z * z;
  }
  // A margin far above rounding: a particle at the bound is never cut short.
  return sum > bound * bound * weight_sum_ * (1 + 1e-9);
}

}  // namespace flywheel
