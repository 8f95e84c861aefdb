#!/usr/bin/env bash
# Soak: streams for a long time with 1 % cut by the upstream and 1 % abandoned by the client, while the gateway's
# heap after GC, threads, open files, direct memory and RSS are sampled; Netty leak detection at paranoid level.
# Appends a results block to loadtest/RESULTS.md. See loadtest/README.md.
#
#   loadtest/soak.sh                          30 minutes
#   SOAK_DURATION=2h loadtest/soak.sh         longer (s, m or h)
#
# Knobs: SOAK_DURATION [30m]  SOAK_STREAMS [500]  SOAK_CHUNKS [20]  SOAK_GAP_MS [50]  SOAK_FAULT_RATE [0.01]
#        SOAK_ABANDON_PCT [1]  SOAK_SAMPLE_S [30]  BENCH_JAR [target/tiergate.jar]  SOAK_RESULTS [loadtest/RESULTS.md]
set -Eeuo pipefail
SCRIPT_NAME=soak
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=${SOAK_DURATION:-30m}
case $DURATION in
  *h) SECONDS_TOTAL=$((${DURATION%h} * 3600)) ;;
  *m) SECONDS_TOTAL=$((${DURATION%m} * 60)) ;;
  *s) SECONDS_TOTAL=${DURATION%s} ;;
  *) SECONDS_TOTAL=$DURATION ;;
esac
STREAMS=${SOAK_STREAMS:-500}
CHUNKS=${SOAK_CHUNKS:-20}
GAP_MS=${SOAK_GAP_MS:-50}
FAULT=${SOAK_FAULT_RATE:-0.01}
ABANDON=${SOAK_ABANDON_PCT:-1}
SAMPLE_S=${SOAK_SAMPLE_S:-30}
RESULTS=${SOAK_RESULTS:-$ROOT/loadtest/RESULTS.md}

start_mock
start_gateway -Xms256m -Xmx512m -Dio.netty.leakDetection.level=paranoid
log "gateway pid $GW_PID on :$GW_PORT, mock on :$MOCK_PORT; soak for ${SECONDS_TOTAL}s with $STREAMS streams"

sample() { # elapsed_s heap_after_gc_bytes direct_bytes threads fds rss_kib
  jcmd "$GW_PID" GC.run >/dev/null 2>&1 || true
  sleep 1
  printf '%s %s %s %s %s %s\n' "$1" "$(metric 'jvm_memory_used_bytes[{]area="heap"')" \
    "$(metric 'tiergate_netty_direct_memory_bytes[{]allocator="vertx"')" "$(status_field Threads)" \
    "$(ls "/proc/$GW_PID/fd" | wc -l)" "$(status_field VmRSS)"
}

taskset -c "$LOAD_CPUS" java -Xmx1g -cp "$JAR" loadtest/SseLoad.java "http://127.0.0.1:$GW_PORT/v1/chat/completions" \
  -c "$STREAMS" --chunks "$CHUNKS" --gap-ms "$GAP_MS" --duration-s "$SECONDS_TOTAL" --ramp-ms 5000 \
  --abandon-pct "$ABANDON" --fault-rate "$FAULT" --timeout-s $((SECONDS_TOTAL + 120)) --label soak \
  >"$TMP/load.json" 2>"$TMP/load.log" &
LOAD_PID=$!
PIDS+=("$LOAD_PID")
START=$SECONDS
: >"$TMP/samples.txt"
while kill -0 "$LOAD_PID" 2>/dev/null; do
  sleep "$SAMPLE_S"
  kill -0 "$LOAD_PID" 2>/dev/null || break
  sample $((SECONDS - START)) | tee -a "$TMP/samples.txt" >&2
done
wait "$LOAD_PID" || true
sleep 5 # streams drained: the last sample shows what stays behind
sample $((SECONDS - START)) | tee -a "$TMP/samples.txt" >&2
LEAKS=$(grep -c 'LEAK:' "$TMP/gateway.log" || true)
LOAD=$(cat "$TMP/load.json")

# Flat = the last third's mean is within 10 % (plus a small absolute slack) of the first third's, warm-up excluded.
verdicts=$(awk '
  { n++; for (i = 2; i <= 6; i++) v[n, i] = $i }
  END {
    split("heap_after_gc_MiB netty_direct_MiB threads fds rss_MiB", name, " ")
    split("1048576 1048576 1 1 1024", scale, " ")
    split("8 4 4 16 32", slack, " ")
    third = int((n - 1) / 3); if (third < 1) third = 1
    for (i = 2; i <= 6; i++) {
      a = 0; b = 0
      for (k = 2; k <= 1 + third; k++) a += v[k, i]
      for (k = n - third + 1; k <= n; k++) b += v[k, i]
      a = a / third / scale[i - 1]; b = b / third / scale[i - 1]
      printf "| %s | %.1f | %.1f | %s |\n", name[i - 1], a, b, (b <= a * 1.1 + slack[i - 1] ? "flat" : "GROWING")
    }
  }' "$TMP/samples.txt")

{
  echo
  echo "## Soak ($(date -u '+%Y-%m-%d %H:%M UTC'), git $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
  echo
  echo "\`SOAK_DURATION=$DURATION SOAK_STREAMS=$STREAMS loadtest/soak.sh\`: $STREAMS concurrent streams ($CHUNKS chunks, $GAP_MS ms apart),"
  echo "$FAULT of them cut by the mock mid-stream, $ABANDON % abandoned by the client after two chunks; gateway with"
  echo "\`-Xmx512m -Dio.netty.leakDetection.level=paranoid\`, sampled every ${SAMPLE_S} s after a forced GC."
  echo
  echo "| series | first third (mean) | last third (mean) | verdict |"
  echo "| --- | --- | --- | --- |"
  echo "$verdicts"
  echo
  echo "Netty leak reports (\`LEAK:\` in the gateway log): **$LEAKS**. Load generator: \`$LOAD\`"
  echo
  echo "<details><summary>samples: elapsed s, heap after GC bytes, Netty direct bytes, threads, fds, RSS KiB</summary>"
  echo
  echo '```'
  cat "$TMP/samples.txt"
  echo '```'
  echo "</details>"
} >>"$RESULTS"
log "results appended to $RESULTS (leaks: $LEAKS)"
echo "$verdicts"
