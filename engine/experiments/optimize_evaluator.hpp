// How run_optimize turns decision values into a candidate: the model's samples over the fixed
// uncertainty design (computed here, or by an MPI farm through a CandidateEvaluator), remembered
// in memory and in one file per candidate on disk, then the objective's and constraints'
// statistics (optimize_evaluator.cpp).
#pragma once

#include <flywheel/experiments/optimize.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace flywheel::optimize_detail {

class Evaluator {
 public:
  // Candidates are cached in `cache_dir`; `remote`, when set, computes their samples.
  Evaluator(const OptimizeSpec& spec, std::filesystem::path cache_dir, CandidateEvaluator remote);

  int scenarios() const { return model_.scenarios(); }
  int replicates() const { return model_.replicates(); }
  const std::string& identity_hash() const { return identity_hash_; }

  // Decision values for a point of [0, 1]^n.
  std::vector<std::string> values_at(const std::vector<double>& u) const;

  // The index of the candidate in `result.candidates` (evaluated, or read from the caches).
  int evaluate(const std::vector<std::string>& values, OptimizeResult& result);

 private:
  std::vector<std::vector<double>> simulate(const std::vector<std::string>& values);
  bool read_cache(const std::filesystem::path& file, const std::string& key,
                  std::vector<std::vector<double>>& samples) const;
  void write_cache(const std::filesystem::path& file, const std::string& key,
                   const std::vector<std::vector<double>>& samples) const;

  const OptimizeSpec& spec_;
  std::filesystem::path cache_dir_;
  CandidateEvaluator remote_;
  CandidateModel model_;
  std::string identity_hash_;  // of all a candidate's samples depend on but its values
  std::map<std::string, int> memo_;
};

}  // namespace flywheel::optimize_detail
