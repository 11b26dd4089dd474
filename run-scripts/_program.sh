#!/usr/bin/env bash
# Shared body of the three program wrappers: builds on first use, then runs the Release build.
# Usage (from a wrapper): source _program.sh PROJECT_DIR ASSEMBLY "$@"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project_dir="$1"; assembly="$2"; shift 2
dll="$root/$project_dir/bin/Release/net10.0/$assembly.dll"
if [ ! -f "$dll" ]; then
  "$root/run-scripts/setup.sh" || exit 1
fi
exec dotnet "$dll" "$@"
