// Must not compile: the model layer may not see the scenario loader; it reads the typed spec.
#include <flywheel/scenario/loader.hpp>
