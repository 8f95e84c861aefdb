#!/usr/bin/env bash
# Gatling scenarios for Tiergate (issue 9): one command per scenario. Starts the mock upstream, nginx (the reference
# reverse proxy) and the gateway, runs the same Gatling load against the mock directly, nginx and the gateway in turn,
# and appends a results block to loadtest/RESULTS.md. See loadtest/README.md, "Gatling scenarios".
#
#   loadtest/gatling.sh streams10k    10,000 concurrent SSE streams (20 chunks, 50 ms apart) held
#   loadtest/gatling.sh steady        non-streamed completions at half the measured maximum rate
#   loadtest/gatling.sh overload      2x capacity against a gateway with a small http.limits.maxInFlight
#   loadtest/gatling.sh canary        haiku traffic split local/cloud by the canary (stage 50), session keys
#   loadtest/gatling.sh anthropic     Anthropic /v1/messages streams
#   loadtest/gatling.sh streaming     OpenAI streams, open injection rising in steps
#
# Knobs (environment, defaults in brackets):
#   GATLING_JAR [target/tiergate.jar]  the gateway jar (also the classpath of the mock); never built by this script
#   GATLING_SMOKE [0]      1 = a short check run: the block in RESULTS.md is marked "smoke"
#   GATLING_DURATION [60]  s of steady load per target   GATLING_RAMP [20] s of ramp before it
#   GATLING_STREAMS [10000] concurrent streams (streams10k)   GATLING_CHUNKS [20]   GATLING_GAP_MS [50]
#   GATLING_MAX_RATE []    steady: the maximum req/s (else measured with wrk against the gateway)
#   GATLING_RATE []        canary / anthropic / steady: arrival rate per second
#   GATLING_MAX_IN_FLIGHT [200]  overload: the gateway's http.limits.maxInFlight
#   GATLING_TARGETS [direct nginx gateway]   GATLING_HEAP [3g] heap of the Gatling JVM
#   GATLING_PIN [1] load generators on CPU 0, servers on the other CPUs (taskset), as loadtest/bench.sh does
#   GATLING_OFFLINE [0] 1 = mvn -o (dependencies already in ~/.m2)   GATLING_RESULTS [loadtest/RESULTS.md]
#   GATLING_GATEWAY_JAVA_OPTS []   GATLING_KEEP_TMP [0]
#   GATLING_EXTRA [] more -D options for every Gatling run (e.g. "-DtimeoutS=60")
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SCENARIO=${1:-}
case $SCENARIO in
  streams10k | steady | overload | canary | anthropic | streaming) ;;
  *) sed -n '2,30p' "$0" >&2; exit 2 ;;
esac
COMMAND_LINE="$( (env | grep -E '^GATLING_' || true) | sort | tr '\n' ' ')loadtest/gatling.sh $SCENARIO"

SMOKE=${GATLING_SMOKE:-0}
DURATION=${GATLING_DURATION:-60}
RAMP=${GATLING_RAMP:-20}
STREAMS=${GATLING_STREAMS:-10000}
CHUNKS=${GATLING_CHUNKS:-20}
GAP_MS=${GATLING_GAP_MS:-50}
HEAP=${GATLING_HEAP:-3g}
RESULTS=${GATLING_RESULTS:-$ROOT/loadtest/RESULTS.md}
JAR=${GATLING_JAR:-$ROOT/target/tiergate.jar}
MAX_IN_FLIGHT=${GATLING_MAX_IN_FLIGHT:-200}
read -r -a TARGETS <<<"${GATLING_TARGETS:-direct nginx gateway}"
GDIR=$ROOT/loadtest/gatling
MVN_FLAGS=(-q -B)
[[ ${GATLING_OFFLINE:-0} == 1 ]] && MVN_FLAGS+=(-o)

log() { printf '[gatling %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
cpu_busy_pct() { # CPU busy % of the whole machine over 1 s
  local a b
  a=($(head -1 /proc/stat)); sleep 1; b=($(head -1 /proc/stat))
  awk -v u="$((b[1] - a[1] + b[2] - a[2] + b[3] - a[3] + b[6] - a[6] + b[7] - a[7] + b[8] - a[8]))" \
    -v i="$((b[4] - a[4] + b[5] - a[5]))" 'BEGIN { printf "%.0f\n", ((u + i) > 0 ? 100 * u / (u + i) : 0) }'
}

# ---------------------------------------------------------------- cleanup: every process started here, by PID
PIDS=()
TMP=$(mktemp -d /tmp/tiergate-gatling.XXXXXX)
chmod 755 "$TMP"
cleanup() {
  local rc=$? i pid
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[i]}
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ $rc -ne 0 || ${GATLING_KEEP_TMP:-0} == 1 ]]; then log "logs kept in $TMP"; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "FAILED: line $LINENO: $BASH_COMMAND (exit status $?)"' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- tools and limits
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if [[ -z ${JAVA_HOME:-} || ! -x $JAVA_HOME/bin/java || $(java_major "$JAVA_HOME/bin/java") -lt 21 ]]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
for t in nginx curl jq mvn wrk taskset; do command -v "$t" >/dev/null || [[ $t == nginx && -x /usr/sbin/nginx ]] \
  || die "missing $t (e.g. apt-get install -y nginx curl jq maven wrk util-linux)"; done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -f $JAR ]] || die "gateway jar $JAR not found (mvn -q package -DskipTests in the main project, or set GATLING_JAR)"

