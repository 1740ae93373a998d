#!/usr/bin/env bash
# Responder at scale (a harness, not a test): start-up, memory and autoconfig latency with a large site.
# Usage: responder/bench/scale-bench.sh SITE_DIR [JAR (default responder/target/autogen-responder.jar)] [DURATION (10s)]
# SITE_DIR: e.g. `python3 responder/bench/synthetic-site.py /tmp/s1m 1000000` (10,000 providers, 11 columns).
# Reports: process start to the first /health 200 (wall and CPU), RSS idle, the live heap after a full GC
# (jcmd GC.heap_info), autoconfig GET with an address at 10,000 domains picked at random (wrk, 64 connections,
# after a warm-up) and RSS after the load. JVM options: $JAVA_OPTS (default: none, i.e. what the launcher adds).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SITE=$1 JAR=${2:-$ROOT/responder/target/autogen-responder.jar} DURATION=${3:-10s}
PORT=${PORT:-24398}
WORK=$(mktemp -d /tmp/autogen-scale.XXXXXX)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
# RSS, and of it the mapped files (the document packs' pages in use: page cache, shared and reclaimable).
rss() { awk '/VmRSS/ {r = $2} /RssFile/ {f = $2} END {printf "%.0f (files %.0f)", r/1024, f/1024}' "/proc/$PID/status"; }
echo "site: $(grep -vc "^#" "$SITE/current/private/domains.tsv") domains, $(ls "$SITE/current/private/docs" | wc -l) files in private/docs ($(du -sh "$SITE/current/private/docs" | cut -f1)); JAVA_OPTS=${JAVA_OPTS:-}"
t0=$(date +%s%N)
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -jar "$JAR" --site "$SITE" --listen "127.0.0.1:$PORT" --no-access-log >"$WORK/log" 2>&1 &
PID=$!
until curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; do
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/log" >&2; exit 1; }
  sleep 0.02
done
echo "start-up: $(( ($(date +%s%N) - t0) / 1000000 )) ms wall, $(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$PID/stat") s CPU"
sleep 1
echo "RSS idle: $(rss) MB"
jcmd "$PID" GC.run >/dev/null
echo "live heap after full GC: $(jcmd "$PID" GC.heap_info | grep -E 'generation|heap' | grep -oE 'used [0-9]+K' | tr -dc '0-9\n' | awk '{s += $1} END {printf "%.0f", s/1024}') MB"
grep -v '^#' "$SITE/current/private/domains.tsv" | cut -f1 | shuf -n 10000 --random-source=<(yes) >"$WORK/domains"
url="http://127.0.0.1:$PORT/mail/config-v1.1.xml"
wrk -t2 -c64 -d5s -s "$ROOT/responder/bench/random-domain.lua" "$url" -- "$WORK/domains" >/dev/null
wrk -t2 -c64 -d"$DURATION" --latency -s "$ROOT/responder/bench/random-domain.lua" "$url" -- "$WORK/domains" \
  | grep -E "Requests/sec|Non-2xx| 50%| 99%"
echo "RSS after load: $(rss) MB"
