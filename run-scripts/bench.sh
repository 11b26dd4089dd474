#!/usr/bin/env bash
# The benchmarks behind docs/performance.md: builds tests/BeamDAQ.Benchmarks in Release, runs every suite of
# beamdaq-bench in a process of its own (BeamDAQ beside its peer — pyzmq, Python msgpack, numpy, iminuit — and beside
# the physical limits: USB 2.0, the raw read speed of the same file), and writes one Markdown page: the machine and the
# command, each suite's section, and a summary of every target with its measured value and verdict.
#
#   run-scripts/bench.sh            # the full run (half an hour or more on 2 cores): writes docs/performance.md
#   run-scripts/bench.sh --quick    # a smoke run with rough figures: writes artifacts/performance-quick.md
#   options: --out FILE (write there instead), SUITE... (only these; beamdaq-bench --list names them), --help
#
# A suite that fails or times out is reported as such in its section and in the summary; the page is still written.
# Exit code 0 when every suite ran (whether or not it met its targets), 1 when one failed, 2 on bad usage.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command_line="run-scripts/bench.sh${*:+ $*}"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }
quick=0; out=""; suites=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --out) [ $# -ge 2 ] || { echo "bench: --out needs a file" >&2; exit 2; }; out="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "bench: unknown option '$1' (allowed: --quick, --out FILE, SUITE..., --help)" >&2; exit 2 ;;
    *) suites+=("$1") ;;
  esac
  shift
done
if [ -z "$out" ]; then
  if [ $quick -eq 1 ]; then out="artifacts/performance-quick.md"; else out="docs/performance.md"; fi
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work="$(mktemp -d "${TMPDIR:-/tmp}/beamdaq-bench-XXXXXX")"
child=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child" 2>/dev/null
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT
trap 'echo "bench: terminated" >&2; exit 143' TERM

# --- build -------------------------------------------------------------------------------------------------------------
bench_dll="tests/BeamDAQ.Benchmarks/bin/Release/net10.0/beamdaq-bench.dll"
if [ ! -f "$bench_dll" ] || ! command -v /usr/bin/python3 >/dev/null; then
  echo "bench: first use: run-scripts/setup.sh (installs the peers' Python packages and chromium, builds everything) ..." >&2
  run-scripts/setup.sh || { echo "bench: run-scripts/setup.sh failed" >&2; exit 1; }