# Every open stream through a proxy costs it two descriptors (client and upstream); raise the limit as far as allowed.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE=$(ulimit -n)
LIMIT_NOTE=""
if [[ $SCENARIO == streams10k && $NOFILE != unlimited ]] && ((STREAMS * 2 + 1024 > NOFILE)); then
  fit=$(((NOFILE - 1024) / 2))
  LIMIT_NOTE="open-file limit $NOFILE (hard limit of this machine, not raisable here) allows at most ~$fit streams through a proxy (2 descriptors each): ran $fit instead of $STREAMS"
  log "WARNING: $LIMIT_NOTE"
  STREAMS=$fit
fi

# ---------------------------------------------------------------- CPU placement (as loadtest/bench.sh)
NPROC=$(nproc)
if [[ ${GATLING_PIN:-1} == 1 && $NPROC -ge 2 ]]; then
  LOAD_CPUS=0; SERVER_CPUS="1-$((NPROC - 1))"; SERVER_NCPU=$((NPROC - 1))
  PLACEMENT="Gatling (and wrk) pinned to CPU $LOAD_CPUS; mock, nginx and Tiergate pinned to CPU(s) $SERVER_CPUS (taskset), identically for every target"
else
  LOAD_CPUS="0-$((NPROC - 1))"; SERVER_CPUS=$LOAD_CPUS; SERVER_NCPU=$NPROC
  PLACEMENT="no pinning: load generators and servers share all $NPROC CPUs"
fi

# ---------------------------------------------------------------- ports and helpers
declare -A TAKEN=()
PORT=""
# Ports below the ephemeral range (ip_local_port_range): thousands of client connections (and their TIME_WAIT)
# occupy ephemeral ports, and a listener cannot bind a port that an outgoing connection uses.
EPHEMERAL_LOW=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
free_port() {
  local p lo=10000 hi=$((EPHEMERAL_LOW > 12000 ? EPHEMERAL_LOW - 1 : 30000))
  for _ in $(seq 1 200); do
    p=$((lo + RANDOM % (hi - lo)))
    [[ -n ${TAKEN[$p]:-} ]] && continue
    if ss -Htan "( sport = :$p or dport = :$p )" 2>/dev/null | grep -q .; then continue; fi
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then TAKEN[$p]=1; PORT=$p; return; fi
  done
  die "no free port"
}
wait_for() { # NAME PID SECONDS COMMAND...
  local name=$1 pid=$2 secs=$3
  shift 3
  local deadline=$((SECONDS + secs))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$TMP/$name.log" >&2 || true; die "$name exited during startup"; }
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  tail -n 30 "$TMP/$name.log" >&2 || true
  die "$name not ready after ${secs}s"
}
http_ok() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@") == 200 ]]; }
SMALL_BODY='{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}'

