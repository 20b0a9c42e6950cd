#!/bin/bash
# tools/slurm/submit-sweep against stand-in `sbatch` and `squeue` (they record what would be
# submitted), then the array tasks of tools/slurm/sweep.sbatch run as Slurm would run them, from
# another folder, with the submitted environment: task 3 killed once and requeued, task 1 run
# twice; tools/slurm/merge.sbatch before the last task (it must report the missing units) and
# after: the merged results must equal those of one `flywheel sweep` process. Also the bad
# inputs of submit-sweep (exit 2, nothing submitted), --mpi, and the warning of a job stuck
# on its partition. A real Slurm runs the same in tests/slurm/test_real_slurm.sh.
# Usage: test_sweep_sbatch.sh FLYWHEEL SOURCE_DIR
set -euo pipefail
source "$2/tests/slurm/stand_ins.sh"
submit_test submit-sweep "$1" "$2" FLYWHEEL SPEC OUT SHARDS FLYWHEEL_SWEEP_ARGS FLYWHEEL_SLURM_SETUP \
  FLYWHEEL_SLURM_MODULES FLYWHEEL_RESUBMIT SWEEP_JOB_ID FLYWHEEL_MERGE_SBATCH_ARGS \
  FLYWHEEL_SLURM_DIR FLYWHEEL_MERGE_ROUND
# The stand-in squeue answers at once: no need to wait for a task being requeued.
export FLYWHEEL_MERGE_REQUEUE_WAIT=0
unset FLYWHEEL SPEC OUT SHARDS FLYWHEEL_SLURM_SETUP

cat > base.yaml <<'YAML'
name: small
simulation: {months: 6, step: month, replicates: 2, seed: 5}
market:
  people: 2000
  segments:
    - {name: smb, share: 1.0, price_usd_per_seat_month: 10}
acquisition: {innovation_p_per_month: 0.03, imitation_q_per_month: 0.4}
funnel: {signup_per_month: 0.4, activation_per_month: 0.5, adoption_per_month: 0.3}
strategy: {plg: {pql_min_active_users: 1, pql_conversion_per_month: 0.3}}
YAML
cat > spec.yaml <<'YAML'
base: base.yaml
design: {method: sobol, samples: 20}
uncertainties:
  acquisition.imitation_q_per_month: {range: [0.2, 0.6]}
outputs: [arr_usd@6]
YAML
sed 's/imitation_q_per_month: {range/imitation_q: {range/' spec.yaml > bad-spec.yaml
echo 'echo "setup ${SLURM_ARRAY_TASK_ID:-merge}" >> "$STUB_DIR/setup.log"' > setup.sh
cp "$flywheel" bin/flywheel-copy

# Bad input: exit 2, a message that names the problem, nothing submitted.
chmod -x bin/flywheel-copy
expect_refused "SPEC 'missing.yaml': no such file" --flywheel "$flywheel" missing.yaml
expect_refused "not an executable file" --flywheel ../bin/flywheel-copy ../spec.yaml
expect_refused "FLYWHEEL '/nonexistent/flywheel': no such file" --flywheel /nonexistent/flywheel ../spec.yaml
expect_refused "unknown option '--cpus'" --flywheel "$flywheel" --cpus 4 ../spec.yaml
expect_refused "--shards must be a positive integer" --flywheel "$flywheel" --shards 0 ../spec.yaml
expect_refused "--shards needs a value" --flywheel "$flywheel" ../spec.yaml --shards
expect_refused "imitation_q: unknown key" --flywheel "$flywheel" ../bad-spec.yaml
expect_refused "the spec check failed" --flywheel "$flywheel" ../bad-spec.yaml
expect_refused "submit-sweep sets it itself" --flywheel "$flywheel" ../spec.yaml -- --shard 1/2
expect_refused "no such readable file" --flywheel "$flywheel" --setup nothere.sh ../spec.yaml
chmod +x bin/flywheel-copy

# Submission from another folder, with relative paths and options for every sbatch.
(cd elsewhere && "$submit" --flywheel ../bin/flywheel-copy --out ../out --shards 16 \
  --cpus-per-task 1 -p other -A acct --sbatch-args "--qos=low --comment=x" --setup ../setup.sh \
  ../spec.yaml -- --samples 20) > submit.out 2>&1 || { cat submit.out; fail "submit-sweep failed"; }
grep -q "array job 4242" submit.out && grep -q "merge job 4243" submit.out ||
  { cat submit.out; fail "job ids not printed"; }
for opt in --partition=other --account=acct --qos=low --comment=x --export=ALL; do
  grep -qx -- "$opt" jobs/sbatch-1.txt || fail "array: no $opt"
  grep -qx -- "$opt" jobs/sbatch-2.txt || fail "merge: no $opt"
done
grep -qx -- --array=1-16 jobs/sbatch-1.txt || fail "array: not --array=1-16"
grep -qx -- --cpus-per-task=1 jobs/sbatch-1.txt || fail "array: not --cpus-per-task=1"
grep -qx -- "$source_dir/tools/slurm/sweep.sbatch" jobs/sbatch-1.txt || fail "array: not sweep.sbatch"
grep -qx -- --dependency=afterany:4242 jobs/sbatch-2.txt || fail "merge: not after the array"
grep -qx -- "$source_dir/tools/slurm/merge.sbatch" jobs/sbatch-2.txt || fail "merge: not merge.sbatch"
[ -x out.slurm/resubmit.sh ] || fail "no out.slurm/resubmit.sh"

