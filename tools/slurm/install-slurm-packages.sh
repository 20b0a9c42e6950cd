#!/bin/bash
# Installs Debian's slurm-wlm and munge for tests/slurm/test_real_slurm.sh (run as root),
# without starting their services: a policy-rc.d that denies every start is in place for the
# install (and removed after, when it was not there before). The test starts its own daemons.
set -euo pipefail
policy=/usr/sbin/policy-rc.d
added=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  added=1
fi
status=0
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends slurm-wlm munge; } || status=$?
[ $added = 0 ] || rm -f "$policy"
exit $status
