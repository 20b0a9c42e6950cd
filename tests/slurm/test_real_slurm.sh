#!/bin/bash
# tools/slurm/submit-sweep on a real Slurm (Debian's slurm-wlm and munge): a single-host cluster
# started by hand in a temporary folder (tests/slurm/local_cluster.sh: own munge key and socket,
# own ports, partitions `main`, the default, and `other`, one node of 2 CPUs).
# - A 4-shard sweep into partition `other` while `main` is DOWN: the array and the merge must
#   both run in `other` (an sbatch that dropped -p would wait on `main` forever).
# - Array task 1 is requeued (`scontrol requeue`) while it runs (a setup hook holds its first
#   attempt): the merge must still run, and results.csv equal one `flywheel sweep` process.
# - More CPUs per task than the node has: submit-sweep must say so (sbatch's refusal, or the
#   warning on the pending reason), and no job may wait silently.
# - With mpirun: the same sweep as one MPI job (--mpi --ntasks 2), results.csv compared too.
# - tools/slurm/submit-calibrate: a small calibration as rounds of 2-shard arrays, each fold job
#   submitting the next round from inside Slurm; the outputs must equal one process's.
# Exits 77 (skipped) when the Slurm packages are missing and cannot be installed (not root, no
# apt-get, no network), with the reason.
# Usage: test_real_slurm.sh FLYWHEEL SOURCE_DIR
set -euo pipefail
flywheel=$1
source_dir=$2
submit=$source_dir/tools/slurm/submit-sweep
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
started=$SECONDS

have_slurm() {
  command -v slurmctld && command -v slurmd && command -v munged && command -v sbatch
} >/dev/null 2>&1
if ! have_slurm; then
  [ "$(id -u)" = 0 ] || skip "slurm-wlm and munge are not installed, and installing them needs root"
  command -v apt-get >/dev/null || skip "slurm-wlm and munge are not installed, and there is no apt-get"
  echo "installing slurm-wlm munge (their services are not started: policy-rc.d)"
  bash "$source_dir/tools/slurm/install-slurm-packages.sh" >/dev/null 2>&1 ||
    skip "slurm-wlm and munge are not installed, and apt-get could not install them"
  have_slurm || skip "slurm-wlm and munge installed, but slurmctld, slurmd, munged or sbatch is missing"
fi
[ "$(id -u)" = 0 ] || skip "the test cluster's daemons run as root (SlurmUser=root)"

work=$(mktemp -d)
source "$source_dir/tests/slurm/local_cluster.sh"
cleanup() {
  if [ -n "${SLURM_CONF:-}" ]; then  # only this cluster's jobs: their steps outlive slurmd
    scancel --quiet --user=root >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do [ -z "$(squeue -h -t all -o %T 2>/dev/null | grep -vE 'COMPLETED|CANCELLED|FAILED|TIMEOUT')" ] && break; sleep 0.5; done
  fi
  cluster_stop
  rm -rf "$work"
}
trap cleanup EXIT
unset FLYWHEEL SPEC OUT SHARDS FLYWHEEL_SLURM_SETUP SLURM_JOB_ID SLURM_ARRAY_JOB_ID
cluster_start "$work/cluster" || fail "the test cluster did not start (logs above)"
echo "cluster up in $((SECONDS - started)) s: $(sinfo -h -o '%P %a %t' | tr '\n' ' ')"

cd "$work"
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
"$flywheel" sweep spec.yaml --out single --quiet > /dev/null
# The site hook: holds the first attempt of task 1 until the test requeues it.
cat > site-setup.sh <<HOOK
if [ "\${SLURM_ARRAY_TASK_ID:-}" = 1 ] && [ "\${SLURM_RESTART_COUNT:-0}" = 0 ] &&
  [ ! -e "$work/task1-attempt0" ]; then
  touch "$work/task1-attempt0"
  sleep 300
fi
HOOK

