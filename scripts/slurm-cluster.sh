#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, without systemd, for the Slurm executor's tests and CI:
#   install             the Debian packages (slurm-wlm, munge, slurmdbd), when missing
#   start               munged, slurmdbd (accounting in MariaDB), slurmctld and slurmd; a quick no-op when up
#   stop                cancels every job, stops the daemons this script started
#   clean               stop, then remove all state (job ids start at 1 again, accounting emptied)
#   status              what runs; exit 0 when the cluster answers, 3 when it does not
#   restart-controller  stops slurmctld gracefully and starts it again, as an admin's restart would
# Needs root. State lives under $CAIRN_SLURM_BASE (default /var/lib/cairn-slurm); /etc/slurm/slurm.conf and the
# ports 6817-6819 are global, so there is one cluster per machine, and every command but status holds a lock
# (on fd 9, which the daemons must not inherit, or they would hold it for ever).
# Accounting goes through slurmdbd into the MariaDB on 127.0.0.1:3306 (root, no password), database
# cairn_slurm_acct, so that `sacct` gives final states, exit codes, CPU time and peak memory;
# CAIRN_SLURM_ACCOUNTING=none leaves it out (then only `scontrol`, `squeue` and `sacct -c` know finished jobs).
set -euo pipefail

BASE="${CAIRN_SLURM_BASE:-/var/lib/cairn-slurm}"
ACCOUNTING="${CAIRN_SLURM_ACCOUNTING:-slurmdbd}"
CLUSTER=cairn
ACCOUNTING_DB=cairn_slurm_acct
MARIADB_HOST=127.0.0.1
MARIADB_PORT=3306
SLURM_CONF=/etc/slurm/slurm.conf
DBD_CONF=/etc/slurm/slurmdbd.conf
PACKAGES=(slurm-wlm munge slurmdbd)

say() { echo "slurm-cluster: $*" >&2; }
die() {
  say "$*"
  exit 1
}

# --- processes --------------------------------------------------------------------------------------------

# Whether the pid in a pidfile is a live process (a zombie is not: PID 1 here reaps orphans late).
pid_alive() {
  local pid=$1
  [ -n "$pid" ] && [ -r "/proc/$pid/status" ] || return 1
  ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status"
}

pid_of() {
  local file=$1
  [ -s "$file" ] && tr -dc '0-9' <"$file" || true
}

daemon_running() {
  local pid
  pid=$(pid_of "$1")
  pid_alive "$pid"
}

