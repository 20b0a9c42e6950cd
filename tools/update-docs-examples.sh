#!/usr/bin/env bash
# Reruns the example commands shown in README.md and docs/*.md (blocks after an
# `<!-- example: NAME -->` marker) with the built binary and rewrites their output in place.
# Usage: tools/update-docs-examples.sh [--fast] [--only NAME,...] [BINARY]
#   (default binary: build/flywheel). --fast leaves the slow examples (the full sweep and
#   sensitivity runs, minutes) as they are; --only reruns the named examples alone.
# tools/docs_examples.py describes the format; ctest's docs_examples checks the blocks.
set -euo pipefail
cd "$(dirname "$0")/.."
options=()
while [[ ${1:-} == --* ]]; do
  if [[ $1 == --only ]]; then options+=("$1" "$2"); shift 2; else options+=("$1"); shift; fi
done
exec /usr/bin/python3 tools/docs_examples.py update "${1:-build/flywheel}" . "${options[@]}"
