// `mpirun -n N flywheel sweep SPEC` and `mpirun -n N flywheel calibrate SPEC`: an Open MPI task
// farm. Rank 0 holds the queue of jobs and hands them out one at a time to whichever rank asks
// (dynamic assignment); ranks 1..N-1 run them and send a record back (doubles).
// - sweep: a job is a unit; the worker publishes the unit file itself and sends the rows back so
//   that rank 0 can decide on follow-up batches (--precision). The unit files, hence the merged
//   results, are the same as those of one process.
// - calibrate: a job is a block of one generation's particles; rank 0 gathers their records and
//   hands every rank the whole generation, so that all ranks go on in lockstep
//   (calibrate.hpp, ParticleFarm).
// Without MPI support built in, or outside mpirun, the world is one process and nothing here is
// called.
#pragma once

#include <flywheel/experiments/calibrate.hpp>
#include <flywheel/experiments/sweep_run.hpp>

#include <memory>

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

// The calibration's particle farm over MPI_COMM_WORLD (null for a world of one process).
std::unique_ptr<ParticleFarm> mpi_particle_farm();

}  // namespace flywheel::cli
