# Shared helpers for loadtest/soak.sh and loadtest/slowreaders.sh (sourced, not run).
# Provides: log, die, start_bg (tracked background process), free_port, wait_for, http_ok, gateway_env,
# JAVA_HOME (>= 21), LOAD_CPUS / SERVER_CPUS (load generators on CPU 0, servers on the rest), TMP, a cleanup trap.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
log() { printf '[%s %s] %s\n' "${SCRIPT_NAME:-load}" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

PIDS=()
TMP=$(mktemp -d "/tmp/tiergate-${SCRIPT_NAME:-load}.XXXXXX")
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
  log "logs in $TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if [[ -z ${JAVA_HOME:-} || ! -x $JAVA_HOME/bin/java || $(java_major "$JAVA_HOME/bin/java") -lt 21 ]]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

JAR=${BENCH_JAR:-$ROOT/target/tiergate.jar}
if [[ ! -f $JAR ]]; then
  log "building: mvn -q -B package -DskipTests"
  mvn -q -B package -DskipTests || die "maven build failed"
fi

NPROC=$(nproc)
if ((NPROC >= 2)); then LOAD_CPUS=0; SERVER_CPUS="1-$((NPROC - 1))"; else LOAD_CPUS=0; SERVER_CPUS=0; fi

declare -A TAKEN=()
PORT=""
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((10000 + RANDOM % 20000)) # below the ephemeral range (32768+), which clients at load fill
    [[ -n ${TAKEN[$p]:-} ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then TAKEN[$p]=1; PORT=$p; return; fi
  done
  die "no free port"
}

# wait_for NAME PID SECONDS COMMAND...: polls COMMAND until it succeeds
wait_for() {
  local name=$1 pid=$2 secs=$3
  shift 3
  local deadline=$((SECONDS + secs))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$TMP/$name.log" >&2 || true; die "$name exited during startup"; }
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  die "$name not ready after ${secs}s"
}
http_ok() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@") == 200 ]]; }

# start_mock: the mock upstream on CPU(s) SERVER_CPUS; sets MOCK_PORT, MOCK_PID
start_mock() {
  free_port; MOCK_PORT=$PORT
  taskset -c "$SERVER_CPUS" java -Xms256m -Xmx512m -cp "$JAR" loadtest/MockUpstream.java "$MOCK_PORT" \
    >"$TMP/mock.log" 2>&1 &
  MOCK_PID=$!
  PIDS+=("$MOCK_PID")
  wait_for mock "$MOCK_PID" 90 grep -q "mock listening on $MOCK_PORT" "$TMP/mock.log"
}

# start_gateway [JAVA_OPTS...]: the gateway on SERVER_CPUS against the mock; sets GW_PORT, GW_ADMIN_PORT, GW_PID
start_gateway() {
  free_port; GW_PORT=$PORT
  free_port; GW_ADMIN_PORT=$PORT
  env -u DATABASE_URL -u TIERGATE_CLIENT_KEYS -u USE_LOCAL_LLM -u TIERGATE_CONF \
    TIERGATE_HTTP_PORT="$GW_PORT" TIERGATE_HTTP_HOST=127.0.0.1 \
    TIERGATE_ADMIN_PORT="$GW_ADMIN_PORT" TIERGATE_ADMIN_HOST=127.0.0.1 TIERGATE_ACCESS_LOG_LEVEL=OFF \
    OPENAI_BASE_URL="http://127.0.0.1:$MOCK_PORT/v1" OPENAI_API_KEY=bench-key TIERGATE_ALLOW_PRIVATE_UPSTREAMS=openai \
    taskset -c "$SERVER_CPUS" java "$@" -jar "$JAR" >"$TMP/gateway.log" 2>&1 &
  GW_PID=$!
  PIDS+=("$GW_PID")
  wait_for gateway "$GW_PID" 60 http_ok "http://127.0.0.1:$GW_PORT/healthz"
}

# metric NAME_AND_LABELS_REGEX: sum of the matching samples on the gateway's /metrics
metric() {
  curl -s --max-time 5 "http://127.0.0.1:$GW_ADMIN_PORT/metrics" | awk -v re="^$1" '$0 ~ re {s += $NF} END {printf "%.0f\n", s}'
}
status_field() { awk -v f="$1:" '$1 == f {print $2}' "/proc/$GW_PID/status"; }
