// Running a sweep in one process (or as one shard, or as one rank of an MPI task farm, which
// shares run_unit): open or resume the folder, run the missing units, merge into results.csv.
#pragma once

#include <flywheel/experiments/sweep.hpp>
#include <flywheel/experiments/sweep_model.hpp>
#include <flywheel/experiments/sweep_points.hpp>
#include <flywheel/experiments/sweep_schedule.hpp>
#include <flywheel/experiments/sweep_store.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace flywheel {

// A loaded sweep: spec, its points and the model that evaluates them.
class Sweep {
 public:
  explicit Sweep(SweepSpec spec);
  const SweepSpec& spec() const { return spec_; }
  const SweepPoints& points() const { return points_; }
  const SweepModel& model() const { return *model_; }
  SweepIdentity identity(const std::optional<Precision>& precision, int shards) const;

 private:
  SweepSpec spec_;
  SweepPoints points_;
  std::unique_ptr<SweepModel> model_;
};

// The precision rule of `--precision OUTPUT:TARGET[%]` with `--max-replicates` (0: 50 x the
// first batch's replicates); nullopt when `text` is empty. Bad values throw InputError naming
// the option and what was expected.
std::optional<Precision> sweep_precision(const Sweep& sweep, const std::string& text,
                                         int max_replicates);

// Opens DIR for this sweep: a new folder is initialised (sweep.json, points.csv); a folder of
// the same sweep is resumed. Another sweep, shard count or precision there, or files of anything
// but a sweep, are bad input (InputError) unless force_new, which clears the sweep's files first.
SweepStore open_sweep_folder(const std::filesystem::path& dir, const SweepIdentity& identity,
                             bool force_new, const std::string& points_csv);

// The scheduler of `shard` over what DIR holds; with retry_failed, failed units are forgotten
// and run again.
UnitScheduler resume_scheduler(const SweepStore& store, const SweepIdentity& identity, Shard shard,
                               bool retry_failed);

// Runs one unit and publishes its rows, or its failure (with the error) when it throws.
struct UnitOutcome {
  std::vector<std::vector<double>> rows;
  std::optional<std::string> error;
};
UnitOutcome run_unit(const SweepModel& model, const SweepStore& store, const SweepUnit& unit);

struct SweepTally {
  int finished = 0;  // units run now
  int failed = 0;    // of which failed
  int skipped = 0;   // units already done (or failed) when this process started
  bool stopped = false;  // `stop` said so before every unit had run
};
using SweepProgress = std::function<void(const SweepTally&, int queued)>;

// Runs every unit the scheduler gives, one after the other (each one's replicates in parallel);
// for a deterministic model (engine: mean_field) the units of a batch of points in parallel.
// `stop` (e.g. a signal arrived) is asked before each unit starts: when it says so, the units in
// flight finish and are published, no other starts, and the tally says `stopped`.
SweepTally run_units(UnitScheduler& scheduler, const SweepModel& model, const SweepStore& store,
                     const SweepProgress& progress = {},
                     const std::function<bool()>& stop = {});

struct MergeReport {
  int points = 0, units = 0, rows = 0;
  std::map<SweepUnit, std::string> failures;
  std::string results_sha256;
};

// Merges the units of one or more folders of the same sweep into OUT/results.csv (sorted by
// point then replicate), OUT/points.csv and OUT/manifest.json. Folders of different sweeps, or
// units still missing, are bad input (InputError).
MergeReport merge_sweep_folders(const std::vector<std::filesystem::path>& dirs,
                                const std::filesystem::path& out);

// Current UTC time, ISO 8601 to the second.
std::string utc_now();

}  // namespace flywheel
