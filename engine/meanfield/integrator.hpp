// The twin's integrator: Boost.Odeint's controlled Cash-Karp 5(4) stepper (its error checker
// and step adjuster), driven segment by segment. odeint's integrate_adaptive evaluates the
// derivative at a step's start again after every rejected step; here it is evaluated once per
// step and handed to the stepper (try_step with dxdt), so a rejection costs only the five
// stages it must redo. The steps taken, and so the numbers, are integrate_adaptive's.
#pragma once

#include "sweep_algebra.hpp"

#include <boost/numeric/odeint.hpp>

#include <limits>
#include <stdexcept>
#include <vector>

namespace flywheel::meanfield {

class Integrator {
 public:
  using State = std::vector<double>;

  // The local error of each entry within absolute + relative (|entry| + dt |derivative|).
  Integrator(double absolute, double relative)
      : stepper_(boost::numeric::odeint::make_controlled<Stepper>(absolute, relative)) {}

  // Integrates dy/dt = f(y, t) (f(y, dydt, t) writes dydt) from t to `end`, the first step
  // `dt` (shortened to end at `end`).
  template <class F>
  void integrate(F&& f, State& y, double t, double end, double dt) {
    namespace odeint = boost::numeric::odeint;
    constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
    dydt_.resize(y.size());
    while (end - t > kEpsilon) {
      if ((t + dt) - end > kEpsilon) dt = end - t;
      f(y, dydt_, t);
      // odeint's failed_step_checker: 500 rejections in a row end the integration.
      int rejections = 0;
      while (stepper_.try_step(f, y, dydt_, t, dt) == odeint::fail) {
        if (++rejections >= 500) {
          throw std::runtime_error("mean field: the integrator's step vanished");
        }
      }
    }
  }

 private:
  // odeint's stepper over the twin's vectorised algebra (sweep_algebra.hpp).
  using Stepper = boost::numeric::odeint::runge_kutta_cash_karp54<
      State, double, State, double, SweepAlgebra>;
  using Controlled = boost::numeric::odeint::result_of::make_controlled<Stepper>::type;
  Controlled stepper_;
  State dydt_;
};

}  // namespace flywheel::meanfield
