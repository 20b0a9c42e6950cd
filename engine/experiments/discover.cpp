#include <flywheel/experiments/discover.hpp>

#include "common/text_file.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/experiments/sweep_store.hpp>
#include <flywheel/output/output.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace flywheel {

namespace fs = std::filesystem;

namespace {

InputError folder_error(const fs::path& where, const std::string& message) {
  return InputError({Diagnostic{where.string(), 0, 0, "", message}});
}

InputError target_error(const std::string& message) {
  return InputError({Diagnostic{"<command line>", 0, 0, "--target", message}});
}

// RFC 4180 fields of one line (quotes optional).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        fields.back() += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      fields.emplace_back();
    } else if (ch != '\r') {
      fields.back() += ch;
    }
  }
  return fields;
}

std::vector<std::vector<std::string>> read_csv_rows(const fs::path& file, std::size_t fields) {
  const loader::FileText read = loader::read_text_file(file, std::size_t{1} << 32);
  if (!read.error.empty()) {
    throw folder_error(file, "cannot read: " + read.error +
                                 "; expected the merged files of a finished sweep (flywheel "
                                 "sweep, or flywheel merge)");
  }
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read.text);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f = csv_fields(line);
    if (f.size() != fields) {
      throw folder_error(file, fmt::format("has a row with {} fields; expected {}", f.size(),
                                           fields));
    }
    rows.push_back(std::move(f));
  }
  return rows;
}

bool same_output(const OutputSpec& a, const OutputSpec& b) {
  return a.name == b.name || (a.metric == b.metric && a.stat == b.stat &&
                              a.from_month == b.from_month && a.to_month == b.to_month &&
                              a.name.substr(0, a.name.find('@')) == b.name.substr(0, b.name.find('@')));
}

std::string number_or_empty(double v) { return std::isfinite(v) ? fmt::format("{}", v) : ""; }

}  // namespace

DiscoverResult discover_sweep_folder(const fs::path& dir, const DiscoverOptions& options) {
  DiscoverResult r;
  r.options = options;
  std::string problem;
  const std::optional<OutcomeCondition> target = parse_outcome_condition(options.target, problem);
  if (!target) throw target_error("\"" + options.target + "\" " + problem);
  r.target = *target;
  if (!(options.prim.alpha > 0 && options.prim.alpha < 0.5))
    throw InputError({Diagnostic{"<command line>", 0, 0, "--alpha",
                                 fmt::format("{} is not allowed; expected a share in (0, 0.5)",
                                             options.prim.alpha)}});
  if (!(options.prim.min_mass > 0 && options.prim.min_mass <= 1))
    throw InputError({Diagnostic{"<command line>", 0, 0, "--min-mass",
                                 fmt::format("{} is not allowed; expected a share in (0, 1]",
                                             options.prim.min_mass)}});
  const std::optional<SweepIdentity> id = SweepStore(dir).identity();
  if (!id) {
    throw folder_error(dir, "is not a sweep folder (no sweep.json); expected a folder written by "
                            "flywheel sweep");
  }
  if (id->uncertainties.empty()) {
    throw folder_error(dir / "sweep.json",
                       "has no uncertainties; expected a sweep whose uncertainties vary (the "
                       "conditions discover describes)");
  }
  int output = -1;
  for (std::size_t k = 0; k < id->outputs.size(); ++k) {
    std::string ignored;
    const auto o = parse_output_spec(id->outputs[k], ignored);
    if (o && same_output(*o, target->output)) output = static_cast<int>(k);
  }
  if (output < 0) {
    std::string list;
    for (const std::string& o : id->outputs) list += (list.empty() ? "" : ", ") + o;
    throw target_error(fmt::format("{} is not an output of this sweep; expected one of {}",
                                   target->output.name, list));
  }
  // points.csv: point,policy,scenario,<levers>,<uncertainties>
  const std::size_t levers = id->levers.size(), dims = id->uncertainties.size();
  const auto points = read_csv_rows(dir / "points.csv", 3 + levers + dims);
  if (static_cast<int>(points.size()) != id->points)
    throw folder_error(dir / "points.csv", fmt::format("has {} points; sweep.json says {}",
                                                       points.size(), id->points));
  r.dimensions = id->uncertainties;
  r.numeric.assign(dims, true);
  r.codes.assign(dims, {});
  for (std::size_t d = 0; d < dims; ++d) {
    std::set<std::string> words;
    for (const auto& row : points) {
      const std::string& text = row[3 + levers + d];
      if (!parse_finite_number(text)) r.numeric[d] = false;
      words.insert(text);
    }
    if (!r.numeric[d]) r.codes[d].assign(words.begin(), words.end());
  }
  auto coordinate = [&](const std::vector<std::string>& row, std::size_t d) {
    const std::string& text = row[3 + levers + d];
    if (r.numeric[d]) return *parse_finite_number(text);
    return static_cast<double>(std::lower_bound(r.codes[d].begin(), r.codes[d].end(), text) -
                               r.codes[d].begin());
  };
  // results.csv: point,replicate,seed,<outputs>: y = share of defined replicates meeting it.
  std::vector<int> hits(static_cast<std::size_t>(id->points), 0),
      defined(static_cast<std::size_t>(id->points), 0);
  for (const auto& row : read_csv_rows(dir / "results.csv", 3 + id->outputs.size())) {
    const std::optional<double> point = parse_finite_number(row[0]);
    if (!point || *point < 0 || *point >= id->points)
      throw folder_error(dir / "results.csv", "names a point outside the design");
    const std::optional<double> v = parse_finite_number(row[3 + static_cast<std::size_t>(output)]);
    if (!v) continue;
    const auto p = static_cast<std::size_t>(*point);
    ++defined[p];
    if (target->holds(*v)) ++hits[p];
  }
  for (int policy = 0; policy < id->policies; ++policy) {
    DiscoverPolicy dp;
    dp.policy = policy;
    std::vector<std::vector<double>> x;
    std::vector<double> y;
    for (int s = 0; s < id->scenarios; ++s) {
      const auto point = static_cast<std::size_t>(policy * id->scenarios + s);
      if (s == 0) {
        for (std::size_t l = 0; l < levers; ++l)
          dp.label += (l ? ", " : "") + id->levers[l] + "=" + points[point][3 + l];
      }
      if (defined[point] == 0) {
        ++dp.left_out;
        continue;
      }
      std::vector<double> xi(dims);
      for (std::size_t d = 0; d < dims; ++d) xi[d] = coordinate(points[point], d);
      x.push_back(std::move(xi));
      y.push_back(static_cast<double>(hits[point]) / defined[point]);
    }
    dp.cases = static_cast<int>(x.size());
    if (x.empty()) {
      throw folder_error(dir / "results.csv",
                         fmt::format("has no defined value of {} for policy {}; expected a "
                                     "finished sweep",
                                     target->output.name, policy));
    }
    dp.result = prim(x, y, options.prim);
    r.policies.push_back(std::move(dp));
  }
  return r;
}

