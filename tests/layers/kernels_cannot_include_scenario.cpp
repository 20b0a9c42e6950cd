// Must not compile: kernels may not see scenario code.
#include "scenario/yaml_tree.hpp"
