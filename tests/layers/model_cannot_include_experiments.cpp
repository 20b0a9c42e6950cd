// Must not compile: the model layer may not see experiments (sweeps, compare).
#include <flywheel/experiments/sweep.hpp>
