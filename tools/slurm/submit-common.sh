# What tools/slurm/submit-sweep and tools/slurm/submit-calibrate share, sourced by both (not run):
# the options both take, resolving the binary, SPEC and OUT to absolute paths (a job runs in
# another folder, on another node), the site setup, and submitting with sbatch, with one look at
# a job's pending reason afterwards. The sourcing script sets `me` (its name, for messages) and
# `here` (this folder) first, and `original_args=("$@")` for resubmit.sh.

die() {
  echo "$me: $*" >&2
  exit 2
}

# Reads an option's value: `--opt VALUE` or `--opt=VALUE`. Sets `value` and `used` (args taken).
take_value() {
  local opt=$1
  shift
  if [[ $opt == --*=* ]]; then
    value=${opt#*=}
    used=1
  else
    [ $# -ge 1 ] || die "$opt needs a value (see --help)"
    value=$1
    used=2
  fi
}

positive_int() {  # NAME VALUE
  [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer, not '$2'"
}

absolute() {  # without `..` (symbolic links kept: the same path must work on every node)
  realpath -m -s -- "$1"
}

# The options both scripts take, with their defaults.
spec= out= flywheel=${FLYWHEEL:-} log_dir=
shards=8 cpus=2 mem=1G time_limit=02:00:00
partition= account= qos=
sbatch_extra=()
setup=${FLYWHEEL_SLURM_SETUP:-}
modules=()
check=1 dry_run=0

# common_option ARGS...: reads the option in $1 if it is one of those (sets `used`, the number of
# arguments taken); returns 1 for any other.
common_option() {
  local opt=$1
  case ${opt%%=*} in
    --out) take_value "$@"; out=$value ;;
    --flywheel) take_value "$@"; flywheel=$value ;;
    --log-dir) take_value "$@"; log_dir=$value ;;
    --shards) take_value "$@"; positive_int --shards "$value"; shards=$value ;;
    --cpus-per-task) take_value "$@"; positive_int --cpus-per-task "$value"; cpus=$value ;;
    --mem-per-cpu) take_value "$@"; mem=$value ;;
    --time) take_value "$@"; time_limit=$value ;;
    -p | --partition) take_value "$@"; partition=$value ;;
    -A | --account) take_value "$@"; account=$value ;;
    -q | --qos) take_value "$@"; qos=$value ;;
    --sbatch-args) take_value "$@"; read -r -a words <<<"$value"; sbatch_extra+=("${words[@]}") ;;
    --setup) take_value "$@"; setup=$value ;;
    --module) take_value "$@"; modules+=("$value") ;;
    --no-check) check=0; used=1 ;;
    --dry-run) dry_run=1; used=1 ;;
    *) return 1 ;;
  esac
}

# The usage lines of those options (each script's --help prints them under its own).
common_usage() {
  cat <<'USAGE'
Passed to every sbatch:
  -p, --partition NAME   -A, --account NAME   -q, --qos NAME
  --sbatch-args "ARGS"   more sbatch options, split on spaces (e.g. "--constraint=skylake --mail-type=END")
Site setup, run at the start of every job (and before the spec check here):
  --setup FILE           a bash file sourced first (default: $FLYWHEEL_SLURM_SETUP), e.g. module lines
  --module NAME          `module load NAME` (repeatable), e.g. --module openmpi/4.1
Other:
  --no-check             do not look at the jobs' pending reason after submission
  --dry-run              check everything and print the sbatch commands; submit nothing
  -h, --help             this help
USAGE
}

