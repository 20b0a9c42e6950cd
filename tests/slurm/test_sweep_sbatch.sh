#!/bin/bash
# Runs tools/slurm/sweep.sbatch as Slurm would run its 16 array tasks (with a stand-in `sbatch`
# that records the merge job instead of submitting it), task 3 killed once and requeued, then
# the recorded merge: the merged results must equal those of one `flywheel sweep` process.
# Usage: test_sweep_sbatch.sh FLYWHEEL SOURCE_DIR
set -euo pipefail
flywheel=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

mkdir bin
cat > bin/sbatch <<'STUB'
#!/bin/bash
printf '%s\n' "$@" > "$PWD/merge-job.txt"
STUB
chmod +x bin/sbatch

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

export FLYWHEEL=$flywheel SPEC=spec.yaml OUT=$work/out SLURM_ARRAY_JOB_ID=4242 SLURM_CPUS_PER_TASK=1
export PATH=$work/bin:$PATH
for k in $(seq 1 16); do
  if [ "$k" = 3 ]; then  # preempted at once, then requeued by Slurm
    SLURM_ARRAY_TASK_ID=$k SLURM_RESTART_COUNT=0 bash -c 'timeout -s KILL 0.01 bash "$0"; true' \
      "$source_dir/tools/slurm/sweep.sbatch" > /dev/null 2>&1 || true
    SLURM_ARRAY_TASK_ID=$k SLURM_RESTART_COUNT=1 bash "$source_dir/tools/slurm/sweep.sbatch" > /dev/null
  else
    SLURM_ARRAY_TASK_ID=$k SLURM_RESTART_COUNT=0 bash "$source_dir/tools/slurm/sweep.sbatch" > /dev/null
  fi
done
grep -q -- '--dependency=afterany:4242' merge-job.txt || { echo "no merge job submitted"; exit 1; }
merge=$(grep -- '^"' merge-job.txt)  # the --wrap command
eval "$merge" > /dev/null

"$flywheel" sweep spec.yaml --out single --quiet > /dev/null
cmp out/results.csv single/results.csv
echo "sbatch array of 16 shards merged == one process"
