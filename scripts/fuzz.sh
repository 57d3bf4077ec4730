#!/usr/bin/env bash
# Fuzzes every parser of outside input (dev.backprop.fuzz.ParserFuzzTest, and the ONNX importer's
# dev.backprop.onnx.OnnxFuzzTest) with Jazzer: first replays the seed corpus
# of each target (src/test/resources/dev/backprop/fuzz/ParserFuzzTestInputs/), then fuzzes each target, one per Maven
# run (Jazzer fuzzes one target per JVM), for FUZZ_SECONDS seconds each (default 45). A finding fails the run and
# leaves the input beside the corpus (crash-<sha1>) to reproduce it: mvn -pl core test -Pfuzz replays it.
#   scripts/fuzz.sh                 # all targets
#   FUZZ_SECONDS=300 scripts/fuzz.sh csvTable modelFile
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/scripts/jdk.sh"
cd "$root"
seconds="${FUZZ_SECONDS:-45}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(modelFile networkSpec csvTable idxFile encoderForm checkpointState onnxModel)
# Where each target lives: core's ParserFuzzTest, but for the ONNX importer's target, in the onnx module.
module_of() { case "$1" in onnxModel) echo onnx;; *) echo core;; esac; }
class_of() { case "$1" in onnxModel) echo OnnxFuzzTest;; *) echo ParserFuzzTest;; esac; }
# Maven itself (guava) touches sun.misc.Unsafe: allowed, so that JDK 25 does not warn on every run.
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}"
mvn -B -q -o -pl core,onnx -am install -DskipTests 2>/dev/null || mvn -B -q -pl core,onnx -am install -DskipTests
echo "fuzz: replaying the seed corpus of every target" >&2
mvn -B -q -o -pl core,onnx test -Pfuzz
for t in "${targets[@]}"; do
  echo "fuzz: $t for ${seconds} s" >&2
  log=$(mktemp)
  if ! JAZZER_FUZZ=1 mvn -B -o -pl "$(module_of "$t")" test -Pfuzz -Dtest="$(class_of "$t")#$t" -Djazzer.max_duration="${seconds}s" >"$log" 2>&1; then
    grep -vE '^INFO: Instrumented' "$log" | tail -80 >&2
    rm -f "$log"
    echo "fuzz: $t found a failing input (above)" >&2
    exit 1
  fi
  grep -E '^Done [0-9]+ runs' "$log" | sed "s/^/fuzz: $t: /" >&2 || true
  rm -f "$log"
done
