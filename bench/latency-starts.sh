#!/usr/bin/env bash
# infer-latency across JVM starts: runs `backprop bench --workload infer-latency` N times (default 20), each in a JVM
# of its own, and prints every start's p50 and then the median, the spread (slowest / fastest) and how many starts
# were more than 15% above the median. Extra JVM options go through BACKPROP_JAVA_OPTS, e.g.
#
#   bench/latency-starts.sh                                   # 20 starts, 2 product threads
#   bench/latency-starts.sh --starts 20 --threads 1
#   BACKPROP_JAVA_OPTS=-XX:ObjectAlignmentInBytes=64 bench/latency-starts.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
starts=20
threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --starts) starts="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "latency-starts.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
"$root/backprop" bench --help >/dev/null   # build first, so that no build overlaps a start
values=()
for i in $(seq 1 "$starts"); do
  p50=$("$root/backprop" bench --workload infer-latency --threads "$threads" --json \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["p50_us"])')
  values+=("$p50")
  printf 'start %2d: p50 %s us\n' "$i" "$p50"
done
printf '%s\n' "${values[@]}" | python3 -c '
import sys, statistics
v = [float(x) for x in sys.stdin]
m = statistics.median(v)
slow = sum(1 for x in v if x > 1.15 * m)
print(f"{len(v)} starts: median p50 {m:.2f} us, fastest {min(v):.2f}, slowest {max(v):.2f}, spread {max(v)/min(v):.2f}x, "
      f"{slow} start(s) more than 15% above the median")'
