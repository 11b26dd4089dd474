#!/usr/bin/env bash
# The main job: a simulated beam shift. Starts the simulated facility, the front end (simulated HS4 whose λ follows
# the facility's beam port), the analysis with its live monitor and the control node, all on 127.0.0.1 on free
# ports of their own; scans the exit collimator over the LEETECH paper's four settings (entrance 2.6 × 1.8 mm²);
# prints one table (aperture, fitted λ ± Δλ, zero-fraction λ₀, events, file), compares λ with the facility's
# calibration and fits λ against the exit aperture. Run files and the catalog stay in runs/ (new runs are
# appended; nothing is overwritten). Every process it started is stopped when it ends, however it ends.
#
#   run-scripts/shift.sh            # about 10 minutes: 3000 bunches per setting at 25 Hz (an accelerated 5 Hz beam)
#   run-scripts/shift.sh --quick    # about 1 minute (CI): 1500 bunches per setting at 250 Hz
#   options: --events N (bunches per setting), --rate HZ|max (bunch rate of the simulated beam; max: no waiting,
#            the monitor then sees only part of each run), --no-build (use the programs as built), --help
#   The first use installs and builds (run-scripts/setup.sh); later, changed sources rebuild the three programs.
#
# Environment: BEAMDAQ_RUNS_DIR (default runs/ in the repository): run files, catalog.sqlite and logs/.
# Exit code 0 when the scan ran and every fitted λ agrees with the facility's calibration; 1 when a step failed
# or a λ disagrees (the end of the relevant log is printed; the runs are kept); 2 on bad usage.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started_at=$(date +%s)

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

