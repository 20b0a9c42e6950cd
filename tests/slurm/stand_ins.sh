# Sourced by the Slurm tests (test_sweep_sbatch.sh, test_calibrate_sbatch.sh, test_real_slurm.sh).

fail() { echo "FAIL: $*" >&2; exit 1; }

# submit_test SUBMIT FLYWHEEL SOURCE_DIR VAR...: the start of a test of SUBMIT (submit-sweep or
# submit-calibrate, in tools/slurm) against the stand-ins. Sets flywheel, source_dir, submit (the
# script's path) and work, a temporary folder removed on exit that becomes the current folder,
# with an empty elsewhere/ to submit from and the stand-ins recording the named variables
# (stand_in_slurm).
submit_test() {
  submit=$3/tools/slurm/$1
  flywheel=$2
  source_dir=$3
  shift 3
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cd "$work"
  mkdir elsewhere
  stand_in_slurm "$@"
}

# expect_refused PATTERN ARGS...: $submit ARGS, run from elsewhere/, exits 2 with a message
# matching PATTERN and submits nothing.
expect_refused() {
  local pattern=$1 status=0 name=${submit##*/}
  shift
  (cd elsewhere && "$submit" "$@") > refused.out 2>&1 || status=$?
  [ "$status" = 2 ] || { cat refused.out; fail "$name $* exited $status, not 2"; }
  grep -q -- "$pattern" refused.out || { cat refused.out; fail "$name $*: no '$pattern'"; }
  [ -z "$(ls jobs)" ] || fail "$name $* submitted a job"
}

# stand_in_slurm VAR...: in the current folder, bin/sbatch and bin/squeue that stand in for
# Slurm's, first on PATH. sbatch records each submission's options in $STUB_DIR/sbatch-N.txt and
# the named variables of its environment in $STUB_DIR/env-N.sh, and prints job id 4241 + N as
# --parsable does; squeue prints $STUB_DIR/left (the array tasks still queued) when asked for
# task ids (%i), else $STUB_DIR/reason (default Resources), a pending job's reason.
stand_in_slurm() {
  mkdir -p bin jobs
  cat > bin/sbatch <<STUB
#!/bin/bash
n=\$(( \$(ls "\$STUB_DIR"/sbatch-*.txt 2>/dev/null | wc -l) + 1 ))
printf '%s\n' "\$@" > "\$STUB_DIR/sbatch-\$n.txt"
declare -p $* > "\$STUB_DIR/env-\$n.sh" 2>/dev/null || true
echo "\$((4241 + n));cluster"
STUB
  cat > bin/squeue <<'STUB'
#!/bin/bash
case "$*" in
  *%i*) cat "$STUB_DIR/left" 2>/dev/null || true ;;
  *) cat "$STUB_DIR/reason" 2>/dev/null || echo Resources ;;
esac
STUB
  chmod +x bin/sbatch bin/squeue
  export PATH=$PWD/bin:$PATH STUB_DIR=$PWD/jobs
}

# tiny_calibration SOURCE_DIR FLYWHEEL SPEC PARTICLES GENERATIONS: in the current folder, the tiny
# market of the calibration tests (tiny.yaml), data from its mean-field twin at known values
# (data.csv: signups and paying accounts, months 1-12) and a two-parameter spec named SPEC.
tiny_calibration() {
  local source_dir=$1 flywheel=$2 spec=$3 particles=$4 generations=$5
  cp "$source_dir/tests/data/calibrate-tiny.yaml" tiny.yaml
  "$flywheel" expect tiny.yaml --out truth --quiet --set funnel.signup_per_month=0.3 \
    --set strategy.plg.pql_conversion_per_month=0.2 > /dev/null
  awk -F, 'NR == 1 || (($2 == "signups" || $2 == "accounts_paying") && $1 <= 12)' \
    truth/expected.csv > data.csv
  cat > "$spec" <<YAML
base: tiny.yaml
data: data.csv
engine: mean_field
seed: 3
parameters:
  funnel.signup_per_month: {uniform: [0.1, 0.6]}
  strategy.plg.pql_conversion_per_month: {log_uniform: [0.05, 0.5]}
budget: {particles: $particles, generations: $generations}
forecast: {draws: 10}
YAML
}