std::string discover_boxes_csv(const DiscoverResult& r) {
  std::string out = "policy,box,coverage,density,mass,parameter,lo,hi,restricted,quasi_p\n";
  for (const DiscoverPolicy& p : r.policies) {
    const PrimBox& b = p.result.pasted;
    for (std::size_t d = 0; d < r.dimensions.size(); ++d) {
      const bool restricted = b.lo[d] > p.result.data_lo[d] || b.hi[d] < p.result.data_hi[d];
      out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", p.policy, p.result.chosen,
                         number_or_empty(b.coverage), number_or_empty(b.density), b.mass,
                         r.dimensions[d], b.lo[d], b.hi[d], restricted ? 1 : 0,
                         number_or_empty(b.quasi_p[d]));
    }
  }
  return out;
}

std::string discover_trajectory_csv(const DiscoverResult& r) {
  std::string out = "policy,step,coverage,density,mass,cases,restricted,chosen\n";
  for (const DiscoverPolicy& p : r.policies) {
    for (std::size_t k = 0; k < p.result.trajectory.size(); ++k) {
      const PrimBox& b = p.result.trajectory[k];
      out += fmt::format("{},{},{},{},{},{},{},{}\n", p.policy, k, number_or_empty(b.coverage),
                         number_or_empty(b.density), b.mass, b.cases, b.restricted,
                         static_cast<int>(k) == p.result.chosen ? 1 : 0);
    }
  }
  return out;
}

std::string discover_json_text(const DiscoverResult& r) {
  auto num = [](double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
  };
  nlohmann::ordered_json j;
  j["method"] = "PRIM (Friedman & Fisher 1999): peeling, then pasting of the chosen box";
  j["target"] = r.target.text;
  j["y"] = "share of a scenario's replicates where the target holds";
  j["alpha"] = r.options.prim.alpha;
  j["min_mass"] = r.options.prim.min_mass;
  j["threshold"] = r.options.prim.threshold;
  j["policies"] = nlohmann::ordered_json::array();
  for (const DiscoverPolicy& p : r.policies) {
    const PrimBox& b = p.result.pasted;
    nlohmann::ordered_json box = nlohmann::ordered_json::array();
    for (std::size_t d = 0; d < r.dimensions.size(); ++d) {
      if (!(b.lo[d] > p.result.data_lo[d] || b.hi[d] < p.result.data_hi[d])) continue;
      nlohmann::ordered_json e{{"parameter", r.dimensions[d]},
                               {"lo", b.lo[d]},
                               {"hi", b.hi[d]},
                               {"data_lo", p.result.data_lo[d]},
                               {"data_hi", p.result.data_hi[d]},
                               {"quasi_p", num(b.quasi_p[d])}};
      if (!r.numeric[d]) {
        nlohmann::ordered_json words = nlohmann::ordered_json::array();
        for (std::size_t c = 0; c < r.codes[d].size(); ++c) {
          if (c >= b.lo[d] && c <= b.hi[d]) words.push_back(r.codes[d][c]);
        }
        e["values"] = words;
      }
      box.push_back(e);
    }
    j["policies"].push_back({{"policy", p.policy},
                             {"levers", p.label},
                             {"cases", p.cases},
                             {"left_out", p.left_out},
                             {"base_density", num(p.result.trajectory.front().density)},
                             {"chosen_step", p.result.chosen},
                             {"choice", p.result.choice},
                             {"coverage", num(b.coverage)},
                             {"density", num(b.density)},
                             {"mass", b.mass},
                             {"restricted", box}});
  }
  return j.dump(2) + "\n";
}

DiscoverResult write_discover_files(const fs::path& dir, const DiscoverOptions& options) {
  DiscoverResult r = discover_sweep_folder(dir, options);
  write_file_atomic(dir / "discover_boxes.csv", discover_boxes_csv(r));
  write_file_atomic(dir / "discover_trajectory.csv", discover_trajectory_csv(r));
  write_file_atomic(dir / "discover.json", discover_json_text(r));
  return r;
}

}  // namespace flywheel
