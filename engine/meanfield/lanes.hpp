// Sweeps over a row of the twin's state: one number per size class, the classes side by side
// (Twin's layout), as plain loops the compiler vectorises. A row's sum is taken in a fixed
// order, so that the results do not depend on the machine or on how the loops are vectorised.
#pragma once

#include <cstddef>

// The functions that sweep rows are also compiled for AVX2, picked at run time where the
// processor has it. AVX2 brings no fused multiply-add, so both versions compute the same
// numbers (each operation rounded alike, sums in the same order): the twin's outputs do not
// depend on the machine.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__clang__)
#define FLYWHEEL_SWEEP __attribute__((target_clones("avx2", "default")))
#else
#define FLYWHEEL_SWEEP
#endif

namespace flywheel::meanfield {

// The sum of x[0 .. n), n a multiple of 4: four interleaved partial sums, then their pairs.
inline double lane_sum(const double* x, std::size_t n) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  for (std::size_t k = 0; k < n; k += 4) {
    s0 += x[k];
    s1 += x[k + 1];
    s2 += x[k + 2];
    s3 += x[k + 3];
  }
  return (s0 + s1) + (s2 + s3);
}

}  // namespace flywheel::meanfield
