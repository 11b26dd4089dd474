#!/usr/bin/env bash
# Prepares a fresh Debian machine that has only the .NET SDK: installs what BeamDAQ and its tests need
# from Debian's packages, the monitor's npm packages, and builds the solution in Release.
# Idempotent: a second run installs nothing and only rebuilds what changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

packages=(libzmq5 python3 python3-zmq python3-msgpack python3-numpy python3-scipy python3-iminuit
          python3-matplotlib postgresql chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# The monitor's plotting library comes from npm (package-lock.json pins it); the build copies the asset.
if [ -f analysis/BeamDAQ.Analysis/Monitor/Page/package.json ]; then
  if [ ! -d analysis/BeamDAQ.Analysis/Monitor/Page/node_modules ]; then
    (cd analysis/BeamDAQ.Analysis/Monitor/Page && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build BeamDAQ.sln -c Release -nologo -v:q -clp:ErrorsOnly >&2
echo "setup: BeamDAQ built in Release" >&2