free_port; MOCK_PORT=$PORT
free_port; NGINX_PORT=$PORT
free_port; GW_PORT=$PORT
free_port; GW_ADMIN_PORT=$PORT
declare -A URL=([direct]=http://127.0.0.1:$MOCK_PORT [nginx]=http://127.0.0.1:$NGINX_PORT [gateway]=http://127.0.0.1:$GW_PORT)

BUSY_BEFORE=$(cpu_busy_pct)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
((BUSY_BEFORE > 15)) && log "WARNING: the machine is not idle ($BUSY_BEFORE% CPU busy, load $LOAD_BEFORE); figures will be noisy"

# ---------------------------------------------------------------- compile the simulations (before any server runs)
log "compiling the Gatling project (loadtest/gatling)"
(cd "$GDIR" && mvn "${MVN_FLAGS[@]}" test-compile) >"$TMP/mvn-compile.log" 2>&1 \
  || { tail -n 40 "$TMP/mvn-compile.log" >&2; die "Gatling project does not compile"; }

# ---------------------------------------------------------------- servers
log "mock on :$MOCK_PORT"
taskset -c "$SERVER_CPUS" java -Xms256m -Xmx1g -cp "$JAR" loadtest/MockUpstream.java "$MOCK_PORT" >"$TMP/mock.log" 2>&1 &
MOCK_PID=$!
PIDS+=("$MOCK_PID")
wait_for mock "$MOCK_PID" 90 grep -q "mock listening on $MOCK_PORT" "$TMP/mock.log"

start_nginx() {
  log "nginx on :$NGINX_PORT"
  local ngx=$TMP/nginx
  mkdir -p "$ngx"
  # the shared template, with room for 10k streams (2 connections each) per worker
  sed -e "s|@WORKERS@|$SERVER_NCPU|g" -e "s|@PREFIX@|$ngx|g" -e "s|@LISTEN_PORT@|$NGINX_PORT|g" \
    -e "s|@MOCK_PORT@|$MOCK_PORT|g" -e "s|worker_rlimit_nofile [0-9]*;|worker_rlimit_nofile $NOFILE;|" \
    -e "s|worker_connections [0-9]*;|worker_connections $(((NOFILE - 64) / 1));|" \
    loadtest/nginx.conf.template >"$ngx/nginx.conf"
  "$NGINX" -t -q -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/error.log" >"$TMP/nginx.log" 2>&1 \
    || { cat "$TMP/nginx.log" >&2; die "nginx config test failed"; }
  taskset -c "$SERVER_CPUS" "$NGINX" -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/error.log" -g 'daemon off;' >>"$TMP/nginx.log" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  wait_for nginx "$NGINX_PID" 20 http_ok -X POST -H 'content-type: application/json' -d "$SMALL_BODY" "${URL[nginx]}/v1/chat/completions"
}

GW_PID=""
GW_CONF=conf/tiergate.json
start_gateway() { # [OVERLAY_JSON]
  if [[ -n ${1:-} ]]; then
    GW_CONF=$TMP/conf-$(basename "$1")
    jq -s '.[0] * .[1] | del(._comment)' conf/tiergate.json "$1" >"$GW_CONF"
  fi
  log "Tiergate on :$GW_PORT (admin :$GW_ADMIN_PORT), jar $JAR, conf $GW_CONF${1:+ (conf/tiergate.json + $1)}"
  local extra=()
  [[ $SCENARIO == canary ]] && extra+=(USE_LOCAL_LLM=true)
  # shellcheck disable=SC2086
  env -u DATABASE_URL -u TIERGATE_CLIENT_KEYS -u USE_LOCAL_LLM -u TIERGATE_CONF "${extra[@]}" \
    TIERGATE_HTTP_PORT="$GW_PORT" TIERGATE_HTTP_HOST=127.0.0.1 \
    TIERGATE_ADMIN_PORT="$GW_ADMIN_PORT" TIERGATE_ADMIN_HOST=127.0.0.1 \
    OPENAI_BASE_URL="http://127.0.0.1:$MOCK_PORT/v1" OPENAI_API_KEY=bench-key \
    ANTHROPIC_BASE_URL="http://127.0.0.1:$MOCK_PORT" ANTHROPIC_API_KEY=bench-key \
    OLLAMA_BASE_URL="http://127.0.0.1:$MOCK_PORT" TIERGATE_ALLOW_PRIVATE_UPSTREAMS='*' \
    taskset -c "$SERVER_CPUS" java ${GATLING_GATEWAY_JAVA_OPTS:-} -jar "$JAR" --conf "$GW_CONF" >"$TMP/gateway.log" 2>&1 &
  GW_PID=$!
  PIDS+=("$GW_PID")
  wait_for gateway "$GW_PID" 90 http_ok "${URL[gateway]}/healthz"
  local code
  code=$(curl -s -o "$TMP/probe.json" -w '%{http_code}' --max-time 10 -X POST -H 'content-type: application/json' \
    -d "$SMALL_BODY" "${URL[gateway]}/v1/chat/completions" || true)
  [[ $code == 200 ]] || die "gateway does not proxy to the mock: HTTP $code $(head -c 300 "$TMP/probe.json")"
}
stop_gateway() {
  [[ -n $GW_PID ]] || return 0
  kill -TERM "$GW_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$GW_PID" 2>/dev/null || true
  wait "$GW_PID" 2>/dev/null || true
  GW_PID=""
}
gw_status() { awk -v f="$1:" '$1 == f {printf "%.0f", $2 / 1024}' "/proc/$GW_PID/status"; } # MiB
gw_threads() { awk '$1 == "Threads:" {print $2}' "/proc/$GW_PID/status"; }
cpu_ticks() { # user+system ticks of a process and its direct children (nginx workers)
  local t=0 p
  for p in "$1" $(pgrep -P "$1" || true); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$t"
}

# ---------------------------------------------------------------- Gatling runs
# run_gatling KEY SIMULATION URL -Dname=value...: metrics JSON in $TMP/KEY.json, Gatling's stats in $TMP/KEY.stats.json
run_gatling() {
  local key=$1 sim=$2 url=$3
  shift 3
  log "Gatling $sim → $key ($url) $*"
  local t0=$SECONDS server_pid="" ticks0=0
  case $key in direct*) server_pid=$MOCK_PID ;; nginx*) server_pid=$NGINX_PID ;; gateway*) server_pid=$GW_PID ;; esac
  [[ -n $server_pid ]] && ticks0=$(cpu_ticks "$server_pid")
  # shellcheck disable=SC2086
  (cd "$GDIR" && taskset -c "$LOAD_CPUS" mvn "${MVN_FLAGS[@]}" -o gatling:test \
    -Dgatling.simulationClass="tiergate.load.$sim" -DbaseUrl="$url" -Dlabel="$key" -DmetricsFile="$TMP/$key.json" \
    -Dgatling.heap="$HEAP" -Dchunks="$CHUNKS" -DgapMs="$GAP_MS" -DdurationS="$DURATION" -DrampS="$RAMP" \
    ${GATLING_EXTRA:-} "$@") >"$TMP/$key.gatling.log" 2>&1 \
    || log "WARNING: Gatling exited with an error for $key (see $TMP/$key.gatling.log)"
  [[ -n $server_pid ]] && echo $(($(cpu_ticks "$server_pid") - ticks0)) >"$TMP/$key.ticks"
  echo $((SECONDS - t0)) >"$TMP/$key.secs"
  # Gatling 3.15 writes no stats.json: take its closing "Global Information" table from the console output
  awk -F'|' '
    /---- Global Information/ { g = 1 }
    g && /> request count/ { t = $2; o = $3; k = $4 }
    g && /50th percentile/ { p50 = $3 } g && /75th percentile/ { p75 = $3 }
    g && /95th percentile/ { p95 = $3 } g && /99th percentile/ { p99 = $3 }
    g && /max response time/ { mx = $3 }
    function n(v) { gsub(/[ ,-]/, "", v); return v == "" ? 0 : v }
    END { printf "{\"total\":%s,\"ok\":%s,\"ko\":%s,\"p50\":%s,\"p75\":%s,\"p95\":%s,\"p99\":%s,\"max\":%s}\n",
      n(t), n(o), n(k), n(p50), n(p75), n(p95), n(p99), n(mx) }' "$TMP/$key.gatling.log" >"$TMP/$key.stats.json"
  local report
  report=$(sed -n 's|.*file://\(.*\)/index.html.*|\1|p' "$TMP/$key.gatling.log" | tail -1)
  echo "${report:+${report#"$ROOT"/}}" >"$TMP/$key.report"
  [[ -s $TMP/$key.json ]] || { tail -n 30 "$TMP/$key.gatling.log" >&2; echo '{"counters":{}}' >"$TMP/$key.json"; }
}

