// Must compile: the control case, an include the model layer is declared to have.
#include "kernels/byte_scan.hpp"
#include <flywheel/spec/scenario.hpp>