# TERM, then KILL after the timeout; returns once the process is gone or a zombie.
stop_pid() {
  local pid=$1 name=$2 waited=0
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  while pid_alive "$pid"; do
    if [ $waited -ge 150 ]; then
      say "$name ($pid) ignored TERM for 15 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
      return 0
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

stop_daemon() {
  local file=$1 name=$2
  stop_pid "$(pid_of "$file")" "$name"
  rm -f "$file"
}

# Polls a command until it succeeds; fails naming what did not happen.
wait_until() {
  local what=$1 tenths=$2
  shift 2
  local i
  for ((i = 0; i < tenths; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  die "$what did not happen within $((tenths / 10)) s (logs: $BASE/log)"
}

# --- configuration ----------------------------------------------------------------------------------------

node_line() {
  # The hardware as slurmd sees it, so that slurmd does not reconfigure the node's sockets and cores.
  slurmd -C | head -n 1
}

write_slurm_conf() {
  local gather=jobacct_gather/none storage=accounting_storage/none
  if [ "$ACCOUNTING" = slurmdbd ]; then
    gather=jobacct_gather/linux
    storage=accounting_storage/slurmdbd
  fi
  cat <<EOF
# Written by scripts/slurm-cluster.sh: a one-node cluster for Cairn's tests. Changes here are overwritten.
ClusterName=$CLUSTER
SlurmctldHost=$(hostname -s)
SlurmUser=slurm
AuthType=auth/munge
StateSaveLocation=$BASE/state
SlurmdSpoolDir=$BASE/spool
SlurmctldPidFile=$BASE/run/slurmctld.pid
SlurmdPidFile=$BASE/run/slurmd.pid
SlurmctldLogFile=$BASE/log/slurmctld.log
SlurmdLogFile=$BASE/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
MailProg=/bin/true
JobAcctGatherType=$gather
JobAcctGatherFrequency=task=1
AccountingStorageType=$storage
AccountingStorageHost=localhost
JobCompType=jobcomp/filetxt
JobCompLoc=$BASE/log/jobcomp.txt
MinJobAge=3600
MaxJobCount=200000
$(node_line) State=UNKNOWN
PartitionName=debug Nodes=$(hostname -s) Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
EOF
}

write_dbd_conf() {
  cat <<EOF
# Written by scripts/slurm-cluster.sh. Changes here are overwritten.
AuthType=auth/munge
DbdHost=localhost
SlurmUser=slurm
PidFile=$BASE/run/slurmdbd.pid
LogFile=$BASE/log/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=$MARIADB_HOST
StoragePort=$MARIADB_PORT
StorageUser=root
StorageLoc=$ACCOUNTING_DB
EOF
}

# Installs generated text as a file when it differs; prints "changed" when it did.
install_if_changed() {
  local target=$1 owner=$2 mode=$3 text
  text=$(cat)
  if [ -f "$target" ] && [ "$(cat "$target")" = "$text" ]; then return 0; fi
  mkdir -p "$(dirname "$target")"
  printf '%s\n' "$text" >"$target.part"
  chown "$owner" "$target.part"
  chmod "$mode" "$target.part"
  mv "$target.part" "$target"
  echo changed
}

# --- commands ---------------------------------------------------------------------------------------------

require_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root"
}

installed() {
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null &&
    command -v munged >/dev/null && { [ "$ACCOUNTING" != slurmdbd ] || command -v slurmdbd >/dev/null; }
}

cmd_install() {
  require_root
  installed && return 0
  say "installing ${PACKAGES[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
}

munge_works() { munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; }

start_munge() {
  munge_works && return 0
  [ -s /etc/munge/munge.key ] || {
    mungekey --create --keyfile=/etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
  }
  mkdir -p /run/munge
  chown munge:munge /run/munge
  chmod 0755 /run/munge
  runuser -u munge -- /usr/sbin/munged 9>&-
  touch "$BASE/run/munged.ours"
  wait_until "munged answering" 50 munge_works
}

mariadb_answers() {
  mysql --protocol=TCP -h "$MARIADB_HOST" -P "$MARIADB_PORT" -u root -e 'select 1' >/dev/null 2>&1
}

dbd_answers() { sacctmgr -n -P list cluster >/dev/null 2>&1; }

start_dbd() {
  local changed=$1
  mariadb_answers || die "MariaDB does not answer on $MARIADB_HOST:$MARIADB_PORT (root, no password); start it, or set CAIRN_SLURM_ACCOUNTING=none"
  if [ -n "$changed" ] && daemon_running "$BASE/run/slurmdbd.pid"; then
    stop_daemon "$BASE/run/slurmdbd.pid" slurmdbd
  fi
  if ! daemon_running "$BASE/run/slurmdbd.pid"; then
    slurmdbd 9>&-
    wait_until "slurmdbd answering" 300 dbd_answers
  fi
  if ! sacctmgr -n -P list cluster format=cluster | grep -qx "$CLUSTER"; then
    sacctmgr -i add cluster "$CLUSTER" >/dev/null
  fi
}

controller_up() { scontrol ping 2>/dev/null | grep -q 'UP'; }

# The node takes jobs: idle, or busy with jobs already (a second start while tests run).
node_ready() {
  case "$(sinfo -h -o %T 2>/dev/null | head -n 1)" in
    idle | mixed | allocated | completing) return 0 ;;
    *) return 1 ;;
  esac
}

# A node left down or drained by a crash is put back into service.
resume_node_if_needed() {
  case "$(sinfo -h -o %T 2>/dev/null | head -n 1)" in
    down* | drain* | fail*) scontrol update nodename="$(hostname -s)" state=resume 2>/dev/null || true ;;
  esac
}

