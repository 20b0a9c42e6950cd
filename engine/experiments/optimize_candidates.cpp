// The model one optimisation candidate runs on: the decision values in front of each scenario of
// the fixed uncertainty design, as the points of a sweep, evaluated on TBB here or block by block
// by the ranks of an MPI farm (tools/cli/optimize_command.cpp).
#include <flywheel/experiments/optimize.hpp>

#include <flywheel/common/errors.hpp>
#include <flywheel/experiments/sweep_model.hpp>
#include <flywheel/experiments/sweep_points.hpp>

#include <tbb/parallel_for.h>

#include <exception>
#include <memory>

namespace flywheel {

std::string candidate_error_text(const InputError& e) {
  return e.diagnostics().empty() ? e.what() : e.diagnostics().front().to_string();
}

CandidateModel::CandidateModel(const OptimizeSpec& spec)
    : design_(std::make_unique<SweepPoints>(sweep_points(spec.sweep))),
      points_(std::make_unique<SweepPoints>()) {
  for (const Decision& d : spec.decisions) points_->columns.push_back(d.path);
  for (const std::string& c : design_->columns) points_->columns.push_back(c);
  points_->values.assign(design_->values.size(), {});
  points_->scenarios = design_->size();
  model_ = std::make_unique<SweepModel>(spec.sweep, *points_);
}

CandidateModel::~CandidateModel() = default;

int CandidateModel::scenarios() const { return design_->size(); }
int CandidateModel::replicates() const { return model_->replicates(); }
std::size_t CandidateModel::outputs() const { return model_->outputs(); }

void CandidateModel::set_candidate(const std::vector<std::string>& values) {
  for (std::size_t s = 0; s < design_->values.size(); ++s) {
    std::vector<std::string> row = values;
    row.insert(row.end(), design_->values[s].begin(), design_->values[s].end());
    points_->values[s] = std::move(row);
  }
}

std::vector<std::vector<std::vector<double>>> CandidateModel::evaluate(int s0, int s1, int r0,
                                                                       int r1) const {
  std::vector<std::vector<std::vector<double>>> rows(static_cast<std::size_t>(s1 - s0));
  std::vector<std::exception_ptr> errors(rows.size());
  tbb::parallel_for(s0, s1, [&](int s) {
    const auto i = static_cast<std::size_t>(s - s0);
    try {
      rows[i] = model_->evaluate(s, r0, r1);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  });
  // The first scenario's error, whichever thread met it first: the same message every run.
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  return rows;
}

}  // namespace flywheel
