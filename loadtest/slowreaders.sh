#!/usr/bin/env bash
# Slow readers: 200 clients read their streams at 100 bytes/s while normal clients stream through the same gateway.
# Measures the normal clients' TTFT and chunk gaps with and without the slow readers, and the gateway's RSS, so that
# per-stream memory under backpressure and the effect on other clients are on record. Appends to loadtest/RESULTS.md.
#
#   loadtest/slowreaders.sh
#
# Knobs: SLOW_CLIENTS [200]  SLOW_RATE [100] bytes/s  SLOW_SECONDS [60]  NORMAL_STREAMS [200]  NORMAL_SECONDS [20]
#        BENCH_JAR [target/tiergate.jar]  SLOW_RESULTS [loadtest/RESULTS.md]
set -Eeuo pipefail
SCRIPT_NAME=slowreaders
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SLOW_CLIENTS=${SLOW_CLIENTS:-200}
SLOW_RATE=${SLOW_RATE:-100}
SLOW_SECONDS=${SLOW_SECONDS:-60}
NORMAL_STREAMS=${NORMAL_STREAMS:-200}
NORMAL_SECONDS=${NORMAL_SECONDS:-20}
RESULTS=${SLOW_RESULTS:-$ROOT/loadtest/RESULTS.md}

start_mock
start_gateway -Xms256m -Xmx512m
URL="http://127.0.0.1:$GW_PORT/v1/chat/completions"

normal() { # label: NORMAL_STREAMS streams of 20 chunks 50 ms apart for NORMAL_SECONDS, after 5 s of warm-up
  taskset -c "$LOAD_CPUS" java -cp "$JAR" loadtest/SseLoad.java "$URL" -c "$NORMAL_STREAMS" --chunks 20 --gap-ms 50 \
    --warmup-s 5 --duration-s "$NORMAL_SECONDS" --timeout-s $((NORMAL_SECONDS + 60)) --label "$1" 2>>"$TMP/load.log"
}
field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" <<<"$2"; }

log "baseline: $NORMAL_STREAMS normal streams, no slow readers"
BASE=$(normal baseline)
RSS_BASE=$(status_field VmRSS)

log "$SLOW_CLIENTS slow readers at $SLOW_RATE B/s for ${SLOW_SECONDS}s (streams of 2000 chunks, 100 ms apart: ~15 times what they read)"
taskset -c "$LOAD_CPUS" java loadtest/SlowReaders.java 127.0.0.1 "$GW_PORT" "$SLOW_CLIENTS" "$SLOW_RATE" \
  "$SLOW_SECONDS" 2000 100 >"$TMP/slow.json" 2>"$TMP/slow.log" &
SLOW_PID=$!
PIDS+=("$SLOW_PID")
sleep 10 # every slow stream is open and its buffers are full
RSS_SLOW_BEFORE=$(status_field VmRSS)
WITH=$(normal with_slow_readers)
RSS_SLOW_AFTER=$(status_field VmRSS)
wait "$SLOW_PID" || true
SLOW=$(cat "$TMP/slow.json")

per_stream_kib=$(( (RSS_SLOW_AFTER - RSS_BASE) / SLOW_CLIENTS ))
{
  echo
  echo "## Slow readers ($(date -u '+%Y-%m-%d %H:%M UTC'), git $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) CPUs)"
  echo
  echo "\`loadtest/slowreaders.sh\`: $SLOW_CLIENTS clients reading at $SLOW_RATE B/s (1 KiB receive buffer) next to"
  echo "$NORMAL_STREAMS normal streams (20 chunks, 50 ms apart); gateway \`-Xmx512m\`."
  echo
  echo "| normal clients | streams ok | errors | TTFT p50 / p99 ms | chunk gap p50 / p99 ms |"
  echo "| --- | --- | --- | --- | --- |"
  echo "| alone | $(field ok "$BASE") | $(field errors "$BASE") | $(field ttft_p50_ms "$BASE") / $(field ttft_p99_ms "$BASE") | $(field gap_p50_ms "$BASE") / $(field gap_p99_ms "$BASE") |"
  echo "| with slow readers | $(field ok "$WITH") | $(field errors "$WITH") | $(field ttft_p50_ms "$WITH") / $(field ttft_p99_ms "$WITH") | $(field gap_p50_ms "$WITH") / $(field gap_p99_ms "$WITH") |"
  echo
  echo "Gateway RSS: $((RSS_BASE / 1024)) MiB after the baseline, $((RSS_SLOW_BEFORE / 1024)) MiB with the slow readers"
  echo "connected, $((RSS_SLOW_AFTER / 1024)) MiB at the end: about $per_stream_kib KiB per slow stream. Slow readers: \`$SLOW\`"
} >>"$RESULTS"
log "results appended to $RESULTS"
