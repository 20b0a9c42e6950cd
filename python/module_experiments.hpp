// The experiment functions of `flywheel._flywheel` (module_experiments.cpp).
#pragma once

#include <pybind11/pybind11.h>

void bind_experiments(pybind11::module_& m);
