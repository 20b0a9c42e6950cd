#!/usr/bin/env bash
# Rewrites the golden outputs checked by tests/test_golden.cpp, and docs/validation.md
# (tools/update-validation.sh). Run it only when a change of results is intended, and say why in
# the commit (the diff of the golden files and of the page is the review).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
flywheel=${FLYWHEEL:-$root/build/flywheel}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Keep these arguments in step with kGoldenArgs in tests/test_golden.cpp.
for name in plg-freemium; do
  "$flywheel" run "$root/scenarios/$name.yaml" --replicates 4 --seed 3 --set simulation.months=12 \
    --set market.people=100000 --set targets=[] --quiet --out "$out/$name" >/dev/null
  cp "$out/$name/timeseries.csv" "$root/tests/golden/$name.timeseries.csv"
done
echo "golden files rewritten in tests/golden/"
# The validation page moves with every change of results too.
FLYWHEEL="$flywheel" "$root/tools/update-validation.sh"
