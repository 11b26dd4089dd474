#!/usr/bin/env bash
# Every BeamDAQ test: unit, interop with Python's msgpack/zmq, both catalog backends (a real PostgreSQL
# server on 127.0.0.1), the browser tests in Debian's chromium, and the main job's quick shift
# in a fresh clone of the repository.
# Prints one closing line "N passed, N failed, N skipped"; exits non-zero when anything failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/run-scripts/setup.sh" || { echo "test: setup failed"; exit 1; }

# PostgreSQL for the catalog's contract tests; the tests report visibly when it is not there.
if [ -x run-scripts/postgres-test-server.sh ]; then
  if pg=$(run-scripts/postgres-test-server.sh); then
    export BEAMDAQ_TEST_POSTGRES="$pg"
  else
    echo "test: PostgreSQL test server did not start; the PostgreSQL catalog tests will fail and say so" >&2
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results="$root/artifacts/test-results"
mkdir -p "$results"
passed=0; failed=0; skipped=0; broken=()
for project in tests/BeamDAQ.*.Tests; do
  name=$(basename "$project")
  echo "=== $name" >&2
  log="$results/$name.log"
  dotnet test "$project" -c Release --no-build --blame-hang-timeout 10m \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  line=$(grep -E "(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+" "$log" | tail -1)
  if [ -n "$line" ]; then
    f=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<< "$line")
    p=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<< "$line")
    s=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<< "$line")
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  fi
  if [ "$status" -ne 0 ] || [ -z "$line" ]; then broken+=("$name"); fi
done

# The main job as a new user runs it: a fresh clone of this commit into an empty directory, installed and built from
# nothing by the script itself, then the quick shift (tests/BeamDAQ.Integration.Tests runs the shift on this tree).
# Outside a git checkout, the quick shift runs here.
if [ -x run-scripts/shift.sh ]; then
  if head=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
    echo "=== shift.sh --quick in a fresh clone of $head" >&2
    clone="$(mktemp -d "${TMPDIR:-/tmp}/beamdaq-clone-XXXXXX")"
    if git clone -q "$root" "$clone/BeamDAQ" && "$clone/BeamDAQ/run-scripts/shift.sh" --quick; then
      passed=$((passed + 1)); rm -rf "$clone"
    else
      failed=$((failed + 1)); broken+=("shift.sh --quick (fresh clone, kept in $clone)")
    fi
  else
    echo "=== shift.sh --quick" >&2
    if run-scripts/shift.sh --quick; then passed=$((passed + 1)); else failed=$((failed + 1)); broken+=("shift.sh --quick"); fi
  fi
fi

[ ${#broken[@]} -eq 0 ] || echo "test: failing: ${broken[*]}" >&2
echo "$passed passed, $failed failed, $skipped skipped"
[ ${#broken[@]} -eq 0 ] && [ "$failed" -eq 0 ]
