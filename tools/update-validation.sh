#!/usr/bin/env bash
# Rewrites docs/validation.md: every shipped scenario against the public range of its kind of
# company (docs/validation/public-ranges.yaml), 40 replicates each. Every change of results (the
# model or a scenario) moves it: run this and commit the page with the change, saying why in the
# commit. ctest's validation_table fails when the page is stale or a row is OUT.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
flywheel=${FLYWHEEL:-$root/build/flywheel}
cd "$root"
# Keep these arguments in step with validation_table in CMakeLists.txt (the default replicates)
# and kReplicates in tests/test_validation.cpp.
"$flywheel" ranges --replicates 40 --markdown docs/validation.md --quiet >/dev/null
echo "docs/validation.md rewritten"
