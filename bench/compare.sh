#!/usr/bin/env bash
# Runs the workloads of `backprop bench --workload` in backprop and in PyTorch (bench/pytorch/workloads.py), one
# process per workload, program and thread count, one after the other, and prints both side by side with ratios.
#
#   bench/compare.sh                                 # every workload, threads 1 and 2
#   bench/compare.sh --threads 2 --workloads "wide-mlp tiny-sigmoid"
#   bench/compare.sh --workloads fashion-mlp --batch-sizes "16 64 128 256 1024" --epochs 1
#   bench/compare.sh --out results/                  # also keep the JSON lines there
#   bench/compare.sh --rounds 2 --wait-idle 120      # shared machine: best of 2 rounds, each run on an idle CPU
#
# PyTorch is for comparison only: Debian's python3-torch (apt-get install python3-torch), with libopenblas0-pthread
# installed so that it calls an optimised BLAS rather than the reference one. Without torch, only backprop runs.
# OPENBLAS_CORETYPE is passed through unchanged to both programs; set it (e.g. Haswell) to pin the kernels both
# OpenBLAS builds pick. Ratios are "backprop is N times better": speed / PyTorch's speed, or PyTorch's latency /
# backprop's; "best" compares with PyTorch at its fastest thread setting of those run, which includes one torch
# thread with its BLAS on the largest thread count (often PyTorch's fastest on 2 cores). With --rounds N every run is
# repeated N times (rounds interleaved) and the fastest of each is shown: disturbances only ever add time.
# --wait-idle S waits up to S seconds before each run for a second in which the CPUs are less than 15% busy, so
# that a build or test run of someone else's does not land in a measurement (a note says when it gave up).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

threads="1 2"
workloads="fashion-mlp tiny-sigmoid wide-mlp infer-latency"
batch_sizes=""
epochs=""
out=""
rounds=1
wait_idle=0
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --workloads) workloads="$2"; shift 2 ;;
    --batch-sizes) batch_sizes="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
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
for round in $(seq "$rounds"); do
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
echo "$header, after: $(cut -d' ' -f1-3 /proc/loadavg); rounds: $rounds"
[ "$busy_starts" -gt 0 ] && echo "note: $busy_starts runs started on a busy CPU (--wait-idle $wait_idle ran out)"
echo

"$formatter" - "$results/backprop.jsonl" "$results/pytorch.jsonl" <<'PY'
import json, sys

def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]

PRIMARY = [("samples_per_s", True), ("steps_per_s", True), ("p50_us", False)]

def best_of_rounds(records):
    """One record per (workload, batch, threads): the fastest by the workload's primary metric."""
    best = {}
    for r in records:
        k = (r["workload"], r.get("batch_size"), r["threads"], r.get("blas_threads"))
        metric, higher = next((m, h) for m, h in PRIMARY if m in r)
        if k not in best or (r[metric] > best[k][metric] if higher else r[metric] < best[k][metric]):
            best[k] = r
    return list(best.values())

ours, theirs = best_of_rounds(load(sys.argv[1])), best_of_rounds(load(sys.argv[2]))
# (key, higher is better, label)
METRICS = [("samples_per_s", True, "samples/s"), ("epoch_samples_per_s", True, "samples/s by epoch"),
           ("steps_per_s", True, "steps/s"), ("gflops", True, "GFLOP/s"), ("sgemm_gflops", True, "sgemm GFLOP/s"),
           ("p50_us", False, "p50 µs"), ("p90_us", False, "p90 µs"), ("test_accuracy", True, "test accuracy"),
           ("peak_rss_mb", False, "peak RSS MiB"), ("gc_ms", False, "GC ms"), ("allocated_kb_per_step", False, "alloc KiB/step")]

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
        if same and k not in ("peak_rss_mb", "gc_ms", "allocated_kb_per_step", "test_accuracy", "epoch_samples_per_s"):
            values = [x[k] for x in same if isinstance(x.get(k), (int, float))]
            if values:
                best = ratio(a, max(values) if higher else min(values), higher)
        show = k not in ("test_accuracy", "epoch_samples_per_s", "peak_rss_mb", "gc_ms", "allocated_kb_per_step")
        print(f"| {name} | {r['threads']} | {label} | {fmt(a)} | {fmt(b)} | {ratio(a, b, higher) if show else '–'} | {best} |")
mixed = [x for x in theirs if "blas_threads" in x]
if mixed:
    print()
    print("PyTorch with 1 thread of its own and its BLAS on more (included in \"vs PyTorch best\"):")
    for x in mixed:
        metric, higher = next((m, h) for m, h in PRIMARY if m in x)
        name = x["workload"] + (f" (batch {x['batch_size']})" if x["workload"] == "fashion-mlp" else "")
        extra = f", by epoch {fmt(x['epoch_samples_per_s'])}" if "epoch_samples_per_s" in x else ""
        print(f"- {name}, BLAS threads {x['blas_threads']}: {metric} {fmt(x[metric])}{extra}")
kinds = sorted({r.get("kernels", "?") for r in ours} | {r.get("kernels", "?") for r in theirs})
print()
for k in kinds:
    print(f"- {k}")
PY
