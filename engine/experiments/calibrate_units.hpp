// The shard files of a calibration run as separate processes (`flywheel calibrate --shard k/N`,
// docs/calibrate.md#on-slurm): shard k of N computes the particles i with i mod N = k - 1 of the
// next generation and publishes their outcomes, bit for bit, as
//
//   DIR/generations/gen-NNNN.shard-K-of-N.json
//
// written atomically (temporary file, fsync, rename), so a file under that name is always whole.
// `--fold` (or a plain run) reads a generation's shard files back in place of computing those
// particles. A particle's outcome depends only on (seed, generation, particle, attempt), so the
// population folded from any layout is the one a single process computes.
#pragma once

#include "abc_smc.hpp"

#include <flywheel/experiments/sweep_schedule.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flywheel {

// What the folder holds of one generation's shard files.
struct GenerationUnits {
  int generation = 0;
  int shards = 0;           // N of the files found; 0 when there are none
  std::vector<int> found;   // their shard numbers k, ascending
  std::vector<std::optional<abc::ParticleOutcome>> outcomes;  // [particle]: from the files
  bool complete() const { return shards > 0 && static_cast<int>(found.size()) == shards; }
  std::vector<int> missing() const;  // the shard numbers not found (all of them: none when N = 0)
  // One line of text (for the MPI ranks) and back.
  std::string text() const;
  static GenerationUnits from_text(const std::string& text);
};

class CalibrationUnits {
 public:
  // dir: the calibration folder; hash: its spec hash; particles: the population size.
  CalibrationUnits(std::filesystem::path dir, std::string hash, std::size_t particles)
      : dir_(std::move(dir)), hash_(std::move(hash)), particles_(particles) {}

  static std::string file_name(int generation, Shard shard);
  std::filesystem::path path(int generation, Shard shard) const;

  // The shard files of `generation`, read and checked. Throws InputError (naming the files) for
  // files of two layouts (different N), of another calibration (spec hash), or damaged ones.
  GenerationUnits read(int generation) const;
  // Publishes shard's outcomes: (particle, outcome) for every particle it owns, ascending.
  void publish(int generation, Shard shard,
               const std::vector<std::pair<std::size_t, abc::ParticleOutcome>>& outcomes) const;
  // Removes the shard files of the generations up to `generation` (folded, or left behind by a
  // shard that finished after its generation was folded).
  void remove_through(int generation) const;

 private:
  std::filesystem::path dir_;
  std::string hash_;
  std::size_t particles_;
};

}  // namespace flywheel
