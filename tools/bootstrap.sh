#!/usr/bin/env bash
# Installs flywheel's dependencies (Debian 12 packages), builds it, and then
#   tools/bootstrap.sh run    runs the shipped PLG scenario and prints its table
#   tools/bootstrap.sh test   runs the whole test suite, then again under ASan + UBSan (what CI runs)
#   tools/bootstrap.sh asan   only the sanitizer suite (CMakePresets.json `asan-ubsan`, build-asan/)
#   tools/bootstrap.sh build  only installs and builds
# Idempotent: packages already installed are not fetched again; the build is incremental.
# Environment: BUILD_DIR (default build), JOBS (default: number of cores).
# Each step prints its wall time (`bootstrap: build took 3m12s`) and `test` ends with a summary,
# so a CI log shows where the time went.
set -euo pipefail

mode=${1:-build}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
jobs=${JOBS:-$(nproc)}

packages=(
  cmake ninja-build g++ pkg-config
  libyaml-cpp-dev libtbb-dev libeigen3-dev libboost-dev librandom123-dev
  libcli11-dev libfmt-dev nlohmann-json3-dev catch2
  libnlopt-cxx-dev  # flywheel optimize
  openmpi-bin libopenmpi-dev openssh-client
  python3-dev pybind11-dev python3-pybind11 python3-pandas python3-numpy python3-pytest
  libcpp-httplib-dev  # the web server of `flywheel serve`
  chromium python3-pil  # the browser tests of report.html and the playground (label `browser`)
  nodejs  # the playground's browser test drives chromium with puppeteer-core (npm ci)
  # the notebooks, executed by ctest (label `notebooks`) as CI does
  jupyter-nbconvert python3-nbconvert python3-nbformat python3-ipykernel python3-matplotlib
)

install_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "bootstrap: installing ${missing[*]}" >&2
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "bootstrap: run as root or install sudo" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# step NAME COMMAND...: runs the command and prints how long it took (wall time).
step_times=()
step() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  local took=$((SECONDS - start))
  step_times+=("$(printf '%-12s %dm%02ds' "$name" $((took / 60)) $((took % 60)))")
  echo "bootstrap: $name took $((took / 60))m$(printf '%02d' $((took % 60)))s" >&2
}

print_step_times() {
  echo "bootstrap: wall time per step" >&2
  printf '  %s\n' "${step_times[@]}" >&2
  printf '  %-12s %dm%02ds\n' total $((SECONDS / 60)) $((SECONDS % 60)) >&2
}

# build [TARGET...]: configures once, then builds the targets (default: all).
build() {
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  if [ $# -eq 0 ]; then
    cmake --build "$build_dir" -j "$jobs"
  else
    cmake --build "$build_dir" -j "$jobs" --target "$@"
  fi
}

# Tests write many small output folders (fsync'd, renamed) under the temp folder: ctest gets a
# private TMPDIR in memory (/dev/shm) when there is one that can run programs, removed at exit.
memory_tmpdir() {
  [ -d /dev/shm ] && [ -w /dev/shm ] || return 0
  local dir
  dir=$(mktemp -d /dev/shm/flywheel-ctest.XXXXXX) || return 0
  printf '#!/bin/sh\n' > "$dir/probe" && chmod +x "$dir/probe"
  if ! "$dir/probe" 2>/dev/null; then  # mounted noexec: the Slurm test runs a stub from TMPDIR
    rm -rf "$dir"
    return 0
  fi
  rm -f "$dir/probe"
  export TMPDIR=$dir
  trap 'rm -rf "$TMPDIR"' EXIT
}

# The whole C++ suite built with g++ -fsanitize=address,undefined (CMakePresets.json); any report
# fails the test that triggered it. What it leaves out is in the preset and docs/contributing.md#sanitizers.
sanitizer_suite() {
  step "asan build" sanitizer_build
  step "asan ctest" sanitizer_ctest
}
sanitizer_build() {
  # presets are read from the current folder
  (cd "$root" && cmake --preset asan-ubsan >/dev/null && cmake --build --preset asan-ubsan -j "$jobs")
}
sanitizer_ctest() {
  (cd "$root" && ctest --preset asan-ubsan -j "$jobs")
}

# The playground's browser test (tests/browser/serve/) drives Debian's chromium with the npm
# package puppeteer-core, pinned by its package-lock.json; `npm ci` never downloads a browser.
node_packages() {
  local dir=$root/tests/browser/serve
  [ -d "$dir/node_modules/puppeteer-core" ] && return 0
  # Debian's nodejs comes without npm (package npm); NodeSource's nodejs includes it, and
  # conflicts with Debian's npm, so npm is installed only when missing.
  if ! command -v npm >/dev/null; then
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
      npm >/dev/null || { echo "bootstrap: npm missing; the playground browser test will skip" >&2; return 0; }
  fi
  (cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
}

# Debian's slurm-wlm and munge for the real-Slurm test (tests/slurm/test_real_slurm.sh, label
# heavy), test mode only. Their packages install daemons: tools/slurm/install-slurm-packages.sh
# keeps them from starting (policy-rc.d); the test starts its own cluster and stops it. Without
# root the test skips.
slurm_packages() {
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null && return 0
  [ "$(id -u)" -eq 0 ] || { echo "bootstrap: not root: the real-Slurm test will skip" >&2; return 0; }
  echo "bootstrap: installing slurm-wlm munge (services not started)" >&2
  bash "$root/tools/slurm/install-slurm-packages.sh" >/dev/null ||
    echo "bootstrap: slurm-wlm munge not installed; the real-Slurm test will skip" >&2
}

case "$mode" in
  build)
    install_packages
    node_packages
    build
    ;;
  run)
    install_packages
    build flywheel
    "$build_dir/flywheel" run "$root/scenarios/plg-freemium.yaml" --out "$root/out/plg-freemium" --force
    ;;
  test)
    step install install_packages
    step slurm slurm_packages
    step npm node_packages
    step build build
    memory_tmpdir
    step ctest ctest --test-dir "$build_dir" --output-on-failure -j "$jobs"
    sanitizer_suite
    print_step_times
    ;;
  asan)
    step install install_packages
    memory_tmpdir
    sanitizer_suite
    print_step_times
    ;;
  *)
    echo "usage: tools/bootstrap.sh [build|run|test|asan]" >&2
    exit 2
    ;;
esac
