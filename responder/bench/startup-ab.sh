#!/usr/bin/env bash
# Start-up A/B of two responder builds (a harness, not a test): process start to the first /health 200, wall time,
# CPU seconds and resident memory, the two builds alternating so that a busy machine disturbs both alike.
#
# Usage: responder/bench/startup-ab.sh JAR_A JAR_B SITE_DIR [ROUNDS (default 4)]
# SITE_DIR is a rendered site (e.g. `python3 responder/bench/synthetic-site.py /tmp/big 100000`).
# JVM options: the packaged service's (-Xms32m -Xmx256m -XX:+UseSerialGC) unless $JAVA_OPTS is set.
set -euo pipefail
A=$1 B=$2 SITE=$3 ROUNDS=${4:-4}
PORT=${PORT:-24299}
JAVA_OPTS=${JAVA_OPTS:--Xms32m -Xmx256m -XX:+UseSerialGC}
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null || true' EXIT
echo "machine load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$ROUNDS"); do
  for jar in "$A" "$B"; do
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    java $JAVA_OPTS -jar "$jar" --site "$SITE" --listen "127.0.0.1:$PORT" --no-access-log 2>/dev/null &
    PID=$!
    for _ in $(seq 6000); do
      curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
      kill -0 "$PID" 2>/dev/null || { echo "$jar exited" >&2; exit 1; }
      sleep 0.02
    done
    wall=$(( ($(date +%s%N) - t0) / 1000000 ))
    cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$PID/stat")
    rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$PID/status")
    echo "round $r $(basename "$jar"): ${wall} ms wall, ${cpu} s CPU, RSS ${rss} MB"
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  done
done
echo "machine load after: $(cut -d' ' -f1-3 /proc/loadavg)"
