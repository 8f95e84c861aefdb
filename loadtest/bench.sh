#!/usr/bin/env bash
# Tiergate benchmark: direct mock vs nginx vs Tiergate, on one machine, in one run. See loadtest/README.md.
#
#   loadtest/bench.sh                      build the jar, run everything, append the results to loadtest/RESULTS.md
#   BENCH_SKIP_BUILD=1 BENCH_JAR=/tmp/tg/tiergate.jar loadtest/bench.sh
#
# Knobs (environment, defaults in brackets):
#   BENCH_JAR [target/tiergate.jar]   BENCH_SKIP_BUILD [0]        BENCH_CONF [conf/tiergate.json]
#   BENCH_DURATION [15] s per wrk run BENCH_CONNS [64]  BENCH_THREADS [2]
#   BENCH_WARMUP [5] s per warm-up round; rounds until two agree within 5 %, at most BENCH_WARMUP_MAX [45] s per target
#   BENCH_STREAM_WARMUP [8] s of streaming before each measured streaming run
#   BENCH_LAT_ROUNDS [3] the 1-connection latency runs are split into this many interleaved rounds
#   BENCH_STREAMS [1000]              BENCH_STREAM_SECONDS [10]   BENCH_CHUNKS [20]  BENCH_GAP_MS [50]
#   BENCH_PIN [1] pin load generators to CPU 0 and all servers to the other CPUs (needs >= 2 CPUs)
#   BENCH_NO_GATEWAY [0] 1 = only direct mock and nginx (to check the harness without a gateway)
#   BENCH_GATEWAY_JAVA_OPTS []        BENCH_RESULTS [loadtest/RESULTS.md]  BENCH_KEEP_TMP [0]
#   BENCH_JAVA_HOME [JAVA_HOME if it is >= 21, else /usr/lib/jvm/temurin-25-jdk-amd64]
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
COMMAND_LINE="$( (env | grep -E '^BENCH_' || true) | sort | tr '\n' ' ')loadtest/bench.sh${*:+ $*}"

DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-5}
CONNS=${BENCH_CONNS:-64}
THREADS=${BENCH_THREADS:-2}
STREAMS=${BENCH_STREAMS:-1000}
STREAM_SECONDS=${BENCH_STREAM_SECONDS:-10}
CHUNKS=${BENCH_CHUNKS:-20}
GAP_MS=${BENCH_GAP_MS:-50}
LAT_ROUNDS=${BENCH_LAT_ROUNDS:-3}
WARMUP_MAX=${BENCH_WARMUP_MAX:-45}
STREAM_WARMUP=${BENCH_STREAM_WARMUP:-8}
RESULTS=${BENCH_RESULTS:-$ROOT/loadtest/RESULTS.md}
JAR=${BENCH_JAR:-$ROOT/target/tiergate.jar}
CONF=${BENCH_CONF:-}

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; FAILED=1; exit 1; }

