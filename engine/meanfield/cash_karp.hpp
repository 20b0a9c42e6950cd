// The twin's integrator: the Cash-Karp 5(4) embedded Runge-Kutta method with Boost.Odeint's
// error control (controlled_runge_kutta with default_error_checker and default_step_adjuster:
// the same steps, accepted and rejected alike, and the same numbers), written out so that a
// stage is one pass over the state, the solution, its error and the error's norm one more, and
// a rejected step reuses the derivative at its start (odeint evaluates it again).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

namespace flywheel::meanfield {

// The steps' sweeps over the state (cash_karp.cpp): a stage tmp = x + a_0 k_0 + .. + a_{s-1}
// k_{s-1}, left to right; the solution tmp = x + sum b_i k_i and the scaled errors
// k_1 = |sum db_i k_i| / (absolute + relative (|x| + slope |k_0|)); their largest.
void cash_karp_stage(std::size_t n, const double* x, double* tmp,
                     const std::array<std::vector<double>, 6>& k, const std::array<double, 5>& a,
                     int s);
void cash_karp_solution(std::size_t n, const double* x, double* tmp,
                        std::array<std::vector<double>, 6>& k, const std::array<double, 6>& b,
                        const std::array<double, 6>& db, double absolute, double relative,
                        double slope);
double cash_karp_max(const double* x, std::size_t n);

class CashKarp {
 public:
  using State = std::vector<double>;

  // The local error of each entry within absolute + relative (|entry| + dt |derivative|).
  CashKarp(double absolute, double relative) : absolute_(absolute), relative_(relative) {}

  // Integrates dy/dt = f(y, t) (f(y, dydt, t) writes dydt) from t to `end` with the first step
  // `dt` (shortened to end at `end`), as odeint's integrate_adaptive does.
  template <class F>
  void integrate(F&& f, State& y, double t, double end, double dt) {
    resize(y.size());
    constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
    while (end - t > kEpsilon) {
      if ((t + dt) - end > kEpsilon) dt = end - t;
      f(y, k_[0], t);
      for (int tries = 0;; ++tries) {
        // odeint's failed_step_checker: 500 rejections in a row.
        if (tries >= 500) throw std::runtime_error("mean field: the integrator's step vanished");
        if (try_step(f, y, t, dt)) break;
      }
    }
  }

 private:
  // The Butcher tableau (odeint's rk54_ck_coefficients).
  static constexpr std::array<double, 6> kC = {0.0, 1.0 / 5, 3.0 / 10, 3.0 / 5, 1.0, 7.0 / 8};
  static constexpr std::array<std::array<double, 5>, 5> kA = {{
      {1.0 / 5, 0, 0, 0, 0},
      {3.0 / 40, 9.0 / 40, 0, 0, 0},
      {3.0 / 10, -9.0 / 10, 6.0 / 5, 0, 0},
      {-11.0 / 54, 5.0 / 2, -70.0 / 27, 35.0 / 27, 0},
      {1631.0 / 55296, 175.0 / 512, 575.0 / 13824, 44275.0 / 110592, 253.0 / 4096},
  }};
  static constexpr std::array<double, 6> kB = {37.0 / 378, 0.0, 250.0 / 621, 125.0 / 594, 0.0,
                                               512.0 / 1771};
  static constexpr std::array<double, 6> kDB = {
      37.0 / 378 - 2825.0 / 27648, 0.0,  250.0 / 621 - 18575.0 / 48384,
      125.0 / 594 - 13525.0 / 55296, -277.0 / 14336, 512.0 / 1771 - 1.0 / 4};

  void resize(std::size_t n) {
    for (State& k : k_) k.resize(n);
    tmp_.resize(n);
  }

  // One step of dt from (y, t), k_[0] the derivative there: accepted (y, t advance) or not; dt
  // becomes the next step to try.
  template <class F>
  bool try_step(F& f, State& y, double& t, double& dt) {
    const std::size_t n = y.size();
    const double* x = y.data();
    double* tmp = tmp_.data();
    // Stages 2 .. 6: tmp = x + dt sum_j a_ij k_j, summed left to right (odeint's scale_sum).
    for (int s = 1; s < 6; ++s) {
      std::array<double, 5> a{};
      for (int j = 0; j < s; ++j) a[static_cast<std::size_t>(j)] = kA[static_cast<std::size_t>(s - 1)][static_cast<std::size_t>(j)] * dt;
      cash_karp_stage(n, x, tmp, k_, a, s);
      f(tmp_, k_[static_cast<std::size_t>(s)], t + kC[static_cast<std::size_t>(s)] * dt);
    }
    // The solution, its error and the error's norm (odeint's rel_error and norm_inf).
    std::array<double, 6> b{}, db{};
    for (std::size_t i = 0; i < 6; ++i) {
      b[i] = kB[i] * dt;
      db[i] = dt * kDB[i];
    }
    const double slope = std::abs(dt);
    // The scaled errors overwrite k_2 (not needed after the step; a rejected step reuses k_1).
    cash_karp_solution(n, x, tmp, k_, b, db, absolute_, relative_, slope);
    const double error = cash_karp_max(k_[1].data(), n);
    if (error > 1.0) {  // odeint's default_step_adjuster::decrease_step (error order 4)
      dt *= std::max(0.9 * std::pow(error, -1.0 / 3), 0.2);
      return false;
    }
    t += dt;
    if (error < 0.5) {  // increase_step (stepper order 5)
      dt *= 0.9 * std::pow(std::max(std::pow(5.0, -5.0), error), -1.0 / 5);
    }
    std::swap(y, tmp_);
    return true;
  }

  double absolute_, relative_;
  std::array<State, 6> k_;
  State tmp_;
};

}  // namespace flywheel::meanfield