# The array's tasks, as Slurm runs them: in the submitted environment, from another folder.
source jobs/env-1.sh
[ "$FLYWHEEL" = "$work/bin/flywheel-copy" ] && [ "$SPEC" = "$work/spec.yaml" ] &&
  [ "$OUT" = "$work/out" ] && [ "$SHARDS" = 16 ] || fail "paths not absolute: $FLYWHEEL $SPEC $OUT"
export SLURM_ARRAY_JOB_ID=4242 SLURM_CPUS_PER_TASK=1
cd /
for k in $(seq 1 16); do
  if [ "$k" = 3 ]; then  # preempted at once, then requeued by Slurm
    SLURM_ARRAY_TASK_ID=$k SLURM_RESTART_COUNT=0 bash -c 'timeout -s KILL 0.01 bash "$0"; true' \
      "$source_dir/tools/slurm/sweep.sbatch" > /dev/null 2>&1 || true
    SLURM_ARRAY_TASK_ID=$k SLURM_RESTART_COUNT=1 bash "$source_dir/tools/slurm/sweep.sbatch" > /dev/null
  elif [ "$k" = 16 ]; then  # not run yet: the merge must say so
    source "$work/jobs/env-2.sh"
    # Still queued (a requeue seen as an end by afterany): the merge submits itself again.
    echo 4242_16 > "$work/jobs/left"
    bash "$source_dir/tools/slurm/merge.sbatch" > "$work/merge0.out" 2>&1 ||
      { cat "$work/merge0.out"; fail "merge with a task still queued failed"; }
    grep -q "merge submitted again as job 4244" "$work/merge0.out" || { cat "$work/merge0.out"; fail "merge not submitted again"; }
    for opt in --dependency=afterany:4242 --partition=other --account=acct --qos=low --comment=x \
      "$source_dir/tools/slurm/merge.sbatch"; do
      grep -qx -- "$opt" "$work/jobs/sbatch-3.txt" || fail "merge submitted again without $opt"
    done
    rm "$work/jobs/left"
    status=0
    bash "$source_dir/tools/slurm/merge.sbatch" > "$work/merge1.out" 2>&1 || status=$?
    [ "$status" = 2 ] || { cat "$work/merge1.out"; fail "merge with a task missing exited $status"; }
    grep -q "MISSING UNITS" "$work/merge1.out" && grep -q "resubmit\|submit-sweep" "$work/merge1.out" ||
      { cat "$work/merge1.out"; fail "merge did not report the missing units"; }
    SLURM_ARRAY_TASK_ID=$k SLURM_RESTART_COUNT=0 bash "$source_dir/tools/slurm/sweep.sbatch" > /dev/null
  else
    SLURM_ARRAY_TASK_ID=$k SLURM_RESTART_COUNT=0 bash "$source_dir/tools/slurm/sweep.sbatch" > /dev/null
  fi
done
SLURM_ARRAY_TASK_ID=1 SLURM_RESTART_COUNT=1 bash "$source_dir/tools/slurm/sweep.sbatch" > /dev/null
[ "$(grep -c '^setup [0-9]' "$work/jobs/setup.log")" -ge 16 ] || fail "the setup file was not sourced by every task"
source "$work/jobs/env-2.sh"
bash "$source_dir/tools/slurm/merge.sbatch" > "$work/merge2.out" 2>&1 || { cat "$work/merge2.out"; fail "merge failed"; }
cd "$work"

"$flywheel" sweep spec.yaml --out single --quiet --samples 20 > /dev/null
cmp out/results.csv single/results.csv
echo "submit-sweep: sbatch array of 16 shards (one requeued, one run twice) merged == one process"

# --mpi: one job, ranks and CPUs as asked, no --nodes unless asked; a stuck job is reported.
rm -f jobs/*
echo PartitionConfig > jobs/reason
"$submit" --flywheel "$flywheel" --mpi --ntasks 3 --out out-mpi spec.yaml > mpi.out 2>&1 ||
  { cat mpi.out; fail "submit-sweep --mpi failed"; }
[ "$(ls jobs/sbatch-*.txt | wc -l)" = 1 ] || fail "--mpi submitted more than one job"
grep -qx -- --ntasks=3 jobs/sbatch-1.txt || fail "--mpi: not --ntasks=3"
grep -q -- --nodes jobs/sbatch-1.txt && fail "--mpi: --nodes without being asked"
grep -qx -- "$source_dir/tools/slurm/sweep-mpi.sbatch" jobs/sbatch-1.txt || fail "--mpi: not sweep-mpi.sbatch"
grep -q "will never start on this partition" mpi.out || { cat mpi.out; fail "no warning for PartitionConfig"; }
echo "submit-sweep: --mpi, bad inputs and the PartitionConfig warning as expected"
