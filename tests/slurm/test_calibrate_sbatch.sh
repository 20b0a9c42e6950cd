#!/bin/bash
# tools/slurm/submit-calibrate against stand-in `sbatch` and `squeue` (they record what would be
# submitted), then every job it and its fold jobs submit run as Slurm would run them, in the
# submitted environment from another folder, round after round until the calibration stops:
# - round 2: shard task 2 killed at once and requeued;
# - round 3: the fold starts while task 3 is still queued (it must submit itself again after the
#   array), then before task 3 has run (it must exit 4 naming the missing shard and how to go
#   on), then after;
# the outputs must equal those of one `flywheel calibrate` process. Also the bad inputs of
# submit-calibrate (exit 2, nothing submitted) and the options every job of every round gets.
# Usage: test_calibrate_sbatch.sh FLYWHEEL SOURCE_DIR
set -euo pipefail
source "$2/tests/slurm/stand_ins.sh"
submit_test submit-calibrate "$1" "$2" FLYWHEEL SPEC OUT SHARDS FLYWHEEL_SLURM_DIR FLYWHEEL_SLURM_SETUP \
  FLYWHEEL_SLURM_MODULES FLYWHEEL_RESUBMIT CALIBRATE_JOB_ID FLYWHEEL_SHARD_SBATCH_ARGS \
  FLYWHEEL_FOLD_SBATCH_ARGS FLYWHEEL_CALIBRATE_ROUND FLYWHEEL_FOLD_RETRY
export FLYWHEEL_FOLD_REQUEUE_WAIT=0  # the stand-in squeue answers at once
unset FLYWHEEL SPEC OUT SHARDS FLYWHEEL_SLURM_SETUP FLYWHEEL_SLURM_DIR CALIBRATE_JOB_ID

# The tiny market of the calibration tests; data from its mean-field twin at known values.
tiny_calibration "$source_dir" "$flywheel" spec.yaml 15 3
sed 's/uniform: \[0.1, 0.6\]/uniform: [0.6, 0.1]/' spec.yaml > bad-spec.yaml
echo 'echo "setup ${SLURM_ARRAY_TASK_ID:-fold}" >> "$STUB_DIR/setup.log"' > setup.sh

# Bad input: exit 2, a message that names the problem, nothing submitted.
expect_refused "SPEC 'missing.yaml': no such file" --flywheel "$flywheel" missing.yaml
expect_refused "unknown option '--mpi'" --flywheel "$flywheel" --mpi ../spec.yaml
expect_refused "--shards must be a positive integer" --flywheel "$flywheel" --shards 0 ../spec.yaml
expect_refused "--fold-time needs a value" --flywheel "$flywheel" ../spec.yaml --fold-time
expect_refused "the spec check failed" --flywheel "$flywheel" ../bad-spec.yaml
expect_refused "is empty; expected lo < hi" --flywheel "$flywheel" ../bad-spec.yaml
expect_refused "--shards 16 is more than the 15 particles" --flywheel "$flywheel" --shards 16 ../spec.yaml
expect_refused "no such readable file" --flywheel "$flywheel" --setup nothere.sh ../spec.yaml
mkdir -p other/generations && touch other/generations/gen-0002.shard-1-of-4.json
expect_refused "holds shard files of 4 shards" --flywheel "$flywheel" --out ../other --shards 3 ../spec.yaml
(cd elsewhere && "$submit" --help) > help.out
grep -q -- "--fold-time" help.out && grep -q -- "--sbatch-args" help.out || fail "--help does not list its options"

# Submission from another folder, with relative paths and options for every sbatch.
(cd elsewhere && "$submit" --flywheel "$flywheel" --out ../out --shards 3 --cpus-per-task 1 \
  -p other -A acct --sbatch-args "--qos=low --comment=x" --setup ../setup.sh ../spec.yaml) \
  > submit.out 2>&1 || { cat submit.out; fail "submit-calibrate failed"; }