quick=0; events=""; rate=""; no_build=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-build) no_build=1 ;;
    --events) [ $# -ge 2 ] || { echo "shift: --events needs a number" >&2; exit 2; }; events="$2"; shift ;;
    --rate) [ $# -ge 2 ] || { echo "shift: --rate needs HZ or max" >&2; exit 2; }; rate="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "shift: unknown argument '$1' (allowed: --quick, --events N, --rate HZ|max, --no-build, --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ $quick -eq 1 ]; then
  events="${events:-1500}"; rate="${rate:-250}"; time_scale=10
else
  events="${events:-3000}"; rate="${rate:-25}"; time_scale=1
fi
[[ "$events" =~ ^[1-9][0-9]{0,8}$ ]] || { echo "shift: --events '$events': expected a whole number from 1 to 999999999" >&2; exit 2; }
if [ "$rate" = max ]; then
  pacing=max; bunch_rate=5
elif [[ "$rate" =~ ^[0-9]+([.][0-9]+)?$ ]] && awk "BEGIN { exit !($rate > 0 && $rate <= 10000) }"; then
  pacing=realtime; bunch_rate="$rate"
else
  echo "shift: --rate '$rate': expected a bunch rate in Hz (0 < HZ ≤ 10000) or max" >&2; exit 2
fi

# The LEETECH paper's exit-collimator settings (mm), the λ the facility is calibrated to, and the paper's figure.
settings=("1.2 3.1 0.7 6a" "6.9 3.1 2.2 6b" "9.9 3.1 2.8 6c" "9.9 20.6 8.7 6d")

runs_dir="${BEAMDAQ_RUNS_DIR:-$root/runs}"
mkdir -p "$runs_dir" || { echo "shift: cannot create the run directory $runs_dir" >&2; exit 1; }
runs_dir="$(cd "$runs_dir" && pwd)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)-$$"
work="$runs_dir/logs/shift-$stamp"          # this shift's process logs, generated configuration and catalog extracts
mkdir -p "$work" || { echo "shift: cannot create $work" >&2; exit 1; }
catalog="$runs_dir/catalog.sqlite"
export BEAMDAQ_LOG_DIR="${BEAMDAQ_LOG_DIR:-$runs_dir/logs}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
unset BEAMDAQ_CATALOG

say() { echo "shift: $*"; }
elapsed() { echo $(( $(date +%s) - started_at )); }

# --- every process this script starts is stopped when it ends ------------------------------------------------------
# The programs and the command clients run in the background and the script waits for them with `wait`, which a
# trapped signal interrupts at once (a foreground command would delay the trap until it finished).
pids=(); names=(); client=""; running_run=""; control_listen=""
is_running() {   # is_running PID: the process exists and has not exited (an exited child stays a zombie until reaped)
  local state
  state=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}
cleanup() {
  local status=$? i
  trap - EXIT INT TERM
  [ -n "$client" ] && kill -TERM "$client" 2>/dev/null
  # A run still being recorded is stopped through run control, so the catalog records its end.
  if [ -n "$running_run" ] && [ -n "$control_listen" ]; then
    echo "shift: stopping the run in progress through the control node" >&2
    timeout -k 5 30 "${control_cmd[@]}" stop --connect "$control_listen" >>"$work/stop.log" 2>&1
  fi
  if [ ${#pids[@]} -gt 0 ]; then
    for (( i=${#pids[@]}-1; i>=0; i-- )); do kill -TERM "${pids[$i]}" 2>/dev/null; done
    local deadline=$(( $(date +%s) + 30 )) alive
    while :; do
      alive=0
      for i in "${!pids[@]}"; do is_running "${pids[$i]}" && alive=1; done
      [ $alive -eq 0 ] && break
      if [ "$(date +%s)" -ge $deadline ]; then
        for i in "${!pids[@]}"; do
          if is_running "${pids[$i]}"; then
            echo "shift: ${names[$i]} (pid ${pids[$i]}) did not stop within 30 s of SIGTERM; killing it" >&2
            kill -KILL "${pids[$i]}" 2>/dev/null
          fi
        done
        break
      fi
      sleep 0.2
    done
    wait "${pids[@]}" 2>/dev/null
  fi
  [ -n "$client" ] && wait "$client" 2>/dev/null
  exit $status
}
trap cleanup EXIT
trap 'echo "shift: interrupted; stopping everything it started" >&2; exit 130' INT
trap 'echo "shift: terminated; stopping everything it started" >&2; exit 143' TERM

fail() {   # fail MESSAGE [LOG...]: the message and the end of each log, then exit 1 (the EXIT trap stops everything)
  echo "shift: FAILED: $1" >&2
  shift
  local log
  for log in "$@"; do
    [ -s "$log" ] || continue
    echo "---- last lines of $log" >&2
    tail -n 25 "$log" >&2
  done
  echo "shift: this shift's logs: $work" >&2
  exit 1
}

bounded() {   # bounded SECONDS OUT COMMAND...: COMMAND in the background, stdout and stderr to OUT, for at most SECONDS
  local seconds="$1" out="$2" status
  shift 2
  timeout -k 10 "$seconds" "$@" >"$out" 2>&1 &
  client=$!
  wait "$client"; status=$?
  client=""
  return $status
}
bounded_json() {   # bounded_json SECONDS OUT COMMAND...: the same with stdout (one JSON object) alone in OUT, stderr in OUT.err
  local seconds="$1" out="$2" status
  shift 2
  timeout -k 10 "$seconds" "$@" >"$out" 2>"$out.err" &
  client=$!
  wait "$client"; status=$?
  client=""
  return $status
}

# --- 1. build: everything on first use (setup.sh installs what is missing), else the programs whose sources changed ---
programs=(daq/BeamDAQ.Daq/bin/Release/net10.0/beamdaq-daq.dll
          analysis/BeamDAQ.Analysis/bin/Release/net10.0/beamdaq-analysis.dll
          control/BeamDAQ.Control/bin/Release/net10.0/beamdaq-control.dll)
daq_cmd=(dotnet "$root/${programs[0]}"); analysis_cmd=(dotnet "$root/${programs[1]}"); control_cmd=(dotnet "$root/${programs[2]}")
missing=0
for dll in "${programs[@]}"; do [ -f "$dll" ] || missing=1; done
if [ $no_build -eq 1 ]; then
  [ $missing -eq 0 ] || fail "--no-build, but the programs are not built (run-scripts/setup.sh builds them)"
elif [ $missing -eq 1 ]; then
  say "first use: installing what is missing and building (run-scripts/setup.sh; a few minutes) ..."
  bounded 3600 "$work/setup.log" run-scripts/setup.sh || fail "run-scripts/setup.sh" "$work/setup.log"
else
  # A program is stale when a source of its own or of protocol/ is newer than its build.
  for dll in "${programs[@]}"; do
    project="${dll%%/bin/*}"
    if [ -n "$(find protocol "$project" Directory.Build.props Directory.Packages.props \
                  \( -name bin -o -name obj -o -name node_modules \) -prune -o \
                  -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.js' -o -name '*.html' -o -name '*.css' \) \
                  -newer "$dll" -print -quit 2>/dev/null)" ]; then
      say "sources changed since the last build: building $project (Release) ..."
      bounded 1800 "$work/build.log" dotnet build "$project" -c Release -nologo -v:q -clp:ErrorsOnly \
        || fail "dotnet build $project -c Release" "$work/build.log"
    fi
  done
fi
command -v python3 >/dev/null || fail "python3 is missing (run-scripts/setup.sh installs it)"

# --- 2. free ports -----------------------------------------------------------------------------------------------------
# Five consecutive ports for the facility (its devices listen on base + 0..4) and one for each other socket, all free
# on 127.0.0.1 right now, so that a second shift or a test run on this machine does not collide with this one.
ports=$(python3 - <<'PY'
import random, socket, sys
held = []
def hold(port):
    s = socket.socket()
    s.bind(("127.0.0.1", port))
    held.append(s)
    return s.getsockname()[1]
for _ in range(500):
    base = random.randrange(20000, 32000)
    try:
        for p in range(base, base + 5):
            hold(p)
        break
    except OSError:
        for s in held:
            s.close()
        held.clear()
else:
    sys.exit("no five consecutive free ports between 20000 and 32005")
print(base, *[hold(0) for _ in range(6)])
PY
) || fail "choosing free ports"
read -r facility_base daq_control_port daq_publish_port analysis_publish_port control_listen_port control_publish_port http_port <<<"$ports"
daq_control="tcp://127.0.0.1:$daq_control_port"
daq_publish="tcp://127.0.0.1:$daq_publish_port"
analysis_publish="tcp://127.0.0.1:$analysis_publish_port"
control_publish="tcp://127.0.0.1:$control_publish_port"
monitor_url="http://127.0.0.1:$http_port/"

cat >"$work/daq.yaml" <<EOF
# Generated by run-scripts/shift.sh: this shift's simulated HS4 (every other key: the defaults of configs/daq.yaml).
simulator:
  pacing: $pacing
  bunch_rate_hz: $bunch_rate
output:
  directory: $runs_dir
EOF

# --- 3. the four programs ----------------------------------------------------------------------------------------------
start_program() {   # start_program NAME COMMAND...: in the background, stdout and stderr to $work/NAME.log
  local name="$1"
  shift
  "$@" >"$work/$name.log" 2>&1 &
  pids+=($!); names+=("$name")
}
wait_ready() {   # wait_ready NAME PATTERN SECONDS: until NAME's log shows PATTERN; fails when it exits or time runs out
  local name="$1" pattern="$2" seconds="$3" i pid=""
  for i in "${!names[@]}"; do [ "${names[$i]}" = "$name" ] && pid="${pids[$i]}"; done
  local deadline=$(( $(date +%s) + seconds ))
  until grep -q -- "$pattern" "$work/$name.log" 2>/dev/null; do
    if ! is_running "$pid"; then
      wait "$pid"
      fail "$name exited (exit code $?) before it was ready" "$work/$name.log"
    fi
    [ "$(date +%s)" -lt $deadline ] || fail "$name not ready within $seconds s (no '$pattern' in its output)" "$work/$name.log"
    sleep 0.2
  done
}
check_alive() {
  local i
  for i in "${!pids[@]}"; do
    is_running "${pids[$i]}" || fail "${names[$i]} exited during the shift" "$work/${names[$i]}.log"
  done
}

say "run files and catalog in $runs_dir; this shift's logs in $work"
say "starting the simulated facility, the front end, the analysis monitor and the control node on 127.0.0.1 ..."
start_program facility "${control_cmd[@]}" facility-sim --base-port "$facility_base" --time-scale "$time_scale"
start_program daq "${daq_cmd[@]}" serve --sim --config "$work/daq.yaml" --control "$daq_control" --publish "$daq_publish" \
  --beam "127.0.0.1:$((facility_base + 4))"
start_program monitor "${analysis_cmd[@]}" monitor --connect "$daq_publish" --connect "$control_publish" \
  --http "127.0.0.1:$http_port" --publish "$analysis_publish" --control "tcp://127.0.0.1:$control_listen_port"
start_program control "${control_cmd[@]}" serve --catalog "$catalog" --daq-control "$daq_control" --daq-publish "$daq_publish" \
  --analysis-publish "$analysis_publish" --facility "127.0.0.1:$facility_base" \
  --listen "tcp://127.0.0.1:$control_listen_port" --publish "$control_publish"
wait_ready facility "facility-sim: ready" 90
wait_ready daq "serving run control on" 90
wait_ready monitor "fits published on" 90
wait_ready control "control node listening on" 90
control_listen="tcp://127.0.0.1:$control_listen_port"
say "all four running after $(elapsed) s (control node $control_listen, front end $daq_control)"
echo
echo "  Live monitor: $monitor_url"
echo

# --- 4. the collimator scan --------------------------------------------------------------------------------------------
if [ "$pacing" = max ]; then
  run_bound=$(( 120 + events / 100 ))
else
  run_bound=$(awk "BEGIN { print int(120 + 2 * $events / $bunch_rate) }")
fi
has_final_fit() {   # has_final_fit RUN_JSON: the monitor's fit at the run's end is in the catalog
  python3 -c '
import json, sys
fits = json.load(open(sys.argv[1])).get("fits") or []
sys.exit(0 if any((f.get("result") or {}).get("final") for f in fits) else 1)' "$1"
}

run_numbers=()
for setting in "${settings[@]}"; do
  read -r x y lambda figure <<<"$setting"
  check_alive
  say "exit aperture $x × $y mm² (LEETECH Fig. $figure, λ $lambda): $events bunches ..."
  log="$work/start-$figure.log"
  running_run="(starting)"
  bounded "$run_bound" "$log" "${control_cmd[@]}" start --connect "$control_listen" --exit-aperture "$x" "$y" \
    --events "$events" --wait --comment "shift $stamp: collimator scan, exit $x x $y mm2 (LEETECH Fig. $figure)"
  status=$?
  run=$(sed -nE 's/^run ([0-9]+) started.*/\1/p' "$log" | head -1)
  [ -n "$run" ] && running_run="$run"
  [ $status -ne 124 ] || fail "the run at $x × $y mm² did not end within $run_bound s" "$log" "$work/control.log" "$work/daq.log"
  [ $status -eq 0 ] || fail "beamdaq-control start at $x × $y mm² (exit code $status)" "$log" "$work/control.log" "$work/daq.log"
  running_run=""
  [ -n "$run" ] || fail "no run number in the output of beamdaq-control start" "$log"
  grep -E "^run $run (ended|aborted)" "$log" | sed 's/^/  /'
  run_numbers+=("$run")
  # The monitor fits the whole run once more at its end and publishes it marked final; the control node stores it.
  # Wait for it before the next run begins (bounded; without it the table falls back to an offline fit).
  deadline=$(( $(date +%s) + 60 ))
  while :; do
    bounded_json 60 "$work/run-$run.json" "${control_cmd[@]}" runs show "$run" --json --catalog "$catalog" \
      || fail "beamdaq-control runs show $run --json" "$work/run-$run.json.err"
    has_final_fit "$work/run-$run.json" && break
    check_alive
    if [ "$(date +%s)" -ge $deadline ]; then
      say "run $run: the monitor's final fit did not reach the catalog within 60 s"
      break
    fi
    sleep 0.5
  done
done

# --- 5. the table, from the catalog: the live monitor's final fit of each run, stored by the control node -------------
for run in "${run_numbers[@]}"; do
  if ! python3 -c 'import json, sys; sys.exit(0 if json.load(open(sys.argv[1])).get("fits") else 1)' "$work/run-$run.json"; then
    file=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["file"]["path"])' "$work/run-$run.json")
    say "run $run: no fit from the live monitor in the catalog; fitting $file offline (beamdaq-analysis analyze)"
    bounded 600 "$work/analyze-$run.log" "${analysis_cmd[@]}" analyze "$file" --json "$work/analyze-$run.json" \
      || fail "beamdaq-analysis analyze $file" "$work/analyze-$run.log"
  fi
done
echo
python3 - "$work" "$root" "${settings[@]}" -- "${run_numbers[@]}" <<'PY'
import json, math, os, sys
work, root, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
cut = rest.index("--")
settings = [s.split() for s in rest[:cut]]
runs = [int(r) for r in rest[cut + 1:]]
TOLERANCE = 4   # |λ fit − facility λ| ≤ 4 Δλ
# From λ = 5 on, the merged peaks make gain and λ degenerate when the single-electron response is free (DESIGN §6):
# the live monitor fixes the response there from the best earlier low-λ run at the same settings, and says which.

def num(v, digits=3):
    return "—" if v is None or not math.isfinite(v) else f"{v:.{digits}f}"

rows, notes, disagreements = [], [], []
for (x, y, paper, figure), run in zip(settings, runs):
    d = json.load(open(os.path.join(work, f"run-{run}.json")))
    fits = d.get("fits") or []
    final = [f for f in fits if (f.get("result") or {}).get("final")]
    offline = not fits
    if offline:
        analysis = json.load(open(os.path.join(work, f"analyze-{run}.json")))
        fit = next((c["fit"] for c in analysis["files"][0]["channels"] if c.get("fit")), {})
        lam, err, lam0, fit_events = fit.get("lambda"), fit.get("lambda_error"), fit.get("lambda0"), d.get("events")
        notes.append(f"run {run}: no live fit in the catalog; λ from `beamdaq-analysis analyze` of its file (marked *)")
    else:
        f = (final or fits)[-1]
        lam, err, lam0 = f.get("lambda"), f.get("lambda_error"), f.get("lambda_zero_fraction")
        fit_events = (f.get("result") or {}).get("events")
        if not final:
            notes.append(f"run {run}: the monitor's final fit is missing; its last fit (of {fit_events} events) is shown")
        response_from = (f.get("result") or {}).get("response_from_run")
        if response_from is not None:
            calibration_error = (f.get("result") or {}).get("lambda_error_calibration")
            notes.append(f"run {run}: single-electron response fixed from run {response_from} (λ ≥ 5: gain and λ are degenerate "
                         f"with a free response); Δλ includes its uncertainty" + (f" ({calibration_error:.3f})" if calibration_error else ""))
    # The simulated beam's λ during the run: the facility model at the jaws' actual positions, as handed to the daq.
    try:
        truth = float(d["configuration"]["daq"]["simulator"]["beam"]["lambda"])
    except (KeyError, TypeError, ValueError):
        truth = float(paper)
        notes.append(f"run {run}: the facility's λ is not in the run's configuration; compared with the paper's {paper}")
    events = d.get("events") or 0
    shown_events = f"{events:,}" + (f" (fit {fit_events:,})" if fit_events not in (None, events) else "")
    path = (d.get("file") or {}).get("path") or "?"
    if path.startswith(root + os.sep):
        path = os.path.relpath(path, root)
    pull = (lam - truth) / err if lam is not None and err else None
    agrees = pull is not None and abs(pull) <= TOLERANCE
    if not agrees:
        disagreements.append(f"run {run} at {x} × {y} mm²: λ = {num(lam)} ± {num(err)}, facility λ {truth:.3f}"
                             + (f" ({pull:+.1f} σ)" if pull is not None else " (no fit)"))
    exit_ = (d.get("collimators") or {}).get("exit") or {}
    aperture = f"{exit_.get('aperture_x_mm', float(x)):.2f} × {exit_.get('aperture_y_mm', float(y)):.2f}"
    rows.append([str(run), aperture, f"{num(lam)} ± {num(err)}" + ("*" if offline else ""), num(lam0),
                 f"{float(paper):.1f}", f"{truth:.3f}", "—" if pull is None else f"{pull:+.1f}",
                 "ok" if agrees else "OFF", shown_events, path])

head = ["run", "exit aperture mm²", "λ ± Δλ (fit)", "λ₀ (zero fraction)", "paper λ", "facility λ", "pull", "", "events", "file"]
widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
def line(cells):
    return "  " + "  ".join(c.ljust(w) if i >= 7 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
print("Collimator scan, entrance 2.6 × 1.8 mm², 2.7 MeV; λ: the live monitor's fit of each whole run, from the run catalog")
print(line(head))
print("  " + "  ".join("─" * w for w in widths))
for r in rows:
    print(line(r))
print("  facility λ: the simulated beam during the run (the facility's calibrated model at the jaws' actual positions);")
print(f"  pull = (λ − facility λ) / Δλ, ok when |pull| ≤ {TOLERANCE}")
for n in notes:
    print("  note: " + n)
if disagreements:
    print("\nshift: the fitted λ does NOT agree with the facility's calibration:")
    for d in disagreements:
        print("  " + d)
    sys.exit(3)
print("\nshift: every fitted λ agrees with the facility's calibration (0.7, 2.2, 2.8, 8.7) within its error")
PY
physics=$?
[ $physics -eq 0 ] || [ $physics -eq 3 ] || fail "the table from the catalog (python3 exit code $physics)"

# --- 6. λ against the exit aperture: the horizontal scan at y = 3.1 mm (the fourth setting opens y as well) ----------
files=()
for i in "${!run_numbers[@]}"; do
  read -r x y _ _ <<<"${settings[$i]}"
  [ "$y" = 3.1 ] || continue
  files+=("$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["file"]["path"])' "$work/run-${run_numbers[$i]}.json")")
done
echo
echo "λ against the exit aperture x at y = 3.1 mm (beamdaq-analysis scan: offline fits of the run files):"
bounded 600 "$work/scan.log" "${analysis_cmd[@]}" scan "${files[@]}" --key meta.exit_aperture_x_mm --model threshold-linear \
  || fail "beamdaq-analysis scan" "$work/scan.log"
grep -v '\[INF\]' "$work/scan.log"
bounded_json 600 "$work/scan.json" "${analysis_cmd[@]}" scan "${files[@]}" --key meta.exit_aperture_x_mm --model threshold-linear --json \
  || fail "beamdaq-analysis scan --json" "$work/scan.json.err"
# The known curve: the facility's λ at the same apertures, fitted the same way (weighted least squares with the
# measured errors); the scan should find its parameters within the scan's errors.
python3 - "$work/scan.json" "$work" "${run_numbers[@]}" <<'PY' || say "(no comparison of the scan with the facility's curve: $work/scan.json unreadable)"
import json, math, os, sys
scan = json.load(open(sys.argv[1]))
work, runs = sys.argv[2], sys.argv[3:]
truth = {}
for run in runs:
    d = json.load(open(os.path.join(work, f"run-{run}.json")))
    truth[d["run"]] = float(d["configuration"]["daq"]["simulator"]["beam"]["lambda"])
pts = [(p["x"], truth[p["run"]], p["lambda_error"]) for p in scan["points"]]
sw = sum(1 / e**2 for _, _, e in pts); sx = sum(x / e**2 for x, _, e in pts); sy = sum(y / e**2 for _, y, e in pts)
sxx = sum(x * x / e**2 for x, _, e in pts); sxy = sum(x * y / e**2 for x, y, e in pts)
a = (sw * sxy - sx * sy) / (sw * sxx - sx * sx); b = (sy - a * sx) / sw
x0 = -b / a
chi2 = sum(((y - a * (x - x0)) / e) ** 2 for x, y, e in pts)
fit = scan["fit"]["parameters"]
da = (fit["a"]["value"] - a) / fit["a"]["error"]
dx0 = (fit["x0"]["value"] - x0) / fit["x0"]["error"]
print(f"  the facility's calibrated λ at these apertures, fitted the same way: a = {a:.4f}, x0 = {x0:.3f} mm "
      f"(χ² = {chi2:.1f}: the spot's Gaussian edges bend the curve)")
print(f"  scan − facility curve: a {da:+.1f} σ, x0 {dx0:+.1f} σ")
PY
echo
say "runs ${run_numbers[0]}–${run_numbers[${#run_numbers[@]}-1]} recorded in $catalog; run files in $runs_dir"
say "finished in $(elapsed) s"
[ $physics -eq 0 ] || fail "a fitted λ is more than 4 Δλ from the facility's calibration (see the table; the runs are kept)"
exit 0
