// The Open MPI task farm of `mpirun -n N flywheel sweep | optimize | calibrate SPEC`. Rank 0
// hands tasks out one at a time to whichever rank asks (dynamic assignment) and receives each
// task's numbers (or its error); ranks 1..N-1 run them. For a sweep a task is a unit (the
// workers also publish each unit file themselves, and rank 0 decides on follow-up batches for
// --precision); for optimize it is a block of one candidate's scenarios and replicates; for
// calibrate a block of one generation's particles, after which rank 0 hands every rank the whole
// generation so that all go on in lockstep (mpi_particle_farm.cpp). What is computed does not depend on which rank runs a task, so the files are the
// same as those of one process. Without MPI support built in, or outside mpirun, the world is
// one process and nothing here is called.
#pragma once

#include <flywheel/experiments/calibrate.hpp>
#include <flywheel/experiments/sweep_run.hpp>

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace flywheel::cli {

struct MpiWorld {
  int rank = 0;
  int size = 1;
};

// Initialises MPI when the process was started by mpirun/srun with more than one rank.
MpiWorld mpi_start(int& argc, char**& argv);
void mpi_stop();
// The world of this process (size 1 when MPI is not in use).
const MpiWorld& mpi_world();

// Rank 0 tells the others whether the sweep folder could be opened (1) or not (0); every rank
// returns that verdict, so that a refused folder stops all ranks instead of leaving them waiting.
bool mpi_agree(bool ok);

// Rank 0: hands out the scheduler's units until it is idle. Others: run units until told to stop.
SweepTally mpi_run_units(UnitScheduler* scheduler, const SweepModel& model, const SweepStore& store,
                         const SweepProgress& progress);

// The generic farm under both. A task is four integers whose meaning is the caller's.
using FarmTask = std::array<int, 4>;
struct FarmResult {
  std::vector<double> values;        // the task's numbers, flattened
  std::optional<std::string> error;  // the task failed (values then empty)
};
// Rank 0: one round of the farm. Hands out `next()` to whichever rank asks until it has nothing
// and `idle()` says nothing running may queue more; `done` hears each task's result (in the
// order they finish). Ends when every other rank was told the round is over.
void mpi_farm_coordinate(const std::function<std::optional<FarmTask>()>& next,
                         const std::function<bool()>& idle,
                         const std::function<void(const FarmTask&, FarmResult)>& done);
// Ranks 1..N-1: the other side of one round: runs tasks until rank 0 ends the round.
void mpi_farm_work(const std::function<FarmResult(const FarmTask&)>& run);
// Rank 0 sends `text` (or nullopt) to every rank; every rank returns it.
std::optional<std::string> mpi_broadcast(const std::optional<std::string>& text);

// The calibration's particle farm over the ranks (null for a world of one process;
// mpi_particle_farm.cpp).
std::unique_ptr<ParticleFarm> mpi_particle_farm();

}  // namespace flywheel::cli