# m KEY JQ-PATH: a figure from the simulation's own metrics (0 when missing)
m() { jq -r "($2) // 0" "$TMP/$1.json"; }
us() { jq -r "(($2) // 0) * 1000 | round" "$TMP/$1.json"; } # a ms figure in µs
# g KEY FIELD: Gatling's global figures from its console summary (total, ok, ko; p50 p75 p95 p99 max of OK, ms)
g() { jq -r "(.$2) // \"-\"" "$TMP/$1.stats.json"; }
errors_of() { jq -r '[.counters | to_entries[] | select(.key | test("^error")) | .value] | add // 0' "$TMP/$1.json"; }
ko_of() { jq -r '(.ko) // 0' "$TMP/$1.stats.json"; }
diff_fmt() { awk -v a="$1" -v b="$2" -v u="$3" 'BEGIN { d = a - b; printf "%s%g %s", (d >= 0 ? "+" : ""), d, u }'; }
ratio_fmt() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f ×", a / b; else printf "n/a" }'; }
errors_excerpt() { # the last "---- Errors" table of a Gatling run, 5 lines at most
  awk '/---- Errors/ { n = 0; delete l; on = 1; next } on && /^>/ { if (n < 5) l[n++] = $0; next } on { on = 0 }
    END { for (i = 0; i < n; i++) print "    " l[i] }' "$TMP/$1.gatling.log" 2>/dev/null || true
}

