#!/usr/bin/env bash
# Mid-stream continuation under load, as an A/B on the streaming path (same mock, same pinning, interleaved runs):
#   A: conf/tiergate.json — gpt-4o has no fallback, so the answer's text is never kept and a cut stream ends with an
#      error frame;
#   B: the same with gpt-4o falling back to claude-sonnet-4-20250514 (marked prefill, served by the same mock through
#      ANTHROPIC_BASE_URL), so every stream keeps its text and a cut stream is continued by the fallback.
# Rounds without faults (A, B, A, B) measure what keeping the text costs; then one round each with the mock cutting a
# share of the streams mid-way (AB_FAULT_RATE) shows the errors A's clients get and B's do not.
#
#   loadtest/continuation.sh
# Knobs: AB_STREAMS [300] concurrent streams, AB_SECONDS [10] measured, AB_WARMUP [8] s discarded first,
#        AB_FAULT_RATE [0.05], BENCH_JAR [target/tiergate.jar, built when missing].
# Prints one line per run and a Markdown table; appends nothing (copy the table into RESULTS.md with the command).
set -euo pipefail
SCRIPT_NAME=continuation
source "$(dirname "$0")/lib.sh"

STREAMS=${AB_STREAMS:-300}
SECONDS_MEASURED=${AB_SECONDS:-10}
WARMUP=${AB_WARMUP:-8}
FAULT_RATE=${AB_FAULT_RATE:-0.05}

CONF_A=conf/tiergate.json
CONF_B=$TMP/continuation.json
python3 - "$CONF_A" "$CONF_B" <<'EOF'
import json, sys
conf = json.load(open(sys.argv[1]))
conf["models"]["gpt-4o"]["fallbacks"] = ["claude-sonnet-4-20250514"]
assert conf["models"]["claude-sonnet-4-20250514"]["prefill"]
json.dump(conf, open(sys.argv[2], "w"), indent=1)
EOF

start_mock
log "mock on $MOCK_PORT"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run LABEL CONF FAULT_RATE: one gateway, one SseLoad run (warm-up + measured), one result line
run() {
  local label=$1 conf=$2 fault=$3 pid before after
  free_port; local port=$PORT
  free_port; local admin=$PORT
  env -u DATABASE_URL -u TIERGATE_CLIENT_KEYS -u USE_LOCAL_LLM -u TIERGATE_CONF \
    TIERGATE_HTTP_PORT="$port" TIERGATE_HTTP_HOST=127.0.0.1 TIERGATE_ADMIN_PORT="$admin" \
    TIERGATE_ADMIN_HOST=127.0.0.1 TIERGATE_ACCESS_LOG_LEVEL=OFF \
    OPENAI_BASE_URL="http://127.0.0.1:$MOCK_PORT/v1" OPENAI_API_KEY=bench-key \
    ANTHROPIC_BASE_URL="http://127.0.0.1:$MOCK_PORT" ANTHROPIC_API_KEY=bench-key \
    TIERGATE_ALLOW_PRIVATE_UPSTREAMS=openai,anthropic \
    taskset -c "$SERVER_CPUS" java -jar "$JAR" serve --conf "$conf" >"$TMP/gateway-$label.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  wait_for "gateway-$label" "$pid" 60 http_ok "http://127.0.0.1:$port/healthz"
  before=$(ticks "$pid")
  taskset -c "$LOAD_CPUS" java -Xms512m -Xmx1g -cp "$JAR" loadtest/SseLoad.java \
    "http://127.0.0.1:$port/v1/chat/completions" -c "$STREAMS" --warmup-s "$WARMUP" \
    --duration-s "$SECONDS_MEASURED" --ramp-ms 1000 --timeout-s 90 --fault-rate "$fault" --label "$label" \
    >"$TMP/sse-$label.json" 2>"$TMP/sse-$label.err" || { cat "$TMP/sse-$label.err" >&2; die "SseLoad $label failed"; }
  after=$(ticks "$pid")
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  python3 - "$TMP/sse-$label.json" "$((after - before))" "$(getconf CLK_TCK)" "$fault" <<'EOF' | tee -a "$TMP/rows"
import json, sys
r = json.load(open(sys.argv[1]))
ticks, hz, fault = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
streams = r["count"] + r["warmup_count"]
cpu_ms = ticks * 1000.0 / hz / max(1, streams)
print(f'| {r["label"]} | {fault} | {r["count"]} | {r["ok"]} | {r["errors"]} | {r["ttft_p50_ms"]} / {r["ttft_p99_ms"]} '
      f'| {r["gap_p99_ms"]} | {cpu_ms:.3f} |')
EOF
}

: >"$TMP/rows"
run A1 "$CONF_A" 0
run B1 "$CONF_B" 0
run A2 "$CONF_A" 0
run B2 "$CONF_B" 0
run A-faults "$CONF_A" "$FAULT_RATE"
run B-faults "$CONF_B" "$FAULT_RATE"

echo
echo "$STREAMS concurrent streams (20 chunks, 50 ms apart), ${WARMUP} s warm-up + ${SECONDS_MEASURED} s measured per run;"
echo "A = no fallback (text never kept), B = prefill fallback (text kept, cut streams continued)."
echo
echo "| run | fault rate | streams | ok | errors | TTFT p50 / p99 ms | chunk gap p99 ms | CPU per stream ms |"
echo "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: |"
cat "$TMP/rows"