fi
echo "bench: building tests/BeamDAQ.Benchmarks (Release) ..." >&2
dotnet build tests/BeamDAQ.Benchmarks -c Release -nologo -v:q -clp:ErrorsOnly >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; echo "bench: the build failed" >&2; exit 1; }
known=$(dotnet "$bench_dll" --list) || { echo "bench: beamdaq-bench --list failed" >&2; exit 1; }
if [ ${#suites[@]} -eq 0 ]; then
  mapfile -t suites <<<"$known"
else
  for s in "${suites[@]}"; do
    grep -qx -- "$s" <<<"$known" || { echo "bench: unknown suite '$s'; known: $(tr '\n' ' ' <<<"$known")" >&2; exit 2; }
  done
fi

# --- the machine, before anything runs ---------------------------------------------------------------------------------
started_utc="$(date -u '+%Y-%m-%d %H:%M UTC')"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
memory="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
os="$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-Linux}")"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && commit="$commit (with uncommitted changes)"
dotnet_runtime="$(dotnet --list-runtimes 2>/dev/null | sed -n 's/^Microsoft.NETCore.App \([^ ]*\).*/\1/p' | tail -1)"
python_versions="$(/usr/bin/python3 -c 'import sys, zmq, msgpack, numpy, iminuit; print(f"Python {sys.version.split()[0]}, pyzmq {zmq.__version__} (libzmq {zmq.zmq_version()}), msgpack {msgpack.version[0]}.{msgpack.version[1]}.{msgpack.version[2]}, numpy {numpy.__version__}, iminuit {iminuit.__version__}")' 2>/dev/null || echo "Python peers unavailable")"

# --- the suites, one process each, bounded ---------------------------------------------------------------------------
if [ $quick -eq 1 ]; then bound=900; else bound=5400; fi
for suite in "${suites[@]}"; do
  echo "bench: $suite$([ $quick -eq 1 ] && echo ' (quick)') ..." >&2
  begin=$(date +%s)
  args=("$suite")
  [ $quick -eq 1 ] && args=(--quick "$suite")
  timeout -k 30 "$bound" dotnet "$bench_dll" "${args[@]}" --out "$work/$suite.md" >/dev/null 2>"$work/$suite.err" &
  child=$!
  wait "$child"; status=$?
  child=""
  echo "$status $(( $(date +%s) - begin ))" >"$work/$suite.status"
  [ $status -eq 0 ] || echo "bench: $suite FAILED (exit code $status; see its section)" >&2
done
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- the page ------------------------------------------------------------------------------------------------------------
mkdir -p "$(dirname "$out")"
/usr/bin/python3 - "$work" "$out" "$quick" "$command_line" "$started_utc" "$(nproc)" "$cpu" "$memory" "$os" "$commit" \
  "$(dotnet --version 2>/dev/null)" "$dotnet_runtime" "$python_versions" "$load_start" "$load_end" "$bound" "${suites[@]}" <<'PY'
import os, re, sys

(work, out, quick, command, started, cores, cpu, memory, os_name, commit, sdk, runtime, peers, load_start, load_end,
 bound) = sys.argv[1:17]
suites = sys.argv[17:]
quick = quick == "1"

VERDICT = re.compile(r"\*{0,2}\b(NOT met|not met|met)\b\*{0,2}")
COMPARISON = re.compile(r"^(?P<label>.*?)(?P<value>-?\d[\d.,]*\s*(?:%|[A-Za-zµ]+(?:/s)?)?)\s*(?P<op>[≥≤<>])\s*(?P<limit>.+)$")


def split_clauses(text):
    """Splits at '; ' outside parentheses."""
    parts, depth, current = [], 0, ""
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if ch == ";" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return [p for p in parts if p]


def verdict_of(text):
    found = [m.group(1) for m in VERDICT.finditer(text)]
    if not found:
        return None
    return "FAIL" if any(v.lower() == "not met" for v in found) else "pass"


def strip_verdicts(text):
    text = re.sub(r"\s*\((\*{0,2})(NOT met|not met|met)\1\)", "", text)
    text = re.sub(r"\s*[—:]\s*\*{0,2}(NOT met|not met|met)\*{0,2}\b", "", text)
    text = VERDICT.sub("", text)
    return re.sub(r"\s+", " ", text).strip(" .;,—:")


def cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def targets(section):
    """(target, measured, verdict) for every statement of the section that says 'met' or 'NOT met'."""
    rows, heading, header = [], "", None
    for line in section.splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            row = cells(stripped)
            if header is None or set(stripped) <= set("|-: "):
                header = header or row
                continue
            for i, cell in enumerate(row):
                v = verdict_of(cell)
                if v is None:
                    continue
                target = strip_verdicts(cell)
                measured = []
                for word in re.findall(r"([A-Za-z0-9]+)\s*[<>≤≥]", target):
                    for h, value in zip(header, row):
                        if h.lower().startswith(word.lower()) and h != header[i]:
                            unit = re.search(r"\(([^)]+)\)", h)
                            measured.append(f"{word} {value}{' ' + unit.group(1) if unit else ''}")
                            break
                rows.append((f"{row[0]}: {target}", ", ".join(measured) or "see the table", v))
            continue
        header = None
        if stripped.lower().startswith("target") and stripped.endswith(":") and verdict_of(stripped) is None:
            heading = re.sub(r"^Targets?\s*", "", stripped).strip(" :()")
            continue
        if verdict_of(stripped) is None:
            continue
        text = re.sub(r"^(- |Targets?( \([^)]*\))?:\s*)", "", stripped)
        name = ""
        if stripped.startswith("- ") and ": " in text:
            name, text = text.split(": ", 1)
        previous_target = None
        for clause in split_clauses(text):
            v = verdict_of(clause)
            if v is None:
                continue
            if " — " in clause:
                left, right = clause.split(" — ", 1)
                measured = strip_verdicts(right)
                comparison = COMPARISON.match(left)
                if comparison:   # "711 MB/s ≥ 300 MB/s — met (11.9× USB 2.0)": the value before the operator is measured
                    target = f"{comparison['label'].strip()} {comparison['op']} {comparison['limit']}".strip()
                    measured = comparison["value"] + (f" {measured}" if measured and len(measured) <= 60 else "")
                elif measured:
                    target = left
                elif re.search(r"\bvs\b|=", left):   # "VALUE vs PEER = R× — met": the target is the heading's
                    target, measured = heading or "target", left
                else:   # "single fit ≤ 10 ms — met": the measured value is in the section's table
                    target, measured = left, "see the section"
            else:
                target, measured = previous_target or (heading or "target"), strip_verdicts(clause)
            previous_target = target
            rows.append(((f"{name}: " if name else "") + target, measured or "see the section", v))
    return rows


sections, summary = [], []
for suite in suites:
    status_file = os.path.join(work, f"{suite}.status")
    status, seconds = (open(status_file).read().split() + ["?", "?"])[:2] if os.path.exists(status_file) else ("?", "?")
    section_file = os.path.join(work, f"{suite}.md")
    section = open(section_file).read().strip() if os.path.exists(section_file) else ""
    err = open(os.path.join(work, f"{suite}.err")).read() if os.path.exists(os.path.join(work, f"{suite}.err")) else ""
    if status != "0":
        why = f"timed out after {bound} s" if status in ("124", "137") else f"exit code {status}"
        tail = "\n".join(err.strip().splitlines()[-25:])
        section = (section + "\n\n" if section else f"## `{suite}`\n\n") + \
            f"**FAILED** ({why}, after {seconds} s). The end of its error output:\n\n```\n{tail}\n```"
        summary.append((suite, "the suite ran to its end", why, "FAILED"))
    else:
        found = targets(section)
        if not found:
            summary.append((suite, "(no target stated" + (" in a quick run)" if quick else ")"), "see the section", "—"))
        for target, measured, verdict in found:
            summary.append((suite, target, measured, verdict))
        section += f"\n\n*Suite time: {seconds} s.*"
    sections.append(section)

passed = sum(1 for r in summary if r[3] == "pass")
failed = [r for r in summary if r[3] in ("FAIL", "FAILED")]
md = []
md.append("# Performance")
md.append("")
md.append(f"Written by `{command}` — rerun it to reproduce; do not edit by hand."
          + (" **Quick smoke run: the figures are rough.**" if quick else ""))
md.append("")
md.append("| | |")
md.append("|---|---|")
md.append(f"| date | {started} |")
md.append(f"| command | `{command}` (each suite: `dotnet tests/BeamDAQ.Benchmarks/bin/Release/net10.0/beamdaq-bench.dll {'--quick ' if quick else ''}SUITE`) |")
md.append(f"| commit | {commit} |")
md.append(f"| machine | {cores} cores (`nproc`), {cpu}, {memory} memory, {os_name} |")
md.append(f"| .NET | SDK {sdk}, runtime {runtime} |")
md.append(f"| peers | {peers} |")
md.append(f"| load average (1, 5, 15 min) | {load_start} at the start, {load_end} at the end |")
md.append("")
md.append("Physical limits the figures are held against: the HS4's USB 2.0 link carries at most 60 MB/s (acquisition); "
          "reading a file can go no faster than `cat FILE > /dev/null` of the same file (offline analysis, replay). "
          "The machine is shared: the load average above says how busy it was. "
          f"Targets met: {passed} of {sum(1 for r in summary if r[3] in ('pass', 'FAIL'))}"
          + (f"; **{len(failed)} not met or failed** — see [the summary](#summary)." if failed else "; see [the summary](#summary)."))
md.append("")
md.extend(s + "\n" for s in sections)
md.append("## Summary")
md.append("")
md.append("Every target the suites state, with what they measured (as their sections give it).")
md.append("")
md.append("| suite | target | measured | result |")
md.append("|---|---|---|---|")
for suite, target, measured, verdict in summary:
    shown = {"pass": "pass", "FAIL": "**FAIL**", "FAILED": "**FAILED**"}.get(verdict, verdict)
    md.append(f"| {suite} | {target.replace('|', '/')} | {measured.replace('|', '/')} | {shown} |")
open(out, "w").write("\n".join(md).rstrip() + "\n")
print(f"bench: wrote {out}: {passed} target(s) met, {len(failed)} not met or failed", file=sys.stderr)
PY
page=$?
[ $page -eq 0 ] || { echo "bench: writing $out failed" >&2; exit 1; }
for suite in "${suites[@]}"; do
  read -r status _ <"$work/$suite.status"
  [ "$status" = 0 ] || exit 1
done
exit 0
