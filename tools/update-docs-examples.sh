#!/usr/bin/env bash
# Reruns every example command shown in README.md and docs/*.md (blocks after an
# `<!-- example: NAME -->` marker) with the built binary and rewrites its output in place.
# Usage: tools/update-docs-examples.sh [--fast] [BINARY]   (default binary: build/flywheel)
# --fast leaves the slow examples (the full sweep and sensitivity runs, minutes) as they are.
# tools/docs_examples.py describes the format; ctest's docs_examples checks the blocks.
set -euo pipefail
cd "$(dirname "$0")/.."
fast=()
if [[ ${1:-} == --fast ]]; then fast=(--fast); shift; fi
exec /usr/bin/python3 tools/docs_examples.py update "${1:-build/flywheel}" . "${fast[@]}"
