#!/usr/bin/env bash
# The soak run: an accelerated 8-hour shift — 144,000 bunches of 5 Hz beam — through the whole chain on this
# machine: beamdaq-daq serve (simulated HS4, pacing max), beamdaq-analysis monitor subscribed and fitting, and
# beamdaq-control serve recording the shift as runs of 10,000 bunches into a SQLite catalog, all on 127.0.0.1.
# After every run, with the chain idle, it samples each process's memory (VmRSS) and open descriptors
# (/proc/PID/fd) and audits the run file against the catalog; at the end the monitor's accounting.
# Passes when no process grew its memory by 5 % or its descriptors at all after warm-up (run 2), throughput
# stayed within a factor 2, and every event is in its file and the catalog.
#
# Usage: run-scripts/soak.sh [BUNCHES]        (default 144000; the test suite runs 10000)
# Writes the figures to artifacts/soak.md and prints them. Exit code 0 when it passes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bunches="${1:-144000}"
case "$bunches" in
  ''|*[!0-9]*) echo "soak.sh: BUNCHES must be a whole number, got '$bunches'" >&2; exit 2 ;;
esac
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
project=tests/BeamDAQ.Reliability.Tests
if [ ! -f "$project/bin/Release/net10.0/BeamDAQ.Reliability.Tests.dll" ]; then
  dotnet build "$project" -c Release -nologo -v:q -clp:ErrorsOnly >&2
fi
mkdir -p artifacts
report="$root/artifacts/soak.md"
rm -f "$report"
status=0
BEAMDAQ_SOAK_BUNCHES="$bunches" BEAMDAQ_SOAK_REPORT="$report" \
  dotnet test "$project" -c Release --no-build --filter "FullyQualifiedName~Soak.SoakTests" \
  --logger "console;verbosity=normal" >&2 || status=$?
if [ -f "$report" ]; then
  cat "$report"
else
  echo "soak.sh: no report written (the soak did not finish); see the test output above" >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
