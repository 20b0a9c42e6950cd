// Must not compile: the model layer may not see the report layer (CMakeLists.txt, layers).
#include <flywheel/report/report.hpp>