# ---------------------------------------------------------------- cleanup: every process started here, by PID
PIDS=()
FAILED=0
TMP=$(mktemp -d /tmp/tiergate-bench.XXXXXX)
chmod 755 "$TMP"
cleanup() {
  local rc=$?
  local i pid
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
  if [[ $rc -ne 0 || $FAILED -ne 0 || ${BENCH_KEEP_TMP:-0} == 1 ]]; then
    log "logs kept in $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "FAILED: line $LINENO: $BASH_COMMAND (exit status $?)"' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- tools
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if [[ -n ${BENCH_JAVA_HOME:-} ]]; then
  JAVA_HOME=$BENCH_JAVA_HOME
elif [[ -z ${JAVA_HOME:-} || ! -x $JAVA_HOME/bin/java || $(java_major "$JAVA_HOME/bin/java") -lt 21 ]]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
[[ -x $JAVA_HOME/bin/java && $(java_major "$JAVA_HOME/bin/java") -ge 21 ]] || die "need a JDK >= 21 (set BENCH_JAVA_HOME)"

need_tools=()
command -v nginx >/dev/null || need_tools+=(nginx)
command -v wrk >/dev/null || need_tools+=(wrk)
command -v curl >/dev/null || need_tools+=(curl)
if ((${#need_tools[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    log "installing ${need_tools[*]} with apt-get"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_tools[@]}" >/dev/null \
      || die "apt-get install ${need_tools[*]} failed"
  else
    die "missing ${need_tools[*]}; install them (e.g. sudo apt-get install -y ${need_tools[*]})"
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[[ $(ulimit -n) == unlimited || $(ulimit -n) -ge $((STREAMS * 2 + 512)) ]] \
  || die "open-file limit $(ulimit -n) is too low for $STREAMS streams"

# ---------------------------------------------------------------- build
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  log "building: mvn -q -B package -DskipTests"
  mvn -q -B package -DskipTests || die "maven build failed"
fi
[[ -f $JAR ]] || die "jar $JAR not found (build it, or set BENCH_JAR)"

# ---------------------------------------------------------------- CPU placement
NPROC=$(nproc)
if [[ ${BENCH_PIN:-1} == 1 && $NPROC -ge 2 ]]; then
  LOAD_CPUS=0
  SERVER_CPUS="1-$((NPROC - 1))"
  SERVER_NCPU=$((NPROC - 1))
  PLACEMENT="load generators (wrk, SseLoad) pinned to CPU $LOAD_CPUS; mock, nginx and Tiergate pinned to CPU(s) $SERVER_CPUS (taskset), identically for every target"
else
  LOAD_CPUS="0-$((NPROC - 1))"
  SERVER_CPUS=$LOAD_CPUS
  SERVER_NCPU=$NPROC
  PLACEMENT="no pinning: load generators and servers share all $NPROC CPUs"
fi
on_load() { taskset -c "$LOAD_CPUS" "$@"; }

# ---------------------------------------------------------------- is the machine quiet? (other work skews every figure)
cpu_busy_pct() { # CPU busy % over 1 s, all CPUs, from /proc/stat
  local a b
  a=($(head -1 /proc/stat)); sleep 1; b=($(head -1 /proc/stat))
  awk -v u="$((b[1] - a[1] + b[2] - a[2] + b[3] - a[3] + b[6] - a[6] + b[7] - a[7] + b[8] - a[8]))" \
    -v i="$((b[4] - a[4] + b[5] - a[5]))" 'BEGIN { printf "%.0f\n", ((u + i) > 0 ? 100 * u / (u + i) : 0) }'
}
BUSY_BEFORE=$(cpu_busy_pct)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if ((BUSY_BEFORE > 15)); then
  log "WARNING: the machine is not idle ($BUSY_BEFORE% CPU busy before the run, load $LOAD_BEFORE); figures will be noisy"
fi

# ---------------------------------------------------------------- ports
declare -A TAKEN=()
PORT=""
free_port() { # sets PORT (no subshell, so TAKEN remembers earlier picks)
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 30000))
    [[ -n ${TAKEN[$p]:-} ]] && continue
    if ! ss -Htln "sport = :$p" 2>/dev/null | grep -q . && ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      TAKEN[$p]=1
      PORT=$p
      return
    fi
  done
  die "no free port found"
}
free_port; MOCK_PORT=$PORT
free_port; NGINX_PORT=$PORT
free_port; GW_PORT=$PORT
free_port; GW_ADMIN_PORT=$PORT
CHAT=/v1/chat/completions
DIRECT_URL=http://127.0.0.1:$MOCK_PORT$CHAT
NGINX_URL=http://127.0.0.1:$NGINX_PORT$CHAT
GW_URL=http://127.0.0.1:$GW_PORT$CHAT
SMALL_BODY='{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}'

# wait_for NAME PID SECONDS COMMAND...: polls COMMAND until it succeeds; fails if the process died or time ran out
wait_for() {
  local name=$1 pid=$2 secs=$3
  shift 3
  local deadline=$((SECONDS + secs))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$TMP/$name.log" >&2 2>/dev/null || true; die "$name exited during startup"; }
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  tail -n 30 "$TMP/$name.log" >&2 2>/dev/null || true
  die "$name not ready after ${secs}s"
}
http_ok() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@") == 200 ]]; }

# ---------------------------------------------------------------- start the three servers
log "mock on :$MOCK_PORT"
# Background processes are started without a shell function in between, so that $! is the server's own PID
# (taskset execs the program).
taskset -c "$SERVER_CPUS" java -Xms256m -Xmx512m -cp "$JAR" loadtest/MockUpstream.java "$MOCK_PORT" \
  >"$TMP/mock.log" 2>&1 &
MOCK_PID=$!
PIDS+=("$MOCK_PID")
wait_for mock "$MOCK_PID" 90 grep -q "mock listening on $MOCK_PORT" "$TMP/mock.log"

log "nginx on :$NGINX_PORT"
NGX=$TMP/nginx
mkdir -p "$NGX"
sed -e "s|@WORKERS@|$SERVER_NCPU|g" -e "s|@PREFIX@|$NGX|g" -e "s|@LISTEN_PORT@|$NGINX_PORT|g" \
  -e "s|@MOCK_PORT@|$MOCK_PORT|g" loadtest/nginx.conf.template >"$NGX/nginx.conf"
"$NGINX" -t -q -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" >"$TMP/nginx.log" 2>&1 \
  || { cat "$TMP/nginx.log" >&2; die "nginx config test failed"; }
taskset -c "$SERVER_CPUS" "$NGINX" -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" -g 'daemon off;' >>"$TMP/nginx.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
wait_for nginx "$NGINX_PID" 20 http_ok -X POST -H 'content-type: application/json' -d "$SMALL_BODY" "$NGINX_URL"

GW_OK=1
GW_PROBLEM=""
GW_PID=""
if [[ ${BENCH_NO_GATEWAY:-0} == 1 ]]; then
  GW_OK=0
  GW_PROBLEM="skipped (BENCH_NO_GATEWAY=1)"
else
  log "Tiergate on :$GW_PORT (admin :$GW_ADMIN_PORT), jar $JAR"
  GW_ARGS=()
  [[ -n $CONF ]] && GW_ARGS+=(--conf "$CONF")
  # shellcheck disable=SC2086
  env -u DATABASE_URL -u TIERGATE_CLIENT_KEYS -u USE_LOCAL_LLM -u TIERGATE_CONF \
    TIERGATE_HTTP_PORT="$GW_PORT" TIERGATE_HTTP_HOST=127.0.0.1 \
    TIERGATE_ADMIN_PORT="$GW_ADMIN_PORT" TIERGATE_ADMIN_HOST=127.0.0.1 \
    OPENAI_BASE_URL="http://127.0.0.1:$MOCK_PORT/v1" OPENAI_API_KEY=bench-key TIERGATE_ALLOW_PRIVATE_UPSTREAMS=openai \
    taskset -c "$SERVER_CPUS" java ${BENCH_GATEWAY_JAVA_OPTS:-} -jar "$JAR" "${GW_ARGS[@]}" >"$TMP/gateway.log" 2>&1 &
  GW_PID=$!
  PIDS+=("$GW_PID")
  wait_for gateway "$GW_PID" 90 http_ok "http://127.0.0.1:$GW_PORT/healthz"
  GW_RSS_START=$(awk '/^VmRSS/ {print $2}' "/proc/$GW_PID/status")

  # The gateway must route gpt-4o to the mock, streaming and not, before its figures mean anything.
  probe=$(curl -s --max-time 10 -w '\n%{http_code}' -X POST -H 'content-type: application/json' -d "$SMALL_BODY" "$GW_URL" || true)
  code=${probe##*$'\n'}
  if [[ $code != 200 || $probe != *'"chat.completion"'* ]]; then
    GW_OK=0
    GW_PROBLEM="non-streaming probe: HTTP $code, body: $(head -c 400 <<<"${probe%$'\n'*}")"
  else
    probe=$(curl -sN --max-time 10 -w '\n%{http_code}' -X POST -H 'content-type: application/json' \
      -d '{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}],"metadata":{"mock_chunks":3,"mock_gap_ms":1}}' \
      "$GW_URL" || true)
    code=${probe##*$'\n'}
    if [[ $code != 200 || $probe != *'data: [DONE]'* ]]; then
      GW_OK=0
      GW_PROBLEM="streaming probe: HTTP $code, body: $(head -c 400 <<<"${probe%$'\n'*}")"
    fi
  fi
  if [[ $GW_OK == 0 ]]; then
    log "Tiergate does not proxy to the mock correctly — its rows will be empty. $GW_PROBLEM"
    FAILED=1
  fi
fi

TARGETS=(direct nginx)
[[ $GW_OK == 1 ]] && TARGETS+=(gateway)
declare -A URL=([direct]=$DIRECT_URL [nginx]=$NGINX_URL [gateway]=$GW_URL)
# the process whose CPU time is charged to a target: the proxy, or the mock itself for "direct"
declare -A SUT=([direct]=$MOCK_PID [nginx]=$NGINX_PID [gateway]=$GW_PID)

# ---------------------------------------------------------------- helpers for wrk output
# to_us VALUE: "812.00us" | "1.23ms" | "2.00s" | "1.5m" -> microseconds (integer)
to_us() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") f = 1; else if (u == "ms") f = 1000; else if (u == "s") f = 1000000;
    else if (u == "m") f = 60000000; else if (u == "h") f = 3600000000; else { print "NaN"; exit }
    printf "%.0f\n", n * f }'
}
wrk_rps() { awk '/^Requests\/sec:/ {printf "%.0f\n", $2}' "$1"; }
wrk_pct() { to_us "$(awk -v p="$2" '/Latency Distribution/ {d = 1; next} d && $1 == p {print $2; exit}' "$1")"; }
wrk_errors() {
  awk '/Non-2xx or 3xx responses:/ {e += $NF} /Socket errors:/ {gsub(/,/, ""); e += $4 + $6 + $8 + $10} END {print e + 0}' "$1"
}
json_num() { sed -n "s/.*\"$2\":\(-\?[0-9.]*\).*/\1/p" "$1" | head -1; }
calc() { awk "BEGIN { printf \"$1\n\", $2 }"; }
wrk_requests() { awk '/requests in/ {print $1; exit}' "$1"; }
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { # PID -> user+system CPU ticks of PID and its children (nginx workers)
  local total=0 p
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    [[ -r /proc/$p/stat ]] || continue
    total=$((total + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat")))
  done
  echo "$total"
}
# CPU used by processes that are not this benchmark (anything but this script and its descendants) during a
# measurement, in % of one CPU: the sum of the utime+stime+cutime+cstime deltas of all other processes (exited
# children show up in their parent's cutime). Reveals a concurrent build or test run that skews the figures.
foreign_snapshot() { # FILE: "pid comm ticks" of every process that is not this script or one of its descendants
  local ours
  ours=$(ps -e -o pid=,ppid= | awk -v root=$$ '{par[$1] = $2}
    END {for (p in par) {q = p; while (q > 1) {if (q == root) {print p; break}; q = par[q]}}}')
  # processes come and go while this reads: a vanished one is not an error
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v ours="$ours $$" '
    BEGIN {n = split(ours, a, /[ \n]+/); for (i = 1; i <= n; i++) skip[a[i]] = 1}
    {pid = $1; comm = $2; sub(/.*\) /, ""); if (!(pid in skip)) print pid, comm, $12 + $13 + $14 + $15}' >"$1"
}
declare -A FOREIGN=()
phase_begin() { foreign_snapshot "$TMP/foreign.0"; PB_NS=$(date +%s%N); }
phase_end() { # KEY
  local ns secs top
  foreign_snapshot "$TMP/foreign.1"; ns=$(date +%s%N)
  secs=$(calc '%.3f' "($ns - $PB_NS) / 1e9")
  # per PID (a kernel worker's name changes with its work): ticks now minus ticks at the start (0 if it is new)
  awk 'NR == FNR {t0[$1] = $3; next} {d = $3 - t0[$1]; if (d > 0) print d, $2}' \
    "$TMP/foreign.0" "$TMP/foreign.1" | sort -rn >"$TMP/foreign.d"
  FOREIGN[$1]=$(awk -v hz="$CLK_TCK" -v s="$secs" '{t += $1} END {printf "%.0f\n", t * 100 / hz / s}' "$TMP/foreign.d")
  if ((FOREIGN[$1] > 10)); then
    top=$(head -3 "$TMP/foreign.d" | awk -v hz="$CLK_TCK" -v s="$secs" '{printf "%s %.0f%% ", $2, $1 * 100 / hz / s}')
    log "  other processes used ${FOREIGN[$1]}% of a CPU meanwhile: $top"
  fi
  return 0
}
foreign_note() { # KEY -> " ⚠ N%" when other processes used more than 10 % of a CPU during that measurement
  local f=${FOREIGN[$1]:-}
  [[ -n $f ]] && ((f > 10)) && printf ' ⚠ %s%%' "$f"
  return 0
}
run_wrk() { # NAME TARGET ARGS...
  local name=$1 target=$2
  shift 2
  on_load wrk "$@" -s loadtest/chat.lua "${URL[$target]}" >"$TMP/$name-$target.txt" 2>&1 \
    || { cat "$TMP/$name-$target.txt" >&2; die "wrk against $target failed"; }
}

# ---------------------------------------------------------------- warm-up
# JIT compilers take a while, the more so with one CPU: every target gets rounds of wrk until two rounds in a row agree
# within 5 % (at least 2 rounds, at most WARMUP_MAX seconds) — the same rule for all three.
declare -A WARM=() WARM_ERR=()
for t in "${TARGETS[@]}"; do
  prev=0 spent=0 trail="" round=0
  WARM_ERR[$t]=0
  while :; do
    round=$((round + 1))
    run_wrk "warmup$round" "$t" -t"$THREADS" -c"$CONNS" -d"${WARMUP}s"
    r=$(wrk_rps "$TMP/warmup$round-$t.txt")
    e=$(wrk_errors "$TMP/warmup$round-$t.txt")
    WARM_ERR[$t]=$((WARM_ERR[$t] + e))
    spent=$((spent + WARMUP))
    trail="$trail $r"
    log "warm-up $t: $r req/s, $e errors"
    if ((prev > 0)) && awk "BEGIN { exit !($r >= $prev * 0.95 && $r <= $prev * 1.05) }"; then break; fi
    if ((spent + WARMUP > WARMUP_MAX)); then
      log "warm-up $t: not stable after ${spent}s, going on"
      break
    fi
    prev=$r
  done
  WARM[$t]=${trail# }
done

# ---------------------------------------------------------------- 1. non-streaming throughput
declare -A RPS=() WERR=() P50=() P99=() CPU_REQ=() CPU_STREAM=()
for t in "${TARGETS[@]}"; do
  log "throughput $t: wrk -t$THREADS -c$CONNS -d${DURATION}s"
  c0=$(cpu_ticks "${SUT[$t]}")
  phase_begin
  run_wrk tput "$t" -t"$THREADS" -c"$CONNS" -d"${DURATION}s"
  phase_end "tput-$t"
  c1=$(cpu_ticks "${SUT[$t]}")
  RPS[$t]=$(wrk_rps "$TMP/tput-$t.txt")
  WERR[$t]=$(wrk_errors "$TMP/tput-$t.txt")
  CPU_REQ[$t]=$(calc '%.1f' "($c1 - $c0) * 1000000 / $CLK_TCK / $(wrk_requests "$TMP/tput-$t.txt")")
  log "  $t: ${RPS[$t]} req/s, ${WERR[$t]} errors, ${CPU_REQ[$t]} µs CPU per request"
done

# ---------------------------------------------------------------- 2. latency at one connection
# The targets are interleaved in LAT_ROUNDS rounds (direct, nginx, gateway, direct, …) and the median of the rounds'
# percentiles is reported, so a noisy moment on the machine does not land on one target only.
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
declare -A P50S=() P99S=()
LAT_SECONDS=$(( (DURATION + LAT_ROUNDS - 1) / LAT_ROUNDS ))
for r in $(seq 1 "$LAT_ROUNDS"); do
  for t in "${TARGETS[@]}"; do
    log "latency $t, round $r/$LAT_ROUNDS: wrk -t1 -c1 -d${LAT_SECONDS}s --latency"
    phase_begin
    run_wrk "lat$r" "$t" -t1 -c1 -d"${LAT_SECONDS}s" --latency
    phase_end "lat$r-$t"
    ((${FOREIGN[lat$r-$t]} > ${FOREIGN[lat-$t]:-0})) && FOREIGN[lat-$t]=${FOREIGN[lat$r-$t]}
    p50=$(wrk_pct "$TMP/lat$r-$t.txt" 50%)
    p99=$(wrk_pct "$TMP/lat$r-$t.txt" 99%)
    P50S[$t]="${P50S[$t]:-} $p50"
    P99S[$t]="${P99S[$t]:-} $p99"
    WERR[lat-$t]=$(( ${WERR[lat-$t]:-0} + $(wrk_errors "$TMP/lat$r-$t.txt") ))
    log "  $t: p50 $p50 us, p99 $p99 us"
  done
done
for t in "${TARGETS[@]}"; do
  P50[$t]=$(tr ' ' '\n' <<<"${P50S[$t]}" | grep . | median)
  P99[$t]=$(tr ' ' '\n' <<<"${P99S[$t]}" | grep . | median)
done

# ---------------------------------------------------------------- 3. streaming
STREAM_TARGETS=(direct nginx)
[[ $GW_OK == 1 ]] && STREAM_TARGETS+=(gateway)
for t in "${STREAM_TARGETS[@]}"; do
  log "streaming $t: $STREAMS concurrent streams x $CHUNKS chunks ${GAP_MS} ms apart, ${STREAM_WARMUP} s warm-up + ${STREAM_SECONDS} s"
  c0=$(cpu_ticks "${SUT[$t]}")
  phase_begin
  on_load java -Xms512m -Xmx1g -cp "$JAR" loadtest/SseLoad.java "${URL[$t]}" -c "$STREAMS" --chunks "$CHUNKS" \
    --gap-ms "$GAP_MS" --warmup-s "$STREAM_WARMUP" --duration-s "$STREAM_SECONDS" --ramp-ms 1000 --timeout-s 60 --label "$t" \
    >"$TMP/sse-$t.json" 2>"$TMP/sse-$t.err" || { cat "$TMP/sse-$t.err" >&2; die "SseLoad against $t failed"; }
  phase_end "sse-$t"
  c1=$(cpu_ticks "${SUT[$t]}")
  [[ -s $TMP/sse-$t.json ]] || { cat "$TMP/sse-$t.err" >&2; die "SseLoad against $t printed nothing"; }
  # warm-up and measured streams both ran while CPU was counted
  CPU_STREAM[$t]=$(calc '%.2f' "($c1 - $c0) * 1000 / $CLK_TCK / ($(json_num "$TMP/sse-$t.json" count) + $(json_num "$TMP/sse-$t.json" warmup_count))")
  log "  $(cat "$TMP/sse-$t.json")"
done
if [[ $GW_OK == 1 ]]; then
  GW_RSS=$(awk '/^VmRSS/ {print $2}' "/proc/$GW_PID/status")
  GW_HWM=$(awk '/^VmHWM/ {print $2}' "/proc/$GW_PID/status")
fi
if [[ -n $GW_PID ]] && ! kill -0 "$GW_PID" 2>/dev/null; then
  GW_OK=0; GW_PROBLEM="gateway process died during the run"; FAILED=1
fi

# ---------------------------------------------------------------- report
na() { [[ -n ${1:-} ]] && echo "$1" || echo "n/a"; }
verdict() { awk "BEGIN { exit !($1) }" && echo "PASS" || echo "MISS"; }
sse() { [[ -s $TMP/sse-$1.json ]] && json_num "$TMP/sse-$1.json" "$2" || true; }

ROWS=()
ROWS+=("| metric | direct mock | nginx | Tiergate | target | Tiergate vs target |")
ROWS+=("| --- | ---: | ---: | ---: | --- | --- |")
ratio="" ; v_ratio="n/a"
if [[ -n ${RPS[gateway]:-} && -n ${RPS[nginx]:-} && ${RPS[nginx]} -gt 0 ]]; then
  ratio=$(calc '%.2f' "${RPS[gateway]} / ${RPS[nginx]}")
  v_ratio="$ratio × nginx — $(verdict "$ratio >= 0.8")"
fi
ROWS+=("| non-streaming req/s (wrk -t$THREADS -c$CONNS, ${DURATION} s) | $(na "${RPS[direct]:-}")$(foreign_note tput-direct) | $(na "${RPS[nginx]:-}")$(foreign_note tput-nginx) | $(na "${RPS[gateway]:-}")$(foreign_note tput-gateway) | ≥ 0.8 × nginx | $v_ratio |")
ROWS+=("| CPU per request, non-streaming (µs; direct = the mock's own) | $(na "${CPU_REQ[direct]:-}") | $(na "${CPU_REQ[nginx]:-}") | $(na "${CPU_REQ[gateway]:-}") | | |")
werr() { [[ -n ${WERR[$1]:-} ]] && echo $((WERR[$1] + ${WERR[lat-$1]:-0} + ${WARM_ERR[$1]:-0})) || true; }
ROWS+=("| non-streaming errors, all wrk runs incl. warm-up (non-2xx + socket) | $(na "$(werr direct)") | $(na "$(werr nginx)") | $(na "$(werr gateway)") | 0 | $( [[ -n ${WERR[gateway]:-} ]] && verdict "$(werr gateway) == 0" || echo n/a) |")
add50="" add99="" v50="n/a" v99="n/a"
if [[ -n ${P50[gateway]:-} ]]; then
  add50=$((P50[gateway] - P50[direct])); add99=$((P99[gateway] - P99[direct]))
  v50="$(printf '%+d' "$add50") µs — $(verdict "$add50 <= 100")"; v99="$(printf '%+d' "$add99") µs — $(verdict "$add99 <= 1000")"
fi
ROWS+=("| latency p50 at 1 connection (µs, median of $LAT_ROUNDS rounds) | $(na "${P50[direct]:-}") | $(na "${P50[nginx]:-}") | $(na "${P50[gateway]:-}") | added ≤ 100 µs | $v50 |")
ROWS+=("| latency p99 at 1 connection (µs, median of $LAT_ROUNDS rounds) | $(na "${P99[direct]:-}")$(foreign_note lat-direct) | $(na "${P99[nginx]:-}")$(foreign_note lat-nginx) | $(na "${P99[gateway]:-}")$(foreign_note lat-gateway) | added ≤ 1000 µs | $v99 |")
ROWS+=("| added latency vs direct p50 / p99 (µs) | — | $(printf '%+d / %+d' $((P50[nginx] - P50[direct])) $((P99[nginx] - P99[direct]))) | $(na "$( [[ -n $add50 ]] && printf '%+d / %+d' "$add50" "$add99")") | | |")
ROWS+=("| latency per round p50 / p99 (µs) | ${P50S[direct]# } / ${P99S[direct]# } | ${P50S[nginx]# } / ${P99S[nginx]# } | $(na "$( [[ -n ${P50S[gateway]:-} ]] && echo "${P50S[gateway]# } / ${P99S[gateway]# }")") | | |")
sse_err_g=$(sse gateway errors)
ROWS+=("| streams completed ($STREAMS concurrent, ${STREAM_SECONDS} s) | $(na "$(sse direct ok)") | $(na "$(sse nginx ok)") | $(na "$(sse gateway ok)") | | |")
ROWS+=("| stream errors | $(na "$(sse direct errors)") | $(na "$(sse nginx errors)") | $(na "$sse_err_g") | 0 | $( [[ -n $sse_err_g ]] && verdict "$sse_err_g == 0" || echo n/a) |")
ROWS+=("| CPU per stream (ms; direct = the mock's own) | $(na "${CPU_STREAM[direct]:-}") | $(na "${CPU_STREAM[nginx]:-}") | $(na "${CPU_STREAM[gateway]:-}") | | |")
ROWS+=("| TTFT p50 (ms) | $(na "$(sse direct ttft_p50_ms)") | $(na "$(sse nginx ttft_p50_ms)") | $(na "$(sse gateway ttft_p50_ms)") | | |")
tg99=$(sse gateway ttft_p99_ms); td99=$(sse direct ttft_p99_ms); tn99=$(sse nginx ttft_p99_ms)
vt="n/a"; addt=""
if [[ -n $tg99 && -n $td99 ]]; then
  addt=$(calc '%+.2f' "$tg99 - $td99"); vt="$addt ms — $(verdict "$tg99 - $td99 <= 2")"
fi
ROWS+=("| TTFT p99 (ms) | $(na "$td99")$(foreign_note sse-direct) | $(na "$tn99")$(foreign_note sse-nginx) | $(na "$tg99")$(foreign_note sse-gateway) | added ≤ 2 ms | $vt |")
ROWS+=("| TTFT max (ms) | $(na "$(sse direct ttft_max_ms)") | $(na "$(sse nginx ttft_max_ms)") | $(na "$(sse gateway ttft_max_ms)") | | |")
ROWS+=("| stream total p50 / p99 (ms) | $(na "$(sse direct total_p50_ms) / $(sse direct total_p99_ms)") | $(na "$(sse nginx total_p50_ms) / $(sse nginx total_p99_ms)") | $( [[ -n $tg99 ]] && echo "$(sse gateway total_p50_ms) / $(sse gateway total_p99_ms)" || echo n/a) | | |")
if [[ -n ${GW_RSS:-} ]]; then
  ROWS+=("| Tiergate RSS after streaming: VmRSS / VmHWM (MiB) | | | $((GW_RSS / 1024)) / $((GW_HWM / 1024)) | | (idle after start: $((GW_RSS_START / 1024)) MiB) |")
fi
ROWS+=("| other processes' CPU during throughput / latency (max round) / streaming (% of one CPU) | $(for t in direct nginx gateway; do [[ $t == direct ]] || printf ' | '; printf '%s / %s / %s' "$(na "${FOREIGN[tput-$t]:-}")" "$(na "${FOREIGN[lat-$t]:-}")" "$(na "${FOREIGN[sse-$t]:-}")"; done) | ≈ 0 | |")
TABLE=$(printf '%s\n' "${ROWS[@]}")
NOISY=0
for k in "${!FOREIGN[@]}"; do ((FOREIGN[$k] > 10)) && NOISY=1; done

JAVA_VERSION=$(java -version 2>&1 | head -2 | tr '\n' ' ' | sed 's/ *$//')
CPU_MODEL=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
MEM_GIB=$(awk '/^MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)
GIT_REV=$(git rev-parse --short HEAD 2>/dev/null || echo none)
git diff --quiet HEAD -- src 2>/dev/null || GIT_REV="$GIT_REV (src modified)"
JAR_SHA=$(sha256sum "$JAR" | cut -c1-12)
NOTES=""
[[ $GW_OK == 1 ]] || NOTES+=$'\n'"- **Tiergate problem:** $GW_PROBLEM"
((NOISY)) && NOTES+=$'\n'"- **noise:** other processes used more than 10 % of a CPU during some measurements (last row; ⚠ marks them); those figures are not clean."
REPORT=$(cat <<EOF
## $(date -u '+%Y-%m-%d %H:%M:%S UTC')

- command: \`$COMMAND_LINE\` (from \`$ROOT\`)
- machine: nproc $NPROC, $CPU_MODEL, ${MEM_GIB} GiB RAM, Linux $(uname -r)
- java: $JAVA_VERSION; $("$NGINX" -v 2>&1); wrk $({ wrk -v 2>&1 || true; } | head -1 | awk '{print $2}')
- gateway: \`$JAR\` (sha256 $JAR_SHA, git $GIT_REV), conf \`${CONF:-conf/tiergate.json}\`, JVM opts \`${BENCH_GATEWAY_JAVA_OPTS:-default}\`
- background: $BUSY_BEFORE% CPU busy in the second before the run (load average $LOAD_BEFORE)$( ((BUSY_BEFORE > 15)) && echo " — **the machine was not idle, figures are noisy**")
- warm-up (wrk -c$CONNS req/s per ${WARMUP} s round, until two rounds agree within 5 %): $(for t in "${TARGETS[@]}"; do printf '%s %s; ' "$t" "${WARM[$t]// / → }"; done | sed 's/; $//')
- CPU placement: $PLACEMENT. nginx runs $SERVER_NCPU worker(s); the mock runs one event loop per CPU it sees.
- streaming: SseLoad, $STREAMS workers each keeping one stream open (a new one as soon as the previous ends), first starts spread over 1 s, ${STREAM_WARMUP} s warm-up, then ${STREAM_SECONDS} s measured; TTFT = request start to the first \`data:\` line with content.
- CPU per request / per stream: user+system time of the server under test (\`/proc/PID/stat\`) divided by the requests or streams it served (for the direct target, the mock's own).${NOTES}

$TABLE

<details><summary>raw SseLoad output</summary>

\`\`\`
$(for t in "${STREAM_TARGETS[@]}"; do cat "$TMP/sse-$t.json" 2>/dev/null; done)
\`\`\`
</details>
EOF
)
printf '\n%s\n' "$REPORT"
if [[ ! -f $RESULTS ]]; then
  printf '# Tiergate benchmark results\n\nAppended by `loadtest/bench.sh`; newest last. See `loadtest/README.md`.\n' >"$RESULTS"
fi
printf '\n%s\n' "$REPORT" >>"$RESULTS"
log "appended to $RESULTS"
[[ $GW_OK == 1 || ${BENCH_NO_GATEWAY:-0} == 1 ]] || die "Tiergate did not proxy correctly: $GW_PROBLEM"
