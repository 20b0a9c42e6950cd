// The twin's integrator: Boost.Odeint's controlled Cash-Karp 5(4) stepper (its error checker
// and step adjuster), driven segment by segment. odeint's integrate_adaptive evaluates the
// derivative at a step's start again after every rejected step; here it is evaluated once per
// step and handed to the stepper (try_step with dxdt), so a rejection costs only the five
// stages it must redo. Unlike integrate_adaptive, a segment starts with the step the controller
// last proposed (segments end at month ends and window shifts, which would otherwise each try a
// whole segment first), and its steps are evened out to end on the segment's end.
#pragma once

#include "sweep_algebra.hpp"

#include <boost/numeric/odeint.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace flywheel::meanfield {

class Integrator {
 public:
  using State = std::vector<double>;

  // The local error of each entry within absolute + relative (max(|entry|, |entry at the
  // step's end|) + dt |derivative|).
  Integrator(double absolute, double relative)
      : stepper_(ErrorChecker(absolute, relative, &ynew_)) {}
  Integrator(const Integrator&) = delete;  // the error checker reads this one's ynew_
  Integrator& operator=(const Integrator&) = delete;

  // Integrates dy/dt = f(y, t) (f(y, dydt, t) writes dydt) from t to `end`. The first step is
  // the last one the controller proposed (the whole interval at first), and steps are evened
  // out so that the last is not a sliver: n equal steps where the proposal needs n.
  template <class F>
  void integrate(F&& f, State& y, double t, double end) {
    namespace odeint = boost::numeric::odeint;
    constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
    dydt_.resize(y.size());
    while (end - t > kEpsilon) {
      const double left = end - t;
      double dt = left;
      if (proposed_ > 0.0 && proposed_ < left) dt = left / std::ceil(left / proposed_ - 1e-9);
      f(y, dydt_, t);
      // odeint's failed_step_checker: 500 rejections in a row end the integration.
      int rejections = 0;
      // The step is taken into ynew_ and swapped in: odeint's in-place try_step copies it.
      ynew_.resize(y.size());
      while (stepper_.try_step(f, y, dydt_, t, ynew_, dt) == odeint::fail) {
        if (++rejections >= 500) {
          throw std::runtime_error("mean field: the integrator's step vanished");
        }
      }
      y.swap(ynew_);
      proposed_ = dt;
    }
  }

 private:
  // odeint's stepper over the twin's vectorised algebra (sweep_algebra.hpp).
  using Stepper = boost::numeric::odeint::runge_kutta_cash_karp54<
      State, double, State, double, SweepAlgebra>;
  // odeint's default error checker (a_x = a_dxdt = 1, as make_controlled sets them) with its
  // two passes over the error estimate in one (sweep_error_max), and an entry's size the larger
  // of its sizes at the step's start and end: a month's flows start at zero, and in month 0
  // with a zero derivative too, which left them to the absolute tolerance alone there (the
  // first step of the month was rejected, then four steps taken where one or two do).
  struct ErrorChecker {
    using value_type = double;
    using algebra_type = SweepAlgebra;
    using operations_type = boost::numeric::odeint::default_operations;
    ErrorChecker(double absolute, double relative, const State* end)
        : absolute(absolute), relative(relative), end(end) {}
    // odeint calls it after the step has been written to *end (try_step with an output).
    template <class In, class Deriv, class Err>
    double error(SweepAlgebra&, const In& x, const Deriv& dxdt, Err& err, double dt) const {
      return sweep_error_max(err.size(), err.data(), x.data(), end->data(), dxdt.data(), absolute,
                             relative, 1.0, 1.0 * std::abs(dt));
    }
    double absolute, relative;
    const State* end;
  };
  using Controlled = boost::numeric::odeint::controlled_runge_kutta<Stepper, ErrorChecker>;
  Controlled stepper_;
  State dydt_;
  State ynew_;  // the step's end
  double proposed_ = 0.0;  // the controller's next step (0: none yet)
};

}  // namespace flywheel::meanfield
