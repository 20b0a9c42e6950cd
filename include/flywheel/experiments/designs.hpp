// Experiment designs for sweeps and sensitivity analysis: points in the unit hypercube (random,
// Latin hypercube, Sobol, Saltelli, Morris) and full-factorial grids of level indices. Pure
// functions of their arguments; the caller maps unit coordinates onto parameter ranges.
#pragma once

#include <cstdint>
#include <vector>

namespace flywheel {

// Points in the unit hypercube: points[i][d] in [0, 1) (Morris points may equal 1, see there).
using UnitPoints = std::vector<std::vector<double>>;

// Random draws use Decision::design with key (seed, 0) and counter (agent, step):
//   random and LHS coordinate d of point i: agent = i, step = d (one uniform_01 draw; the LHS
//     jitter of point i is the random_points coordinate of the same seed);
//   LHS stratum order of dimension d: agent = 0xFFFFFFFF, step = d (Fisher-Yates);
//   Morris trajectory t: agent = t, step = 0xFFFFFFFD (base levels, signs, dimension order);
//   bootstrap round b (sensitivity.hpp): agent = b, step = 0xFFFFFFFE.
// So a random_points coordinate does not depend on how many points or dimensions were asked for.

// iid uniform on [0, 1)^dims (word / 2^32 through boost::random::uniform_01).
UnitPoints random_points(int samples, int dims, std::uint32_t seed);

// Latin hypercube (McKay, Beckman & Conover 1979): in every dimension exactly one point per
// stratum [k/n, (k+1)/n), jittered uniformly inside it; strata order a random permutation per
// dimension.
UnitPoints lhs_points(int samples, int dims, std::uint32_t seed);

// Boost.Random's Sobol sequence (Joe & Kuo's new-joe-kuo-6.21201 direction numbers, Gray-code
// order), exactly the successive outputs of boost::random::sobol(dims), coordinate =
// word / 2^64 = (word >> 32) / 2^32. Nothing is skipped here: Boost itself leaves out the
// all-zero point, so point 0 is (0.5, ..., 0.5) and dimension 0 runs 0.5, 0.75, 0.25, 0.375,
// 0.875, ... Our point i is point i + 1 of the unscrambled sequence that starts at the origin
// (Joe & Kuo's generator, scipy.stats.qmc.Sobol(scramble=False)). With that origin, the first
// 2^k points are a net, so samples = 2^k - 1 balances best; dims <= 3667 (Boost's table).
UnitPoints sobol_points(int samples, int dims);

// Full factorial of level indices: every combination of 0..levels[d]-1 once, first dimension
// slowest (like Python's itertools.product). levels[d] >= 1.
std::vector<std::vector<int>> grid_points(const std::vector<int>& levels);

// Saltelli (2010) design for first-order and total Sobol indices without second order (SALib's
// calc_second_order=False layout). Point j of a 2*dims-dimensional Sobol sequence gives A_j (its
// first dims coordinates) and B_j (its last dims); rows are, for each base sample j:
// A_j, AB_j^(1), ..., AB_j^(dims), B_j, where AB^(i) is A with column i taken from B.
// base_samples * (dims + 2) rows; 2 * dims <= 3667.
UnitPoints saltelli_points(int base_samples, int dims);

// Morris (1991) elementary-effects trajectories as in SALib's morris.sample: levels p, step
// delta = p / (2 (p - 1)); per trajectory a random base point x* with coordinates drawn from
// {0, 1/(p-1), ..., 1 - delta}, a random sign per dimension (+: x* then x* + delta,
// -: x* + delta then x*) and a random dimension order; row k + 1 differs from row k in exactly
// one dimension. trajectories * (dims + 1) rows. Coordinates lie on the closed grid
// {0, 1/(p-1), ..., 1}, so 1 occurs. Use an even p: with an odd p, delta is not a multiple of
// 1/(p-1) and x* + delta falls off the grid (accepted, as SALib does, with x* from
// linspace(0, 1 - delta, floor(p/2))).
UnitPoints morris_points(int trajectories, int dims, int levels, std::uint32_t seed);

}  // namespace flywheel
