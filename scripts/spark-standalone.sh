#!/usr/bin/env bash
# Tries the Spark trainer on a real standalone cluster on this machine, from the jars Maven resolves (no Spark
# download): a master and two workers as separate JVMs (one core, 1 GB each), then dev.backprop.spark.SparkTrain
# submitted to them; everything is stopped at the end. Arguments go to SparkTrain; by default it trains on
# examples/data/spirals.csv and writes spirals-spark.bpm, which `./backprop evaluate` and `predict` read.
#   scripts/spark-standalone.sh
#   scripts/spark-standalone.sh --data my.csv --target y --layers 64 --epochs 20 --batch 128 --out my.bpm
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/scripts/jdk.sh"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

echo "building core and spark..." >&2
(cd "$root" && { mvn -B -q -o -pl spark -am install -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true >/dev/null 2>&1 ||
  mvn -B -q -pl spark -am install -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true; } &&
  mvn -B -q -o -pl spark dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >/dev/null)

# SPARK_HOME as a worker needs it: jars/ holding the Spark classpath (and the library's own dependencies).
home="$work/spark-home"
mkdir -p "$home/jars" "$home/conf"
tr ':' '\n' < "$work/cp.txt" | while read -r jar; do
  case "$jar" in *.jar) ln -sf "$jar" "$home/jars/" ;; esac
done
export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
read -r -a flags <<< "$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$root/spark/pom.xml") --enable-native-access=ALL-UNNAMED"
app="$root/core/target/classes:$root/spark/target/classes"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

port=$(free_port)
"$JAVA_HOME/bin/java" "${flags[@]}" -Xmx512m -cp "$home/jars/*" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$port" --webui-port "$(free_port)" > "$work/master.log" 2>&1 &
pids+=($!)
for i in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
for w in 1 2; do
  mkdir -p "$work/worker-$w"
  "$JAVA_HOME/bin/java" "${flags[@]}" -Xmx512m -cp "$home/jars/*" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --cores 1 --memory 1g --webui-port "$(free_port)" --work-dir "$work/worker-$w" \
    "spark://127.0.0.1:$port" > "$work/worker-$w.log" 2>&1 &
  pids+=($!)
done
echo "master spark://127.0.0.1:$port and two workers started; submitting..." >&2

if [ $# -eq 0 ]; then
  set -- --data "$root/examples/data/spirals.csv" --target class --task classify --partitions 2 --layers 32,32 \
         --lr 0.01 --batch 32 --epochs 30 --out spirals-spark.bpm
fi
"$JAVA_HOME/bin/java" "${flags[@]}" -Xmx1g -Dlog4j2.configurationFile="$root/spark/src/test/resources/log4j2-test.properties" \
  -Dspark.master="spark://127.0.0.1:$port" -Dspark.app.name=backprop -Dspark.ui.enabled=false \
  -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 -Dspark.cores.max=2 -Dspark.executor.cores=1 \
  -Dspark.executor.memory=512m -Dspark.executor.extraClassPath="$app" -Dspark.executor.extraJavaOptions="${flags[*]}" \
  -cp "$app:$home/jars/*" dev.backprop.spark.SparkTrain "$@"
