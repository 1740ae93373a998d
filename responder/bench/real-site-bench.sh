#!/usr/bin/env bash
# Responder start-up time and memory with a large site rendered by the REAL generator (a harness, not a test).
# Usage: responder/bench/real-site-bench.sh [DOMAINS (default 100000)]
# Renders dev.autogen.bench.SyntheticSite (10 domains per provider) with generator/target/autogen.jar, starts the
# responder on it, and reports start-up to the first /health 200, RSS idle, wrk throughput/p99 for autoconfig GET
# with an address (64 connections, 10 s; skipped without wrk) and RSS after that load.
# Environment: JAVA_OPTS for the responder (default: the packaged service's, -Xms32m -Xmx256m -XX:+UseSerialGC),
# PORT (default 4399), BENCH_DIR (default bench-results/). The site is rendered once and kept (REUSE=0 re-renders):
# deleting and re-creating a 100k-domain site between runs would also slow the next render (see render-bench.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-100000}
work=${BENCH_DIR:-bench-results}
port=${PORT:-4399}
mkdir -p "$work"
if [ ! -f generator/target/autogen.jar ] || [ ! -f responder/target/autogen-responder.jar ] \
   || [ ! -d generator/target/test-classes/dev/autogen/bench ]; then
  mvn -B -q -DskipTests package >&2
fi
yaml="$work/site-$n.yaml"
site="$work/real-site-$n"
[ -f "$yaml" ] || java -cp generator/target/test-classes dev.autogen.bench.SyntheticSite "$n" "$yaml"
if [ "${REUSE:-1}" = 0 ] || [ ! -e "$site/current" ]; then
  java -jar generator/target/autogen.jar render "$yaml" --out "$site" --quiet
fi
echo "domains: $n; distinct private documents: $(ls "$site/current/private/docs" | wc -l)"

start=$(date +%s%N)
# shellcheck disable=SC2086
java ${JAVA_OPTS:--Xms32m -Xmx256m -XX:+UseSerialGC} -jar responder/target/autogen-responder.jar --site "$site" \
  --listen "127.0.0.1:$port" --no-access-log > "$work/real-site-responder.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do
  kill -0 $pid 2>/dev/null || { echo "responder exited; see $work/real-site-responder.log" >&2; exit 1; }
  sleep 0.05
done
end=$(date +%s%N)
rss() { echo $(( $(awk '/VmRSS/{print $2}' "/proc/$pid/status") / 1024 )); }
echo "start-up to first /health 200: $(( (end - start) / 1000000 )) ms"
sleep 2
echo "RSS idle: $(rss) MiB"
d=$(awk -F'\t' 'NR==2{print $1}' "$site/current/private/domains.tsv")
url="http://127.0.0.1:$port/mail/config-v1.1.xml?emailaddress=someone@$d"
if command -v wrk >/dev/null; then
  wrk -t2 -c64 -d10s --latency "$url" | grep -E "Requests/sec|99%"
  echo "RSS after load: $(rss) MiB"
else
  echo "wrk not installed (apt-get install wrk): load part skipped"
fi
