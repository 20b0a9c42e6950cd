// Accounts by size class: the twin follows each segment's accounts in classes of equal size
// (docs/mean_field.md "Accounts by size class"). Sizes up to kExactSizes are classes of their
// own; larger ones are grouped in bins 25% wide, each represented by its accounts' mean size.
#pragma once

#include <flywheel/spec/scenario.hpp>

#include <vector>

namespace flywheel::meanfield {

inline constexpr int kExactSizes = 16;

struct SizeClass {
  int segment = 0;
  int size = 1;           // people per account (the bin's mean size, rounded)
  double accounts = 0.0;  // expected accounts of the real market in the class
};

// The probability of each account size 1..max_people, as the population draws it.
std::vector<double> account_size_pmf(const AccountSize& size);

// Every segment's classes, in segment order; classes with a negligible share are dropped and
// their people given to their neighbours, so that each segment keeps its people exactly.
std::vector<SizeClass> size_classes(const Scenario& scenario);

}  // namespace flywheel::meanfield