ROWS=()
NOTES=()
[[ -n $LIMIT_NOTE ]] && NOTES+=("$LIMIT_NOTE")
HEADLINE=""

# ---------------------------------------------------------------- scenarios
streams_rows() { # KEYS...: a table of stream figures, deltas against the first key
  local ref=$1 k
  ROWS+=("| target | streams ok | errors (sim / Gatling KO) | TTFT p50 / p99 (ms) | added TTFT p99 | chunk gap p50 / p99 (ms) | added gap p99 | stream total p99 (ms) | server CPU s |")
  ROWS+=("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
  for k in "$@"; do
    ROWS+=("| $k | $(m "$k" .counters.ok) | $(errors_of "$k") / $(ko_of "$k") | $(m "$k" .ttft_ms.p50) / $(m "$k" .ttft_ms.p99) | $(diff_fmt "$(m "$k" .ttft_ms.p99)" "$(m "$ref" .ttft_ms.p99)" ms) | $(m "$k" .gap_ms.p50) / $(m "$k" .gap_ms.p99) | $(diff_fmt "$(m "$k" .gap_ms.p99)" "$(m "$ref" .gap_ms.p99)" ms) | $(m "$k" .total_ms.p99) | $(awk -v t="$(cat "$TMP/$k.ticks" 2>/dev/null || echo 0)" 'BEGIN {printf "%.1f", t / 100}') |")
  done
}

case $SCENARIO in
  streams10k | streaming | anthropic)
    overlay=""
    [[ $SCENARIO == streams10k ]] && overlay=loadtest/gatling/conf/streams.json
    start_nginx
    start_gateway "$overlay"
    if [[ $SCENARIO == streams10k ]]; then
      SIM=StreamingSimulation; ARGS=(-Dinjection=closed -Dusers="$STREAMS" -DtimeoutS=$((60 + GAP_MS * CHUNKS / 1000)))
      WHAT="$STREAMS concurrent OpenAI SSE streams (closed injection: ramp 0→$STREAMS over ${RAMP}s, then $STREAMS held for ${DURATION}s, each finished stream replaced at once), $CHUNKS chunks ${GAP_MS} ms apart"
    elif [[ $SCENARIO == streaming ]]; then
      rate=${GATLING_RATE:-400}
      SIM=StreamingSimulation; ARGS=(-Dinjection=steps -DstartRate=$((rate / 4)) -DstepRate=$((rate / 4)) -Dsteps=4 -DlevelS=$((DURATION / 4)))
      WHAT="OpenAI SSE streams, open injection rising in 4 steps of $((rate / 4))/s to $rate new streams/s, $((DURATION / 4)) s each, $CHUNKS chunks ${GAP_MS} ms apart"
    else
      rate=${GATLING_RATE:-200}
      SIM=AnthropicStreamSimulation; ARGS=(-Dinjection=rate -Drate="$rate")
      WHAT="Anthropic /v1/messages streams (claude-haiku-3-5-20241022 → provider anthropic → the mock), open injection: ramp to $rate/s over ${RAMP}s, then $rate/s for ${DURATION}s; mock defaults 20 chunks 50 ms apart"
    fi
    RSS_IDLE=$(gw_status VmRSS)
    for t in "${TARGETS[@]}"; do run_gatling "$t" "$SIM" "${URL[$t]}" "${ARGS[@]}"; done
    if [[ " ${TARGETS[*]} " == *" gateway "* ]]; then
      NOTES+=("gateway memory: VmRSS $RSS_IDLE MiB idle, $(gw_status VmRSS) MiB after the run, VmHWM (peak) **$(gw_status VmHWM) MiB** $([[ $SCENARIO == streams10k ]] && echo "(target ≤ 1024 MiB at 10k streams)"); threads $(gw_threads)")
    fi
    streams_rows "${TARGETS[@]}"
    if [[ " ${TARGETS[*]} " == *" gateway "* && " ${TARGETS[*]} " == *" direct "* ]]; then
      HEADLINE="gateway: $(m gateway .counters.ok) streams ok, $(errors_of gateway) errors; added TTFT p99 $(diff_fmt "$(m gateway .ttft_ms.p99)" "$(m direct .ttft_ms.p99)" ms), added gap p99 $(diff_fmt "$(m gateway .gap_ms.p99)" "$(m direct .gap_ms.p99)" ms), VmHWM $(gw_status VmHWM) MiB"
    fi
    NOTES+=("TTFT = request start to the first SSE message with content, gap = time between consecutive content messages, taken by the simulation with System.nanoTime when Gatling evaluates each message as it arrives (Gatling's own report has no per-message timing and whole ms only); stream total = request start to the end-of-stream message. Streams started during the ramp are counted (errors) but not in the histograms (warm-up of the Gatling JVM).")
    ;;

  steady)
    start_nginx
    start_gateway
    if [[ -n ${GATLING_MAX_RATE:-} ]]; then
      MAX=$GATLING_MAX_RATE; MAX_HOW="given (GATLING_MAX_RATE)"
    else
      log "measuring the gateway's maximum: wrk -t2 -c64, $((SMOKE == 1 ? 5 : 20)) s warm-up + $((SMOKE == 1 ? 5 : 10)) s"
      taskset -c "$LOAD_CPUS" wrk -t2 -c64 -d$((SMOKE == 1 ? 5 : 20))s -s loadtest/chat.lua "${URL[gateway]}/v1/chat/completions" >/dev/null
      MAX=$(taskset -c "$LOAD_CPUS" wrk -t2 -c64 -d$((SMOKE == 1 ? 5 : 10))s -s loadtest/chat.lua "${URL[gateway]}/v1/chat/completions" \
        | awk '/Requests\/sec/ {printf "%.0f", $2}')
      MAX_HOW="measured: wrk -t2 -c64 against the gateway (same pinning)"
    fi
    RATE=${GATLING_RATE:-$((MAX / 2))}
    WHAT="non-streamed gpt-4o completions at a constant $RATE req/s (open injection, constantUsersPerSec after a ${RAMP}s ramp, ${DURATION}s) = half of the gateway's maximum $MAX req/s ($MAX_HOW)"
    for t in "${TARGETS[@]}"; do run_gatling "$t" NonStreamingSimulation "${URL[$t]}" -Dinjection=rate -Drate="$RATE"; done
    ROWS+=("| target | requests ok | errors (sim / Gatling KO) | latency p50 / p99 (µs) | added p50 / p99 (µs) | Gatling p50 / p99 (ms) | server CPU s |")
    ROWS+=("| --- | --- | --- | --- | --- | --- | --- |")
    for t in "${TARGETS[@]}"; do
      ROWS+=("| $t | $(m "$t" .counters.ok) | $(errors_of "$t") / $(ko_of "$t") | $(us "$t" .ok_ms.p50) / $(us "$t" .ok_ms.p99) | $(diff_fmt "$(us "$t" .ok_ms.p50)" "$(us "${TARGETS[0]}" .ok_ms.p50)" µs) / $(diff_fmt "$(us "$t" .ok_ms.p99)" "$(us "${TARGETS[0]}" .ok_ms.p99)" µs) | $(g "$t" p50) / $(g "$t" p99) | $(awk -v t="$(cat "$TMP/$t.ticks" 2>/dev/null || echo 0)" 'BEGIN {printf "%.1f", t / 100}') |")
    done
    if [[ " ${TARGETS[*]} " == *" gateway "* ]]; then
      HEADLINE="at $RATE req/s: gateway added p50 $(diff_fmt "$(us gateway .ok_ms.p50)" "$(us "${TARGETS[0]}" .ok_ms.p50)" µs), p99 $(diff_fmt "$(us gateway .ok_ms.p99)" "$(us "${TARGETS[0]}" .ok_ms.p99)" µs) vs ${TARGETS[0]}"
    fi
    NOTES+=("latency in µs: System.nanoTime around each Gatling request inside the simulation (the same Gatling overhead for every target; Gatling's own figures are whole ms)")
    ;;

  overload)
    # capacity: maxInFlight streams in flight; a stream lasts ~CHUNKS x GAP_MS, so the gateway admits about
    # maxInFlight x 1000 / (CHUNKS x GAP_MS) new streams per second. Open injection (new streams arrive whatever
    # happens to the earlier ones, as real clients do): 2x that rate; normal = half of it.
    CAP=$MAX_IN_FLIGHT
    STREAM_MS=$((CHUNKS * GAP_MS > 0 ? CHUNKS * GAP_MS : 1))
    CAP_RATE=$((CAP * 1000 / STREAM_MS))
    PROBE_RATE=${GATLING_PROBE_RATE:-50}
    jq ".http.limits.maxInFlight = $CAP" loadtest/gatling/conf/overload.json >"$TMP/overload.json"
    start_gateway "$TMP/overload.json"
    ARGS=(-Dinjection=rate -DtimeoutS=60)
    WHAT="streams at 2× the gateway's capacity: http.limits.maxInFlight=$CAP (loadtest/gatling/conf/overload.json) with streams of ~${STREAM_MS} ms = ~$CAP_RATE streams/s; open injection at $((2 * CAP_RATE)) new streams/s for ${DURATION}s after a ${RAMP}s ramp, plus non-streamed probes at ${PROBE_RATE}/s that accept 200/429/503; normal = $((CAP_RATE / 2)) streams/s on the same gateway; direct = the mock under the same 2× load"
    run_gatling gateway-normal StreamingSimulation "${URL[gateway]}" "${ARGS[@]}" -Drate=$((CAP_RATE / 2))
    run_gatling gateway StreamingSimulation "${URL[gateway]}" "${ARGS[@]}" -Drate=$((2 * CAP_RATE)) -DprobeRate="$PROBE_RATE"
    # time to full service after the load stopped: poll every 100 ms until 20 chat requests in a row succeed
    t_stop=$(date +%s%N); ok_run=0; polls=0; first_ok=""
    while ((ok_run < 20 && polls < 600)); do
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X POST -H 'content-type: application/json' -d "$SMALL_BODY" "${URL[gateway]}/v1/chat/completions" || true)
      polls=$((polls + 1))
      if [[ $code == 200 ]]; then ((ok_run == 0)) && first_ok=$(date +%s%N); ok_run=$((ok_run + 1)); else ok_run=0; fi
      ((ok_run < 20)) && sleep 0.1
    done
    RECOVERY_MS=$(( ok_run >= 20 ? (first_ok - t_stop) / 1000000 : -1 ))
    if [[ " ${TARGETS[*]} " == *" direct "* ]]; then run_gatling direct StreamingSimulation "${URL[direct]}" "${ARGS[@]}" -Drate=$((2 * CAP_RATE)); fi
    streams_rows gateway-normal gateway $([[ -f $TMP/direct.json ]] && echo direct)
    probe_refused=$(jq -r '[.counters | to_entries[] | select(.key | test("^probe_status_(429|503)$")) | .value] | add // 0' "$TMP/gateway.json")
    ROWS+=("")
    ROWS+=("| overload figure | measured | target |")
    ROWS+=("| --- | --- | --- |")
    ROWS+=("| streams refused (SSE connect KO, a non-200 answer) | $(m gateway '.counters.error_connect_or_refused') of $(g gateway total) requests; refusal time p99 $(m gateway .failed_connect_ms.p99) ms | refused, not queued |")
    ROWS+=("| probes: 200 / 429 / 503 / other errors | $(m gateway .counters.probe_status_200) / $(m gateway .counters.probe_status_429) / $(m gateway .counters.probe_status_503) / $(m gateway .counters.probe_error_connect) | |")
    ROWS+=("| probes refused with Retry-After | $(m gateway .counters.probe_refused_with_retry_after) of $probe_refused | all |")
    ROWS+=("| refusal latency p50 / p99 (probes) | $(m gateway .probe_refused_ms.p50) / $(m gateway .probe_refused_ms.p99) ms | p99 ≤ 50 ms |")
    ROWS+=("| admitted streams' TTFT p99 overload / normal | $(m gateway .ttft_ms.p99) / $(m gateway-normal .ttft_ms.p99) ms = $(ratio_fmt "$(m gateway .ttft_ms.p99)" "$(m gateway-normal .ttft_ms.p99)") | ≤ 2 × |")
    ROWS+=("| time to full service after the load stopped | $( ((RECOVERY_MS >= 0)) && echo "$RECOVERY_MS ms (first of 20 successes in a row, polled every 100 ms)" || echo "not within $polls polls") | ≤ 10 s |")
    HEADLINE="2× capacity: $probe_refused probes refused (p99 $(m gateway .probe_refused_ms.p99) ms, $(m gateway .counters.probe_refused_with_retry_after) with Retry-After), admitted TTFT p99 $(ratio_fmt "$(m gateway .ttft_ms.p99)" "$(m gateway-normal .ttft_ms.p99)") normal, recovery ${RECOVERY_MS} ms"
    ;;

  canary)
    RATE=${GATLING_RATE:-100}
    start_gateway loadtest/gatling/conf/canary.json
    WHAT="tier:haiku completions, 3 per virtual user with its own X-Tiergate-Session key, open injection ramp to $RATE users/s over ${RAMP}s then ${DURATION}s; gateway with USE_LOCAL_LLM=true, canary enabled at stage 50 (loadtest/gatling/conf/canary.json): local = qwen3-coder:30b on the ollama provider, cloud = claude-haiku-3-5 on anthropic, both the mock"
    run_gatling gateway CanaryMixSimulation "${URL[gateway]}" -Dinjection=rate -Drate="$RATE"
    run_gatling direct CanaryMixSimulation "${URL[direct]}" -Dinjection=rate -Drate="$RATE" -Dmodel=gpt-4o
    loc=$(m gateway .counters.route_local); cld=$(m gateway .counters.route_cloud)
    sl=$(m gateway .counters.sessions_local); sc=$(m gateway .counters.sessions_cloud)
    ROWS+=("| target | requests ok | errors (sim / Gatling KO) | route local / cloud (requests) | sessions local / cloud | local share | sessions whose route changed | Gatling p50 / p99 (ms) |")
    ROWS+=("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for t in gateway direct; do
      ROWS+=("| $t | $(m "$t" .counters.ok) | $(m "$t" '.counters.error') / $(ko_of "$t") | $(m "$t" .counters.route_local) / $(m "$t" .counters.route_cloud) | $(m "$t" .counters.sessions_local) / $(m "$t" .counters.sessions_cloud) | $(awk -v l="$(m "$t" .counters.route_local)" -v c="$(m "$t" .counters.route_cloud)" 'BEGIN { if (l + c > 0) printf "%.1f %%", 100 * l / (l + c); else printf "n/a" }') | $(m "$t" .counters.session_route_changed) | $(g "$t" p50) / $(g "$t" p99) |")
    done
    HEADLINE="canary stage 50: $loc local / $cld cloud requests ($(awk -v l="$loc" -v c="$cld" 'BEGIN { if (l + c > 0) printf "%.1f", 100 * l / (l + c); else printf "n/a" }') % local), sessions $sl / $sc, $(m gateway .counters.session_route_changed) sessions changed route"
    NOTES+=("direct = the same load on the mock's OpenAI endpoint (model gpt-4o, no routing), as the latency reference")
    ;;
esac

# ---------------------------------------------------------------- report
CPU_MODEL=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
MEM_GIB=$(awk '/^MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)
GIT_REV=$(git rev-parse --short HEAD 2>/dev/null || echo none)
git diff --quiet HEAD -- src 2>/dev/null || GIT_REV="$GIT_REV (src modified)"
JAR_SHA=$(sha256sum "$JAR" | cut -c1-12)
GATLING_VERSION=$(sed -n 's|.*<gatling.version>\(.*\)</gatling.version>.*|\1|p' "$GDIR/pom.xml")
TITLE="Gatling $SCENARIO"
((SMOKE == 1)) && TITLE="$TITLE — smoke run (short, not a measurement)"
REPORTS=$(for f in "$TMP"/*.report; do [[ -f $f ]] && printf '%s: %s; ' "$(basename "$f" .report)" "$(cat "$f")"; done | sed 's/; $//')
ERRS=$(for f in "$TMP"/*.gatling.log; do k=$(basename "$f" .gatling.log); e=$(errors_excerpt "$k"); [[ -n $e ]] && printf -- '- Gatling errors, %s:\n%s\n' "$k" "$e"; done || true)
NOTE_LINES=$(for n in "${NOTES[@]}"; do printf -- '- %s\n' "$n"; done)
REPORT=$(cat <<EOF
## $TITLE, $(date -u '+%Y-%m-%d %H:%M:%S UTC')

- command: \`$COMMAND_LINE\` (from \`$ROOT\`)
- machine: nproc $NPROC, $CPU_MODEL, ${MEM_GIB} GiB RAM, Linux $(uname -r), open-file limit $NOFILE
- java: $(java -version 2>&1 | head -1); Gatling $GATLING_VERSION (Java DSL, loadtest/gatling); $("$NGINX" -v 2>&1)
- gateway: \`$JAR\` (sha256 $JAR_SHA, git $GIT_REV), conf $( [[ $GW_CONF == conf/tiergate.json ]] && echo "conf/tiergate.json" || echo "conf/tiergate.json merged with the overlay named below"), JVM opts \`${GATLING_GATEWAY_JAVA_OPTS:-default}\`
- load: $WHAT
- CPU placement: $PLACEMENT
- background: $BUSY_BEFORE% CPU busy in the second before the run (load average $LOAD_BEFORE)$( ((BUSY_BEFORE > 15)) && echo " — **the machine was not idle, figures are noisy**")
- reports (git-ignored): $REPORTS
${HEADLINE:+- **headline:** $HEADLINE}
$NOTE_LINES
$ERRS

$(printf '%s\n' "${ROWS[@]}")

<details><summary>raw simulation metrics</summary>

\`\`\`
$(for f in "$TMP"/*.json; do case $f in *.stats.json | */conf-*.json | */overload.json | */probe.json) ;; *) cat "$f" ;; esac; done)
\`\`\`
</details>
EOF
)
printf '\n%s\n' "$REPORT"
printf '\n%s\n' "$REPORT" >>"$RESULTS"
log "appended to $RESULTS"
