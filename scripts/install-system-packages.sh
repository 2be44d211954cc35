#!/usr/bin/env bash
# Installs the Debian packages Cairn's tests and features use, when they are missing:
#   chromium (browser tests), fonts-dejavu-core (labels), dmtx-utils (tests decode printed DataMatrix codes),
#   slurm-wlm, munge and slurmdbd (the Slurm executor's tests run a one-node cluster: scripts/slurm-cluster.sh),
#   seqkit (built-in analysis types), time (GNU time: the local executor measures a job's CPU time and memory),
#   libxml2-utils (tests cross-check records against NexusLIMS's XML schema with xmllint),
#   unzip (tests read back the record zips), ncbi-blast+ (sequence search: makeblastdb, blastn, blastp, …).
# Runs apt-get only when something is missing; needs root (or sudo). Without either it says what to install.
set -euo pipefail

declare -A needed=(
  [chromium]=/usr/bin/chromium
  [fonts-dejavu-core]=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
  [dmtx-utils]=/usr/bin/dmtxread
  [slurm-wlm]=/usr/sbin/slurmctld
  [munge]=/usr/sbin/munged
  [slurmdbd]=/usr/sbin/slurmdbd
  [seqkit]=/usr/bin/seqkit
  [time]=/usr/bin/time
  [libxml2-utils]=/usr/bin/xmllint
  [unzip]=/usr/bin/unzip
  [ncbi-blast+]=/usr/bin/blastn
)

missing=()
for package in "${!needed[@]}"; do
  [ -e "${needed[$package]}" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  echo "cairn: missing Debian packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})" >&2
  exit 0
fi
echo "cairn: installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another installer may hold dpkg's lock for a while: wait for it rather than fail.
$sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
$sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