wait_node_ready() {
  local i
  for ((i = 0; i < 300; i++)); do
    node_ready && return 0
    [ $((i % 20)) -eq 19 ] && resume_node_if_needed
    sleep 0.1
  done
  die "the node did not become idle within 30 s: $(sinfo -h -o '%T %E' 2>&1) (logs: $BASE/log)"
}

start_controller() {
  daemon_running "$BASE/run/slurmctld.pid" || slurmctld 9>&-
  wait_until "slurmctld answering ping" 300 controller_up
}

cmd_start() {
  require_root
  installed || die "Slurm is not installed; run: $0 install"
  mkdir -p "$BASE"/{state,spool,log,run}
  chown slurm:slurm "$BASE/state" "$BASE/log" "$BASE/run"
  exec 9>"$BASE/lock"
  flock 9

  start_munge
  local slurm_changed dbd_changed=""
  slurm_changed=$(write_slurm_conf | install_if_changed "$SLURM_CONF" root:root 0644)
  if [ "$ACCOUNTING" = slurmdbd ]; then
    dbd_changed=$(write_dbd_conf | install_if_changed "$DBD_CONF" slurm:slurm 0600)
    start_dbd "$dbd_changed"
  fi
  if [ -n "$slurm_changed" ]; then
    stop_daemon "$BASE/run/slurmd.pid" slurmd
    stop_daemon "$BASE/run/slurmctld.pid" slurmctld
  fi
  start_controller
  daemon_running "$BASE/run/slurmd.pid" || slurmd 9>&-
  wait_node_ready
}

cmd_restart_controller() {
  require_root
  exec 9>"$BASE/lock"
  flock 9
  stop_daemon "$BASE/run/slurmctld.pid" slurmctld
  start_controller
  wait_node_ready
}

cancel_all_jobs() {
  controller_up || return 0
  scancel --full --quiet $(squeue -h -o %i --states=PENDING,RUNNING,SUSPENDED,CONFIGURING,COMPLETING) 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do
    [ -z "$(squeue -h -o %i --states=PENDING,RUNNING,SUSPENDED,CONFIGURING,COMPLETING 2>/dev/null)" ] && return 0
    sleep 0.1
  done
  say "jobs still listed after 10 s; stopping anyway"
}

cmd_stop() {
  require_root
  [ -d "$BASE" ] || return 0
  exec 9>"$BASE/lock"
  flock 9
  cancel_all_jobs
  stop_daemon "$BASE/run/slurmd.pid" slurmd
  stop_daemon "$BASE/run/slurmctld.pid" slurmctld
  stop_daemon "$BASE/run/slurmdbd.pid" slurmdbd
  if [ -e "$BASE/run/munged.ours" ]; then
    stop_daemon /run/munge/munged.pid munged
    rm -f "$BASE/run/munged.ours"
  fi
  # A job step whose slurmd is gone has nobody to end it.
  sleep 0.5
  local pid
  for pid in $(pgrep -x slurmstepd || true); do
    pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  done
}

cmd_clean() {
  cmd_stop
  exec 9>"$BASE/lock"
  flock 9
  rm -rf "${BASE:?}"/{state,spool,log,run}
  if mariadb_answers; then
    mysql --protocol=TCP -h "$MARIADB_HOST" -P "$MARIADB_PORT" -u root -e "drop database if exists $ACCOUNTING_DB"
  fi
}

cmd_status() {
  local file name status=0
  for name in slurmctld slurmd slurmdbd; do
    file="$BASE/run/$name.pid"
    if daemon_running "$file"; then
      echo "$name: running (pid $(pid_of "$file"))"
    elif [ "$name" = slurmdbd ] && [ "$ACCOUNTING" != slurmdbd ]; then
      echo "$name: not used"
    else
      echo "$name: stopped"
      status=3
    fi
  done
  if munge_works; then echo "munged: running"; else
    echo "munged: stopped"
    status=3
  fi
  if controller_up && node_ready; then
    echo "node: $(sinfo -h -o %T | head -n 1)"
  else
    echo "node: not ready"
    status=3
  fi
  return $status
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  clean) cmd_clean ;;
  status) cmd_status ;;
  restart-controller) cmd_restart_controller ;;
  *)
    echo "usage: $0 install|start|stop|clean|status|restart-controller" >&2
    exit 2
    ;;
esac