# After the options are read: SPEC, the binary, OUT (default out/<SPEC name>), the log folder
# (default OUT.slurm) and the setup file resolved to absolute paths and checked; `parent` is
# OUT's folder, `common` the sbatch options of every job.
resolve_paths() {
  [ -n "$spec" ] || die "no SPEC given (see --help)"
  [ -f "$spec" ] || die "SPEC '$spec': no such file"
  [ -r "$spec" ] || die "SPEC '$spec': not readable"
  spec=$(absolute "$spec")

  # The binary: --flywheel, $FLYWHEEL, this repository's build, or PATH.
  if [ -z "$flywheel" ]; then
    if [ -x "$here/../../build/flywheel" ]; then
      flywheel=$(cd "$here/../../build" && pwd)/flywheel
    else
      flywheel=$(command -v flywheel || true)
      [ -n "$flywheel" ] || die "no flywheel binary: give --flywheel PATH or set FLYWHEEL"
    fi
  fi
  [[ $flywheel == */* ]] || flywheel=$(command -v "$flywheel" || echo "$flywheel")
  [ -e "$flywheel" ] || die "FLYWHEEL '$flywheel': no such file"
  [ -f "$flywheel" ] && [ -x "$flywheel" ] || die "FLYWHEEL '$flywheel': not an executable file"
  flywheel=$(absolute "$flywheel")

  local name
  name=$(basename "$spec")
  name=${name%.yaml}
  name=${name%.yml}
  out=$(absolute "${out:-out/$name}")
  out=${out%/}
  log_dir=$(absolute "${log_dir:-$out.slurm}")
  parent=$(dirname "$out")
  if [ -d "$out" ]; then
    [ -w "$out" ] || die "OUT '$out': not writable"
  elif [ -e "$out" ]; then
    die "OUT '$out' exists and is not a folder"
  fi

  if [ -n "$setup" ]; then
    [ -f "$setup" ] && [ -r "$setup" ] || die "setup file '$setup' (--setup or FLYWHEEL_SLURM_SETUP): no such readable file"
    setup=$(absolute "$setup")
  fi
  common=(--parsable --export=ALL)
  [ -n "$partition" ] && common+=(--partition="$partition")
  [ -n "$account" ] && common+=(--account="$account")
  [ -n "$qos" ] && common+=(--qos="$qos")
  return 0
}

# The last check of the input: sbatch must be there, unless in a dry run.
require_sbatch() {
  if [ $dry_run = 0 ]; then
    command -v sbatch >/dev/null || die "sbatch not found: run this on a Slurm login node (or with --dry-run)"
  fi
  return 0
}

# FLYWHEEL_RESUBMIT: the command that submits the same work again, this script with the same
# arguments (without --dry-run) from the same folder (exported: the jobs print it).
make_resubmit() {  # SCRIPT
  local arg resubmit_args=()
  for arg in "${original_args[@]}"; do [ "$arg" = --dry-run ] || resubmit_args+=("$arg"); done
  FLYWHEEL_RESUBMIT=$(printf '%q ' "$1" "${resubmit_args[@]}")
  # Resubmitting from another folder must find the same files.
  FLYWHEEL_RESUBMIT="cd $(printf '%q' "$PWD") && $FLYWHEEL_RESUBMIT"
  export FLYWHEEL_RESUBMIT
}

# check_spec COMMAND...: runs the spec check with the site setup as a job has it (the same
# libraries, e.g. Open MPI's); its stdout is kept in the file `check_out`, its stderr in
# `check_log`. Nothing is submitted when it fails.
check_spec() {
  check_log=$(mktemp)
  check_out=$(mktemp)
  trap 'rm -f "$check_log" "$check_out"' EXIT
  if ! (
    set +u
    [ -z "$FLYWHEEL_SLURM_SETUP" ] || source "$FLYWHEEL_SLURM_SETUP"
    for m in $FLYWHEEL_SLURM_MODULES; do module load "$m"; done
    "$@"
  ) >"$check_out" 2>"$check_log"; then
    cat "$check_log" >&2
    die "the spec check failed (above): nothing submitted"
  fi
}

# Creates OUT's folder and the log folder with resubmit.sh in it (not in a dry run).
write_resubmit() {  # COMMENT
  [ $dry_run = 0 ] || return 0
  mkdir -p "$parent" "$log_dir" 2>/dev/null || die "cannot create '$parent' or '$log_dir'"
  printf '#!/bin/bash\n# %s\n%s\n' "$1" "$FLYWHEEL_RESUBMIT" > "$log_dir/resubmit.sh"
  chmod +x "$log_dir/resubmit.sh"
}

# submit ARGS...: prints the job id (sbatch --parsable prints ID or ID;CLUSTER).
submit() {
  if [ $dry_run = 1 ]; then
    printf 'sbatch' >&2
    printf ' %q' "$@" >&2
    printf '\n' >&2
    echo "dry-run"
    return 0
  fi
  local id
  if ! id=$(sbatch "$@"); then
    echo "$me: sbatch refused the job (above). Ask for fewer CPUs (--cpus-per-task, --ntasks)," \
      "nodes (--nodes), less memory (--mem-per-cpu) or time (--time), or another partition (-p)" >&2
    return 1
  fi
  echo "${id%%;*}"
}

# warn_if_stuck ID [OTHER_IDS]: one look at the pending reason; warns when the job can never
# start there.
warn_if_stuck() {
  local id=$1 reason= i
  command -v squeue >/dev/null || return 0
  for i in 1 2 3 4 5; do  # the scheduler sets the reason on its first pass over the job
    reason=$(squeue -h -j "$id" -o %r 2>/dev/null | head -n1 || true)
    case $reason in "" | None | Priority | Dependency) sleep 1 ;; *) break ;; esac
  done
  case $reason in
    PartitionConfig | PartitionNodeLimit | PartitionTimeLimit | BadConstraints | InvalidAccount | \
      InvalidQOS | AccountNotAllowed | QOSNotAllowed | ReqNodeNotAvail* | QOSMax*PerJob* | \
      AssocMax*PerJob* | Nodes_required_for_job_are_DOWN*)
      echo "$me: WARNING: job $id is pending with reason $reason: it will never start on this" \
        "partition: ask for fewer CPUs (--cpus-per-task, --ntasks) or nodes (--nodes), less memory" \
        "(--mem-per-cpu) or time (--time), or another partition (-p); then scancel $id${2:+ $2}" \
        "and submit again" >&2
      ;;
    PartitionDown | PartitionInactive)
      echo "$me: WARNING: job $id is pending with reason $reason: its partition does not run jobs" \
        "now (sinfo); send it elsewhere with -p, or wait" >&2
      ;;
  esac
}
