// `mpirun -n N flywheel sweep SPEC`: an Open MPI task farm. Rank 0 holds the unit scheduler and
// hands units out one at a time to whichever rank asks (dynamic assignment); ranks 1..N-1 run
// them and publish each unit file themselves, then send the rows back so that rank 0 can
// decide on follow-up batches (--precision). The unit files, hence the merged results, are the
// same as those of one process. Without MPI support built in, or outside mpirun, the world is
// one process and nothing here is called.
#pragma once

#include <flywheel/experiments/sweep_run.hpp>

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

}  // namespace flywheel::cli
