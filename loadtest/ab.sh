#!/usr/bin/env bash
# A/B of two gateway builds on the non-streamed path: the same mock, the same pinning (servers on CPU 1, wrk on
# CPU 0), interleaved runs (A, B, A, B) so that machine noise hits both alike. Reports req/s and the gateway's own CPU
# per request (user+system ticks from /proc), after a 35 s warm-up per run.
#
#   loadtest/ab.sh A_JAR A_CONF B_JAR B_CONF
# AB_ENV_A / AB_ENV_B: extra NAME=VALUE words for one side's gateway (e.g. AB_ENV_B="TIERGATE_CLIENT_KEYS=bench-key");
# BENCH_KEY: sent by wrk as the bearer key (harmless to a side without client auth).
# e.g. git worktree add /tmp/old <commit> && (cd /tmp/old && mvn -q package -DskipTests)
#      loadtest/ab.sh /tmp/old/target/tiergate.jar /tmp/old/conf/tiergate.json target/tiergate.jar conf/tiergate.json
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# == 4 ]] || { echo "usage: $0 A_JAR A_CONF B_JAR B_CONF" >&2; exit 2; }
JAVA=${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
MOCK_PORT=19601
taskset -c 1 "$JAVA" -Xms256m -Xmx512m -cp "$3" loadtest/MockUpstream.java $MOCK_PORT >/tmp/ab-mock.log 2>&1 &
MOCK=$!
trap 'kill $MOCK 2>/dev/null || true' EXIT
sleep 8
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
run() {
  local label=$1 jar=$2 conf=$3 port=$4 extra
  if [[ $label == A ]]; then extra=${AB_ENV_A:-}; else extra=${AB_ENV_B:-}; fi
  # shellcheck disable=SC2086 # extra is a list of NAME=VALUE words
  env -u DATABASE_URL -u TIERGATE_CLIENT_KEYS $extra TIERGATE_HTTP_PORT="$port" TIERGATE_HTTP_HOST=127.0.0.1 \
    TIERGATE_ADMIN_PORT=$((port + 1)) OPENAI_BASE_URL=http://127.0.0.1:$MOCK_PORT/v1 OPENAI_API_KEY=bench-key \
    TIERGATE_ALLOW_PRIVATE_UPSTREAMS=openai \
    taskset -c 1 "$JAVA" -jar "$jar" --conf "$conf" >"/tmp/ab-$label.log" 2>&1 &
  local pid=$!
  sleep 6
  taskset -c 0 wrk -t1 -c64 -d35s -s loadtest/chat.lua "http://127.0.0.1:$port/v1/chat/completions" >/dev/null
  local before out after reqs
  before=$(ticks $pid)
  out=$(taskset -c 0 wrk -t1 -c64 -d15s -s loadtest/chat.lua "http://127.0.0.1:$port/v1/chat/completions")
  after=$(ticks $pid)
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  echo "$label: $(awk '/Requests\/sec/ {print $2}' <<<"$out") req/s, $(( (after - before) * 10000 * 1000 / reqs )) ns CPU per request"
  kill $pid
  wait $pid 2>/dev/null || true
}
run A "$1" "$2" 19610
run B "$3" "$4" 19620
run A "$1" "$2" 19630
run B "$3" "$4" 19640
