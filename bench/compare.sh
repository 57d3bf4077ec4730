#!/usr/bin/env bash
# Runs the workloads of `backprop bench --workload` in backprop and in PyTorch (bench/pytorch/workloads.py), each
# setting in several processes of its own ("starts", default 3), and prints both side by side: the median of the
# starts, their spread (slowest / fastest) and the ratio of the medians.
#
#   bench/compare.sh                                 # every workload, threads 1 and 2, 3 starts each
#   bench/compare.sh --threads 2 --workloads "wide-mlp tiny-sigmoid"
#   bench/compare.sh --workloads fashion-mlp --batch-sizes "64 128 256" --starts 5
#   bench/compare.sh --out results/                  # also keep every start's JSON line there
#   bench/compare.sh --starts 3 --wait-idle 120      # shared machine: each start waits for an idle CPU
#
# Why starts: a JVM's speed can differ from one start to the next (JIT decisions, memory placement), and a user
# restarts; a median of starts is what one should expect, and the spread says how far a start can fall from it.
# The starts are interleaved (start 1 of every setting, then start 2, ...), so that a slow spell of a shared host
# lands on both programs rather than on one.
#
# PyTorch is for comparison only: Debian's python3-torch (apt-get install python3-torch), with libopenblas0-pthread
# installed so that it calls an optimised BLAS rather than the reference one. Without torch, only backprop runs.
# OPENBLAS_CORETYPE is passed through unchanged to both programs; set it (e.g. Haswell) to pin the kernels both
# OpenBLAS builds pick. Ratios are "backprop is N times better": speed / PyTorch's speed, or PyTorch's latency /
# backprop's, both medians; "vs PyTorch best" compares with PyTorch's median at its fastest thread setting of those
# run, which includes one torch thread with its BLAS on the largest thread count (often PyTorch's fastest on 2 cores).
# --wait-idle S waits up to S seconds before each start for a second in which the CPUs are less than 15% busy, so
# that a build or test run of someone else's does not land in a measurement (a note says when it gave up).
# --rounds N is the older name of --starts N.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

threads="1 2"
workloads="fashion-mlp tiny-sigmoid wide-mlp infer-latency"
batch_sizes=""
epochs=""
out=""
starts=3
wait_idle=0
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --workloads) workloads="$2"; shift 2 ;;
    --batch-sizes) batch_sizes="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --starts|--rounds) starts="$2"; shift 2 ;;
    --wait-idle) wait_idle="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

