# What the job scripts of a sharded calibration (calibrate-shard.sbatch, calibrate-fold.sbatch)
# share, sourced by them from FLYWHEEL_SLURM_DIR (a job's script is Slurm's copy, so it cannot
# find this file beside itself): the site setup, a check that the binary starts on this node, and
# which tasks of an array are still queued. The sourcing script sets `me` and `fail` first.
#
# From the environment: FLYWHEEL (the binary), FLYWHEEL_SLURM_SETUP (a bash file sourced first:
# the site's `module load` lines), FLYWHEEL_SLURM_MODULES (modules to load, space-separated).

set +u
if [ -n "${FLYWHEEL_SLURM_SETUP:-}" ]; then
  [ -r "$FLYWHEEL_SLURM_SETUP" ] || fail "FLYWHEEL_SLURM_SETUP=$FLYWHEEL_SLURM_SETUP is not readable on $(hostname)"
  source "$FLYWHEEL_SLURM_SETUP"
fi
if [ -n "${FLYWHEEL_SLURM_MODULES:-}" ]; then
  type module >/dev/null 2>&1 || for init in /etc/profile.d/lmod.sh /etc/profile.d/modules.sh; do
    [ -r "$init" ] && source "$init" && break
  done
  type module >/dev/null 2>&1 || fail "FLYWHEEL_SLURM_MODULES is set but there is no \`module\` command on $(hostname)"
  for m in $FLYWHEEL_SLURM_MODULES; do module load "$m" || fail "module load $m failed"; done
fi
set -u
[ -x "$FLYWHEEL" ] || fail "FLYWHEEL=$FLYWHEEL is not executable on $(hostname) (is its file system shared?)"
if ! probe=$("$FLYWHEEL" --version 2>&1); then
  fail "$FLYWHEEL does not start on $(hostname): $probe (a missing library? load it in FLYWHEEL_SLURM_SETUP or --module)"
fi

# array_left ARRAY_ID: the array's tasks still pending, running or being requeued (squeue, and
# scontrol, which also shows the requeue states), "" when none. afterany can start a dependent
# job while a task is being requeued (scontrol requeue, preemption): Slurm counts it as ended
# for an instant, then it waits to run again.
array_left() {
  {
    squeue -h -j "$1" -o %i 2>/dev/null || true
    { scontrol show job -o "$1" 2>/dev/null || true; } |
      grep -E 'JobState=(PENDING|RUNNING|REQUEUE[A-Z_]*|CONFIGURING|COMPLETING|SUSPENDED|RESIZING)' |
      grep -o 'JobId=[0-9]*' | cut -d= -f2 || true
  } | sort -u | tr '\n' ' '
}
