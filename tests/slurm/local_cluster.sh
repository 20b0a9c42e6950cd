#!/bin/bash
# A real single-host Slurm cluster started by hand in a folder, for tests: its own munged (own
# key and socket), slurmctld and slurmd in the foreground (-D) in the background, on a free pair
# of ports, with two partitions `main` (the default) and `other` on one node of 2 CPUs.
# Source it, then:
#   cluster_start DIR    writes DIR/slurm.conf, starts the daemons, exports SLURM_CONF, waits
#                        until the node is idle (returns 1, with the daemons' logs, if it is not)
#   cluster_stop         ends the daemons it started (by their process ids)
# Needs Debian's slurm-wlm and munge (slurmctld, slurmd, munged, mungekey, sinfo) and root:
# the daemons run as root (SlurmUser=root), nothing is read from /etc/slurm or /etc/munge.
# It writes nothing outside DIR.

cluster_pids=()

# A TCP port on which nothing listens, nor on the next one (slurmctld, slurmd).
cluster_free_port_pair() {
  local port hex used
  used=$(awk 'NR > 1 {split($2, a, ":"); print a[2]}' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u)
  for _ in $(seq 1 200); do
    port=$((21000 + (RANDOM % 4000) * 2))
    hex=$(printf '%04X' "$port")
    if ! grep -qx "$hex" <<<"$used" && ! grep -qx "$(printf '%04X' $((port + 1)))" <<<"$used"; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

cluster_start() {
  local dir=$1 node port mem
  node=$(hostname -s)
  port=$(cluster_free_port_pair) || { echo "cluster: no free port pair" >&2; return 1; }
  # Below the machine's memory (slurmd drains a node that has less than configured).
  mem=$(awk '/^MemTotal:/ {m = int($2 / 1024) - 1024; if (m > 4096) m = 4096; print m}' /proc/meminfo)
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool"
  chmod 700 "$dir/munge"

  mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null 2>&1 ||
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 600 "$dir/munge/munge.key"
  munged --foreground --force --socket="$dir/munge/munge.sock" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
    --seed-file="$dir/munge/munged.seed" >/dev/null 2>&1 &
  cluster_pids+=($!)

  cat > "$dir/slurm.conf" <<CONF
ClusterName=flytest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=1
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
MinJobAge=3600
NodeName=$node NodeAddr=127.0.0.1 CPUs=2 RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=$node Default=YES State=UP MaxTime=INFINITE
PartitionName=other Nodes=$node State=UP MaxTime=INFINITE
CONF
  export SLURM_CONF=$dir/slurm.conf

  local i
  for i in $(seq 1 50); do [ -S "$dir/munge/munge.sock" ] && break; sleep 0.1; done
  slurmctld -D -i -f "$SLURM_CONF" >"$dir/slurmctld.out" 2>&1 &
  cluster_pids+=($!)
  for i in $(seq 1 100); do sinfo -h >/dev/null 2>&1 && break; sleep 0.2; done
  slurmd -D -N "$node" -f "$SLURM_CONF" >"$dir/slurmd.out" 2>&1 &
  cluster_pids+=($!)
  for i in $(seq 1 150); do
    [ "$(sinfo -h -n "$node" -o %t 2>/dev/null | head -n1)" = idle ] && return 0
    sleep 0.2
  done
  echo "cluster: node $node not idle after 30 s: $(sinfo -h -o '%P %t %E' 2>&1 | tr '\n' ';')" >&2
  tail -n 20 "$dir/munge/munged.log" "$dir/slurmctld.log" "$dir/slurmd.log" "$dir"/*.out >&2 2>/dev/null
  return 1
}

cluster_stop() {
  local pid
  for pid in "${cluster_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${cluster_pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  cluster_pids=()
}