python=""
for p in ${PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import torch' >/dev/null 2>&1; then python="$p"; break; fi
done
[ -n "$python" ] || echo "compare.sh: no Python with torch found (apt-get install python3-torch); backprop only" >&2
formatter=python3
[ -n "$python" ] && formatter="$python"

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
"$root/backprop" bench --help >/dev/null   # build the jar first, so that no build overlaps a measurement

busy_percent() { # CPU busy over the next second, from /proc/stat
  local a b
  read -r -a a < <(head -1 /proc/stat)
  sleep 1
  read -r -a b < <(head -1 /proc/stat)
  local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

busy_starts=0
wait_for_idle() {
  [ "$wait_idle" -gt 0 ] || return 0
  local deadline=$(( SECONDS + wait_idle ))
  while [ "$(busy_percent)" -ge 15 ]; do
    if [ $SECONDS -ge "$deadline" ]; then busy_starts=$(( busy_starts + 1 )); return 0; fi
  done
}

run() { # program workload threads extra-args...
  local program=$1 workload=$2 t=$3
  shift 3
  wait_for_idle
  if [ "$program" = backprop ]; then
    "$root/backprop" bench --workload "$workload" --threads "$t" --json "$@" >>"$results/backprop.jsonl"
  else
    "$python" "$root/bench/pytorch/workloads.py" --workload "$workload" --threads "$t" --json "$@" \
      >>"$results/pytorch.jsonl"
  fi
}

header="$(date -u +%FT%TZ), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),\
 OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# PyTorch's fastest setting on 2 cores is often one torch thread with its BLAS on all of them: run that too.
max_threads=1
for t in $threads; do [ "$t" -gt "$max_threads" ] && max_threads=$t; done
for start in $(seq "$starts"); do
for t in $threads; do
  for w in $workloads; do
    if [ "$w" = fashion-mlp ] && [ -n "$batch_sizes" ]; then
      for b in $batch_sizes; do
        extra=(--batch-size "$b")
        [ -n "$epochs" ] && extra+=(--epochs "$epochs")
        run backprop "$w" "$t" "${extra[@]}"
        [ -n "$python" ] && run pytorch "$w" "$t" "${extra[@]}"
        [ -n "$python" ] && [ "$t" = 1 ] && [ "$max_threads" -gt 1 ] &&
          run pytorch "$w" 1 --blas-threads "$max_threads" "${extra[@]}"
      done
    else
      extra=()
      [ "$w" = fashion-mlp ] && [ -n "$epochs" ] && extra+=(--epochs "$epochs")
      run backprop "$w" "$t" ${extra[@]+"${extra[@]}"}
      [ -n "$python" ] && run pytorch "$w" "$t" ${extra[@]+"${extra[@]}"}
      [ -n "$python" ] && [ "$t" = 1 ] && [ "$max_threads" -gt 1 ] &&
        run pytorch "$w" 1 --blas-threads "$max_threads" ${extra[@]+"${extra[@]}"}
    fi
  done
done
done
[ -n "$out" ] && mkdir -p "$out" && cp "$results"/*.jsonl "$out"/
touch "$results/pytorch.jsonl"
echo "$header, after: $(cut -d' ' -f1-3 /proc/loadavg); starts: $starts of each setting (median, spread = slowest / fastest)"
[ "$busy_starts" -gt 0 ] && echo "note: $busy_starts runs started on a busy CPU (--wait-idle $wait_idle ran out)"
echo

"$formatter" - "$results/backprop.jsonl" "$results/pytorch.jsonl" <<'PY'
import json, statistics, sys

def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]

PRIMARY = [("samples_per_s", True), ("steps_per_s", True), ("p50_us", False)]

def primary(r):
    return next((m, h) for m, h in PRIMARY if m in r)

def median_of_starts(records):
    """One summary per (workload, batch, threads, BLAS threads): every metric's median over the starts, and the
    primary metric's spread (slowest / fastest start) and start count."""
    groups = {}
    for r in records:
        groups.setdefault((r["workload"], r.get("batch_size"), r["threads"], r.get("blas_threads")), []).append(r)
    out = []
    for rs in groups.values():
        m = dict(rs[0])
        for k in rs[0]:
            values = [r[k] for r in rs if k in r]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                m[k] = statistics.median(values)
            elif all(isinstance(v, list) for v in values) and len({len(v) for v in values}) == 1:
                m[k] = [statistics.median(col) for col in zip(*values)]
        metric, higher = primary(m)
        values = [r[metric] for r in rs]
        m["_spread"] = max(values) / min(values) if min(values) > 0 else float("nan")
        m["_starts"] = len(rs)
        out.append(m)
    return out

ours, theirs = median_of_starts(load(sys.argv[1])), median_of_starts(load(sys.argv[2]))
# (key, higher is better, label)
METRICS = [("samples_per_s", True, "samples/s"), ("epoch_samples_per_s", True, "samples/s by epoch"),
           ("steps_per_s", True, "steps/s"), ("gflops", True, "GFLOP/s"), ("sgemm_gflops", True, "sgemm GFLOP/s"),
           ("p50_us", False, "p50 µs"), ("p90_us", False, "p90 µs"), ("test_accuracy", True, "test accuracy"),
           ("peak_rss_mb", False, "peak RSS MiB"), ("gc_ms", False, "GC ms"), ("allocated_kb_per_step", False, "alloc KiB/step")]
NO_RATIO = ("test_accuracy", "epoch_samples_per_s", "peak_rss_mb", "gc_ms", "allocated_kb_per_step")

def key(r):
    return (r["workload"], r.get("batch_size") if r["workload"] == "fashion-mlp" else None)

def fmt(v):
    if v is None:
        return "–"
    if isinstance(v, list):
        return " / ".join(fmt(x) for x in v)
    if abs(v) >= 1000 or v == 0:
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:.4g}"
    return f"{v:.4f}"

def ratio(a, b, higher):
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or not a or not b:
        return "–"
    return f"{(a / b if higher else b / a):.2f}×"

def with_spread(r, k):
    if r is None or k not in r:
        return "–"
    return fmt(r[k]) + (f" ({r['_spread']:.2f}×)" if k == primary(r)[0] and r["_starts"] > 1 else "")

print("Medians of the starts; in brackets, the spread of the main metric (slowest start / fastest).")
print()
print("| workload | threads | metric | backprop | PyTorch | ratio | vs PyTorch best |")
print("|---|---|---|---|---|---|---|")
for r in ours:
    p = next((x for x in theirs if key(x) == key(r) and x["threads"] == r["threads"] and "blas_threads" not in x), None)
    same = [x for x in theirs if key(x) == key(r)]
    name = r["workload"] + (f" (batch {r['batch_size']})" if r["workload"] == "fashion-mlp" else "")
    for k, higher, label in METRICS:
        if k not in r and (p is None or k not in p):
            continue
        a, b = r.get(k), (p or {}).get(k)
        best = "–"
        if same and k not in NO_RATIO:
            values = [x[k] for x in same if isinstance(x.get(k), (int, float))]
            if values:
                best = ratio(a, max(values) if higher else min(values), higher)
        show = k not in NO_RATIO
        print(f"| {name} | {r['threads']} | {label} | {with_spread(r, k)} | {with_spread(p, k)} | "
              f"{ratio(a, b, higher) if show else '–'} | {best} |")
mixed = [x for x in theirs if "blas_threads" in x]
if mixed:
    print()
    print("PyTorch with 1 thread of its own and its BLAS on more (included in \"vs PyTorch best\"):")
    for x in mixed:
        metric, higher = primary(x)
        name = x["workload"] + (f" (batch {x['batch_size']})" if x["workload"] == "fashion-mlp" else "")
        extra = f", by epoch {fmt(x['epoch_samples_per_s'])}" if "epoch_samples_per_s" in x else ""
        print(f"- {name}, BLAS threads {x['blas_threads']}: {metric} {with_spread(x, metric)}{extra}")
kinds = sorted({r.get("kernels", "?") for r in ours} | {r.get("kernels", "?") for r in theirs})
print()
for k in kinds:
    print(f"- {k}")
PY
