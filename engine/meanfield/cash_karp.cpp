// The Cash-Karp steps' sweeps over the twin's state (cash_karp.hpp).
#include "cash_karp.hpp"

#include "lanes.hpp"

namespace flywheel::meanfield {

FLYWHEEL_SWEEP void cash_karp_stage(std::size_t n, const double* __restrict x,
                                    double* __restrict tmp,
                                    const std::array<std::vector<double>, 6>& k,
                                    const std::array<double, 5>& a, int s) {
  const double* __restrict k1 = k[0].data();
  const double* __restrict k2 = k[1].data();
  const double* __restrict k3 = k[2].data();
  const double* __restrict k4 = k[3].data();
  const double* __restrict k5 = k[4].data();
  switch (s) {
    case 1:
      for (std::size_t i = 0; i < n; ++i) tmp[i] = x[i] + a[0] * k1[i];
      break;
    case 2:
      for (std::size_t i = 0; i < n; ++i) tmp[i] = x[i] + a[0] * k1[i] + a[1] * k2[i];
      break;
    case 3:
      for (std::size_t i = 0; i < n; ++i) {
        tmp[i] = x[i] + a[0] * k1[i] + a[1] * k2[i] + a[2] * k3[i];
      }
      break;
    case 4:
      for (std::size_t i = 0; i < n; ++i) {
        tmp[i] = x[i] + a[0] * k1[i] + a[1] * k2[i] + a[2] * k3[i] + a[3] * k4[i];
      }
      break;
    default:
      for (std::size_t i = 0; i < n; ++i) {
        tmp[i] = x[i] + a[0] * k1[i] + a[1] * k2[i] + a[2] * k3[i] + a[3] * k4[i] +
                 a[4] * k5[i];
      }
      break;
  }
}

FLYWHEEL_SWEEP void cash_karp_solution(std::size_t n, const double* __restrict x,
                                       double* __restrict tmp,
                                       std::array<std::vector<double>, 6>& k,
                                       const std::array<double, 6>& b,
                                       const std::array<double, 6>& db, double absolute,
                                       double relative, double slope) {
  const double* __restrict k1 = k[0].data();
  double* __restrict k2 = k[1].data();
  const double* __restrict k3 = k[2].data();
  const double* __restrict k4 = k[3].data();
  const double* __restrict k5 = k[4].data();
  const double* __restrict k6 = k[5].data();
  for (std::size_t i = 0; i < n; ++i) {
    tmp[i] = x[i] + b[0] * k1[i] + b[1] * k2[i] + b[2] * k3[i] + b[3] * k4[i] + b[4] * k5[i] +
             b[5] * k6[i];
    const double e = db[0] * k1[i] + db[1] * k2[i] + db[2] * k3[i] + db[3] * k4[i] +
                     db[4] * k5[i] + db[5] * k6[i];
    k2[i] = std::abs(e) / (absolute + relative * (std::abs(x[i]) + slope * std::abs(k1[i])));
  }
}

// Four partial maxima: the same number as one running maximum (odeint's norm_inf).
FLYWHEEL_SWEEP double cash_karp_max(const double* x, std::size_t n) {
  std::array<double, 4> m{};
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    for (std::size_t j = 0; j < 4; ++j) m[j] = std::max(m[j], x[i + j]);
  }
  for (; i < n; ++i) m[0] = std::max(m[0], x[i]);
  return std::max(std::max(m[0], m[1]), std::max(m[2], m[3]));
}

}  // namespace flywheel::meanfield