grep -q "array job 4242" submit.out && grep -q "fold job 4243" submit.out ||
  { cat submit.out; fail "job ids not printed"; }
[ -x out.slurm/resubmit.sh ] || fail "no out.slurm/resubmit.sh"

# check_job N KIND: submission N is a shard array (of 3 tasks) or a fold after the array before it.
check_job() {
  local n=$1 kind=$2 f=jobs/sbatch-$1.txt opt
  for opt in --partition=other --account=acct --qos=low --comment=x --export=ALL; do
    grep -qx -- "$opt" "$f" || fail "submission $n ($kind): no $opt"
  done
  if [ "$kind" = array ]; then
    grep -qx -- --array=1-3 "$f" && grep -qx -- --cpus-per-task=1 "$f" &&
      grep -qx -- "$source_dir/tools/slurm/calibrate-shard.sbatch" "$f" ||
      { cat "$f"; fail "submission $n is not the array of 3 shards"; }
  else
    grep -qx -- "--dependency=afterany:$((4241 + n - 1))" "$f" &&
      grep -qx -- "$source_dir/tools/slurm/calibrate-fold.sbatch" "$f" ||
      { cat "$f"; fail "submission $n is not a fold after the array before it"; }
  fi
}
# run_tasks N [K...]: runs tasks K (default all) of the array of submission N, as Slurm would.
run_tasks() {
  local n=$1 k tasks
  shift
  tasks=("$@")
  [ ${#tasks[@]} -gt 0 ] || tasks=(1 2 3)
  for k in "${tasks[@]}"; do
    (source "$work/jobs/env-$n.sh" && cd / &&
      SLURM_ARRAY_JOB_ID=$((4241 + n)) SLURM_ARRAY_TASK_ID=$k SLURM_CPUS_PER_TASK=1 \
        SLURM_RESTART_COUNT=0 bash "$source_dir/tools/slurm/calibrate-shard.sbatch") \
      >> "$work/tasks.log" 2>&1 || { tail "$work/tasks.log"; fail "task $k of submission $n failed"; }
  done
}
# run_fold N: runs the fold job of submission N; its exit code in `status`, output in fold-N.out.
run_fold() {
  status=0
  (source "$work/jobs/env-$1.sh" && cd / && SLURM_JOB_ID=$((4241 + $1)) SLURM_CPUS_PER_TASK=1 \
    bash "$source_dir/tools/slurm/calibrate-fold.sbatch") > "$work/fold-$1.out" 2>&1 || status=$?
}

check_job 1 array
check_job 2 fold
source jobs/env-1.sh
[ "$FLYWHEEL" = "$flywheel" ] && [ "$SPEC" = "$work/spec.yaml" ] && [ "$OUT" = "$work/out" ] &&
  [ "$SHARDS" = 3 ] && [ "$FLYWHEEL_SLURM_DIR" = "$source_dir/tools/slurm" ] ||
  fail "paths not absolute: $FLYWHEEL $SPEC $OUT $SHARDS $FLYWHEEL_SLURM_DIR"
unset FLYWHEEL SPEC OUT SHARDS FLYWHEEL_SLURM_DIR FLYWHEEL_SLURM_SETUP FLYWHEEL_SLURM_MODULES \
  FLYWHEEL_RESUBMIT CALIBRATE_JOB_ID FLYWHEEL_SHARD_SBATCH_ARGS FLYWHEEL_FOLD_SBATCH_ARGS \
  FLYWHEEL_CALIBRATE_ROUND FLYWHEEL_FOLD_RETRY

# Round 1 (generation 0): the array, then its fold, which submits round 2 (submissions 3, 4).
run_tasks 1
run_fold 2
[ "$status" = 0 ] || { cat fold-2.out; fail "fold of round 1 exited $status"; }
grep -q "round 2: array job 4244 (3 shards), fold job 4245" fold-2.out || { cat fold-2.out; fail "round 2 not submitted"; }
check_job 3 array
check_job 4 fold
# Round 2: task 2 killed at once, then requeued.
(source jobs/env-3.sh && cd / && SLURM_ARRAY_JOB_ID=4244 SLURM_ARRAY_TASK_ID=2 SLURM_CPUS_PER_TASK=1 \
  bash -c 'timeout -s KILL 0.01 bash "$0"; true' "$source_dir/tools/slurm/calibrate-shard.sbatch") \
  > /dev/null 2>&1 || true
run_tasks 3
run_fold 4
[ "$status" = 0 ] || { cat fold-4.out; fail "fold of round 2 exited $status"; }
check_job 5 array
check_job 6 fold
# Round 3: the fold starts while task 3 is still queued: it submits itself again (7).
run_tasks 5 1 2
echo 4246_3 > jobs/left
run_fold 6
[ "$status" = 0 ] && grep -q "fold submitted again as job 4248" fold-6.out ||
  { cat fold-6.out; fail "a fold with a task still queued did not submit itself again"; }
grep -qx -- --dependency=afterany:4246 jobs/sbatch-7.txt || fail "the fold submitted again is not after array 4246"
rm jobs/left
# ... then before task 3 has run (a task that failed): exit 4, the missing file named.
run_fold 7
[ "$status" = 4 ] || { cat fold-7.out; fail "a fold with a shard missing exited $status, not 4"; }
grep -q "gen-0002.shard-3-of-3.json" fold-7.out && grep -q "MISSING SHARDS" fold-7.out &&
  grep -q "submit-calibrate" fold-7.out || { cat fold-7.out; fail "the missing shard not reported"; }
[ ! -e jobs/sbatch-8.txt ] || fail "a fold with a shard missing submitted the next round"
run_tasks 5 3
run_fold 7
[ "$status" = 0 ] || { cat fold-7.out; fail "fold of round 3 exited $status"; }
check_job 8 array
check_job 9 fold
# Round 4 (generation 3, the last): the fold writes the outputs and submits nothing more.
run_tasks 8
run_fold 9
[ "$status" = 0 ] && grep -q "^finished: 4 generations" fold-9.out && grep -q "done after 4 rounds" fold-9.out ||
  { cat fold-9.out; fail "the last fold did not finish the calibration"; }
[ ! -e jobs/sbatch-10.txt ] || fail "the last fold submitted another round"
[ "$(grep -c '^setup [0-9]' jobs/setup.log)" -ge 12 ] && grep -q '^setup fold' jobs/setup.log ||
  fail "the setup file was not sourced by every job"

"$flywheel" calibrate "$work/spec.yaml" --out single --quiet > /dev/null
for f in posterior.csv generations.csv posterior_sample.csv calibrated.yaml forecast.csv calibration.json; do
  cmp "out/$f" "single/$f" || fail "$f of the Slurm rounds differs from one process's"
done
[ -z "$(find out/generations -name '*.shard-*')" ] || fail "shard files left behind"
echo "submit-calibrate: 4 rounds of 3 shards (one killed and requeued, one fold early, one fold with a shard missing) == one process"

# A resubmission of the finished calibration: its shards have nothing to do, its fold finishes.
rm -f jobs/*
bash out.slurm/resubmit.sh > resubmit.out 2>&1 || { cat resubmit.out; fail "resubmit.sh failed"; }
run_tasks 1
grep -q "finished: the calibration stopped by generations" tasks.log || fail "a shard of a finished calibration computed"
run_fold 2
[ "$status" = 0 ] && grep -q "^finished: " fold-2.out && [ ! -e jobs/sbatch-3.txt ] ||
  { cat fold-2.out; fail "the fold of a finished calibration"; }
cmp out/posterior.csv single/posterior.csv || fail "resubmitting changed posterior.csv"
echo "submit-calibrate: bad inputs refused, a finished calibration resubmitted stays finished"