# job_state ID: the state of a job (of every task of an array, one per line).
job_state() {
  { scontrol show job -o "$1" 2>/dev/null || true; } | { grep -o 'JobState=[A-Z_]*' || true; } | cut -d= -f2
}
# wait_ended ID SECONDS: until no task of the job is pending, running or being requeued.
wait_ended() {
  local id=$1 limit=$2 t0=$SECONDS states
  while true; do
    states=$(job_state "$id")
    if [ -n "$states" ] && ! grep -qE 'PENDING|RUNNING|CONFIGURING|COMPLETING|REQUEUE|SUSPENDED|RESIZING' <<<"$states"; then
      return 0
    fi
    if [ $((SECONDS - t0)) -ge "$limit" ]; then
      echo "job $id not ended after $limit s:" >&2
      squeue -o '%i %P %T %r' >&2
      return 1
    fi
    sleep 1
  done
}
show_logs() { tail -n 30 "$work"/out.slurm/*.log "$work"/out-mpi.slurm/*.log 2>/dev/null >&2 || true; }

# 1. The array and its merge in partition `other`, `main` down; task 1 requeued mid-run.
scontrol update PartitionName=main State=DOWN
"$submit" --flywheel "$flywheel" --out out --shards 4 --cpus-per-task 1 --mem-per-cpu 200M \
  --time 00:10:00 --merge-time 00:05:00 -p other --setup site-setup.sh spec.yaml > submit.out 2>&1 ||
  { cat submit.out; fail "submit-sweep failed"; }
cat submit.out
array=$(sed -n 's/.*array job \([0-9]*\):.*/\1/p' submit.out)
merge=$(sed -n 's/.*merge job \([0-9]*\):.*/\1/p' submit.out)
[ -n "$array" ] && [ -n "$merge" ] || fail "no job ids in the output of submit-sweep"
for i in $(seq 1 120); do [ -e task1-attempt0 ] && break; sleep 0.5; done
[ -e task1-attempt0 ] || { show_logs; squeue -o '%i %P %T %r'; fail "task 1 did not start in 60 s"; }
[ "$(job_state "${array}_1")" = RUNNING ] || fail "task 1 is not running: $(job_state "${array}_1")"
scontrol requeue "${array}_1"
echo "requeued ${array}_1 while it ran ($((SECONDS - started)) s)"
# Slurm makes a requeued job eligible only 2 minutes later (reason BeginTime): start it now.
for i in $(seq 1 60); do [ "$(job_state "${array}_1")" = PENDING ] && break; sleep 0.5; done
scontrol update JobId="${array}_1" StartTime=now || true
wait_ended "$merge" 240 || { show_logs; fail "the merge job did not end"; }
# A merge that started while task 1 was being requeued submitted itself again: the last one.
for i in $(seq 1 240); do [ -z "$(squeue -h -o %i)" ] && break; sleep 1; done
[ -z "$(squeue -h -o %i)" ] || { show_logs; squeue; fail "jobs still queued after 240 s"; }
merges=$(squeue -h -t all -n flywheel-merge -o %i | sort -n)
merge=$(tail -n1 <<<"$merges")
echo "merge jobs: $(echo $merges) (a second one if the first started during the requeue)"
merge_info=$(scontrol show job -o "$merge")
# On a loaded machine Slurm 22.05 sometimes ends a task it was asked to requeue as FAILED (its
# log: "CANCELLED ... DUE TO JOB REQUEUE", then no second attempt). The merge then reports the
# missing units, and the documented remedy is to submit the same sweep again: do that.
if grep -q 'ExitCode=2:0' <<<"$merge_info" &&
  grep -q 'JobState=FAILED' <<<"$(scontrol show job -o "${array}_1")" &&
  ! grep -q 'attempt 1' "out.slurm/sweep-${array}_1.log"; then
  grep -q 'MISSING UNITS' out.slurm/merge-"$merge".log || { show_logs; fail "missing units not reported"; }
  echo "Slurm ended task 1 as FAILED instead of requeuing it: the merge reported the missing units; submitting again"
  bash out.slurm/resubmit.sh > resubmit.out 2>&1 || { cat resubmit.out; fail "resubmit.sh failed"; }
  array=$(sed -n 's/.*array job \([0-9]*\):.*/\1/p' resubmit.out)
  merge=$(sed -n 's/.*merge job \([0-9]*\):.*/\1/p' resubmit.out)
  wait_ended "$merge" 240 || { show_logs; fail "the second merge job did not end"; }
  for i in $(seq 1 240); do [ -z "$(squeue -h -o %i)" ] && break; sleep 1; done
  merge=$(squeue -h -t all -n flywheel-merge -o %i | sort -n | tail -n1)
  merge_info=$(scontrol show job -o "$merge")
  resubmitted=1
fi
grep -q 'JobState=COMPLETED' <<<"$merge_info" && grep -q 'ExitCode=0:0' <<<"$merge_info" ||
  { show_logs; fail "merge job: $merge_info"; }
grep -q 'Partition=other' <<<"$merge_info" || fail "the merge job ran outside partition other"
for k in 1 2 3 4; do
  grep -q 'Partition=other' <<<"$(scontrol show job -o "${array}_$k")" || fail "task $k outside other"
done
if [ -z "${resubmitted:-}" ]; then
  grep -q 'attempt 1' "out.slurm/sweep-${array}_1.log" || { show_logs; fail "task 1 was not run again"; }
fi
cmp out/results.csv single/results.csv || fail "results.csv of the array differs from one process"
echo "array of 4 in partition other (main down), task 1 requeued: merged == one process ($((SECONDS - started)) s)"

# 2. More CPUs per task than the node has: refused or warned, never silent.
status=0
"$submit" --flywheel "$flywheel" --out big --shards 2 --cpus-per-task 4 -p other spec.yaml \
  > big.out 2>&1 || status=$?
cat big.out
grep -qE 'will never start|sbatch refused the job' big.out ||
  fail "a job asking for 4 CPUs on a 2-CPU node: no warning (exit $status)"
scancel --quiet --user=root 2>/dev/null || true
echo "4 CPUs per task on a 2-CPU node: reported"

# 3. The MPI template, if Open MPI is here.
if command -v mpirun >/dev/null && grep -q libmpi <<<"$(ldd "$flywheel" 2>/dev/null)"; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
  "$submit" --flywheel "$flywheel" --mpi --ntasks 2 --cpus-per-task 1 --mem-per-cpu 200M \
    --time 00:10:00 --out out-mpi -p other spec.yaml > mpi.out 2>&1 || { cat mpi.out; fail "submit-sweep --mpi failed"; }
  cat mpi.out
  job=$(sed -n 's/.*MPI job \([0-9]*\):.*/\1/p' mpi.out)
  wait_ended "$job" 240 || { show_logs; fail "the MPI job did not end"; }
  grep -q 'ExitCode=0:0' <<<"$(scontrol show job -o "$job")" || { show_logs; fail "MPI job failed"; }
  cmp out-mpi/results.csv single/results.csv || fail "results.csv of the MPI job differs from one process"
  echo "MPI job of 2 ranks: results.csv == one process ($((SECONDS - started)) s)"
else
  echo "no mpirun or flywheel built without MPI: the MPI template not run"
fi
# 4. A sharded calibration: 3 rounds (generations 0-2) of a 2-task array and a fold that submits
# the next round itself.
source "$source_dir/tests/slurm/stand_ins.sh"
tiny_calibration "$source_dir" "$flywheel" calibrate.yaml 20 2
"$flywheel" calibrate "$work/calibrate.yaml" --out cal-single --quiet > /dev/null
t0=$SECONDS
"$source_dir/tools/slurm/submit-calibrate" --flywheel "$flywheel" --out cal --shards 2 \
  --cpus-per-task 1 --mem-per-cpu 200M --time 00:05:00 --fold-time 00:05:00 -p other \
  calibrate.yaml > cal-submit.out 2>&1 || { cat cal-submit.out; fail "submit-calibrate failed"; }
cat cal-submit.out
for i in $(seq 1 240); do
  [ -z "$(squeue -h -o %i)" ] && grep -q stop_reason cal/calibration.json 2>/dev/null && break
  sleep 1
done
folds=$(ls cal.slurm/calibrate-fold-*.log 2>/dev/null | wc -l)
grep -q stop_reason cal/calibration.json 2>/dev/null ||
  { tail -n 20 cal.slurm/*.log >&2; squeue -o '%i %j %T %r' >&2; fail "the sharded calibration did not finish in 240 s"; }
for f in posterior.csv generations.csv posterior_sample.csv calibrated.yaml forecast.csv calibration.json; do
  cmp "cal/$f" "cal-single/$f" || fail "$f of the Slurm rounds differs from one process's"
done
echo "calibration in rounds of 2-shard arrays ($folds fold jobs, $((SECONDS - t0)) s): outputs == one process"
echo "real Slurm test passed in $((SECONDS - started)) s"
