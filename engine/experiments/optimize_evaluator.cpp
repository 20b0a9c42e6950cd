// Turning decision values into a candidate: samples[output][scenario * replicates + replicate]
// from the model (here, or through `remote`), then the statistics. The samples are remembered
// for the run and kept in DIR/candidates/, one file per candidate named by a hash of what they
// depend on (docs/optimize.md#outputs), so a killed run resumes where it stopped.
#include "optimize_evaluator.hpp"

#include "optimize_files.hpp"

#include "common/sha256.hpp"
#include "common/text_file.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/common/version.hpp>
#include <flywheel/experiments/sweep_model.hpp>
#include <flywheel/experiments/sweep_points.hpp>
#include <flywheel/output/output.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace flywheel::optimize_detail {

namespace fs = std::filesystem;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

int output_index(const SweepSpec& sweep, const OutputSpec& output) {
  for (std::size_t k = 0; k < sweep.outputs.size(); ++k) {
    if (sweep.outputs[k].name == output.name) return static_cast<int>(k);
  }
  throw std::logic_error("optimize: an output the spec reader did not add: " + output.name);
}

}  // namespace

Evaluator::Evaluator(const OptimizeSpec& spec, fs::path cache_dir, CandidateEvaluator remote)
    : spec_(spec), cache_dir_(std::move(cache_dir)), remote_(std::move(remote)), model_(spec) {
  const SweepModel& model = model_.model();
  std::string identity = fmt::format("flywheel {}\n{}\n{}\n{}\n{}\n", kVersion,
                                     model.base_json(), sweep_engine_name(spec.sweep.engine),
                                     model.seed(), model.replicates());
  for (const SweepParam& p : spec.sweep.fixed) identity += p.path + "=" + p.domain.values[0] + "\n";
  for (const auto& row : model_.design().values) {
    for (const std::string& v : row) identity += v + ",";
    identity += "\n";
  }
  for (const OutputSpec& o : spec.sweep.outputs) identity += o.name + "\n";
  identity_hash_ = sha256_hex(identity);
}

std::vector<std::string> Evaluator::values_at(const std::vector<double>& u) const {
  std::vector<std::string> values;
  for (std::size_t i = 0; i < spec_.decisions.size(); ++i) {
    const Decision& d = spec_.decisions[i];
    const double x = d.lo + std::clamp(u[i], 0.0, 1.0) * (d.hi - d.lo);
    if (d.integer) {
      const double r = std::clamp(std::round(x), std::ceil(d.lo), std::floor(d.hi));
      values.push_back(fmt::format("{}", static_cast<long long>(r)));
    } else {
      values.push_back(fmt::format("{}", x));
    }
  }
  return values;
}

int Evaluator::evaluate(const std::vector<std::string>& values, OptimizeResult& result) {
  std::string key;
  for (const std::string& v : values) key += v + ",";
  if (const auto it = memo_.find(key); it != memo_.end()) return it->second;
  Candidate c;
  c.values = values;
  std::vector<std::vector<double>> samples;
  const fs::path file = cache_dir_ / (sha256_hex(identity_hash_ + "\n" + key).substr(0, 32) + ".csv");
  if (read_cache(file, key, samples)) {
    c.cached = true;
    ++result.cached;
  } else {
    try {
      samples = simulate(values);
      write_cache(file, key, samples);
    } catch (const InputError& e) {
      c.error = candidate_error_text(e);
      samples.assign(spec_.sweep.outputs.size(), {});
    } catch (const CandidateRefused& e) {
      c.error = e.what();
      samples.assign(spec_.sweep.outputs.size(), {});
    }
    ++result.simulated;
  }
  c.objective = evaluate_statistic(spec_.objective,
                                   samples[static_cast<std::size_t>(output_index(spec_.sweep, spec_.objective.output))]);
  for (const OptimizeConstraint& k : spec_.constraints) {
    c.constraints.push_back(evaluate_statistic(
        k.statistic,
        samples[static_cast<std::size_t>(output_index(spec_.sweep, k.statistic.output))]));
  }
  result.objective_samples.push_back(
      samples[static_cast<std::size_t>(output_index(spec_.sweep, spec_.objective.output))]);
  result.candidates.push_back(std::move(c));
  const int index = static_cast<int>(result.candidates.size()) - 1;
  memo_[key] = index;
  return index;
}

std::vector<std::vector<double>> Evaluator::simulate(const std::vector<std::string>& values) {
  std::vector<std::vector<std::vector<double>>> rows;
  if (remote_) {
    rows = remote_(values);
  } else {
    model_.set_candidate(values);
    rows = model_.evaluate(0, scenarios(), 0, replicates());
  }
  std::vector<std::vector<double>> samples(spec_.sweep.outputs.size());
  for (const auto& scenario : rows) {
    for (const auto& row : scenario) {
      for (std::size_t k = 0; k < samples.size(); ++k) samples[k].push_back(row[k]);
    }
  }
  return samples;
}

bool Evaluator::read_cache(const fs::path& file, const std::string& key,
                           std::vector<std::vector<double>>& samples) const {
  std::error_code ec;
  if (!fs::exists(file, ec)) return false;
  const loader::FileText read = loader::read_text_file(file, std::size_t{1} << 30);
  if (!read.error.empty()) return false;
  std::istringstream in(read.text);
  std::string line;
  if (!std::getline(in, line) || line != "# " + key) return false;
  std::getline(in, line);  // header
  const std::size_t outputs = spec_.sweep.outputs.size();
  samples.assign(outputs, {});
  while (std::getline(in, line)) {
    std::vector<std::string> fields(1);
    for (const char ch : line) {
      if (ch == ',') fields.emplace_back(); else fields.back() += ch;
    }
    if (fields.size() != outputs) return false;
    for (std::size_t k = 0; k < outputs; ++k)
      samples[k].push_back(fields[k].empty() ? kNaN : std::stod(fields[k]));
  }
  const auto expected = static_cast<std::size_t>(scenarios() * replicates());
  return outputs == 0 || samples[0].size() == expected;
}

void Evaluator::write_cache(const fs::path& file, const std::string& key,
                            const std::vector<std::vector<double>>& samples) const {
  std::string text = "# " + key + "\n";
  for (std::size_t k = 0; k < spec_.sweep.outputs.size(); ++k)
    text += (k ? "," : "") + spec_.sweep.outputs[k].name;
  text += "\n";
  const std::size_t n = samples.empty() ? 0 : samples[0].size();
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < samples.size(); ++k) {
      if (k) text += ',';
      text += number_or_empty(samples[k][i]);
    }
    text += "\n";
  }
  write_file_atomic(file, text);
}

}  // namespace flywheel::optimize_detail
