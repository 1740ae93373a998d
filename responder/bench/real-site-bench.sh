#!/usr/bin/env bash
# Responder start-up time and memory with a large site rendered by the REAL generator (a harness, not a test).
# Usage: responder/bench/real-site-bench.sh [DOMAINS (default 100000)]
# Renders dev.autogen.bench.SyntheticSite with generator/target/autogen.jar, starts the responder on it, and
# reports start-up to the first /health 200, RSS idle, wrk throughput/p99 for autoconfig GET with an address (64
# connections; skipped without wrk) and RSS after that load.
# Environment:
#   SITE=DIR          measure this rendered site (any size, shape or layout) instead of rendering one
#   SHAPE=providers|hoster, LAYOUT=tree|compact   the site to render, as generator/bench/render-bench.sh takes
#                     them (LAYOUT needs a generator with render --layout; unset: the default layout)
#   DURATION          wrk's run (default 10s); JAVA_OPTS for the responder (default: the packaged service's,
#                     -Xms32m -Xmx256m -XX:+UseSerialGC; give a million domains more, e.g. -Xmx1g)
#   PORT (default 4399), BENCH_DIR (default bench-results/). The site is rendered once and kept (REUSE=0
#   re-renders): deleting and re-creating a big site between runs would also slow the next render.
# With responder/bench/scale-bench.sh present (the responder's own harness: CPU at start-up, live heap, load over
# 10,000 random domains), the measuring is left to it; the section below it is the fallback.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-100000}
work=${BENCH_DIR:-bench-results}
port=${PORT:-4399}
duration=${DURATION:-10s}
shape=${SHAPE:-providers}
mkdir -p "$work"

# ---- the site: given, or rendered by the real generator ----
if [ -n "${SITE:-}" ]; then
  site=$SITE
  [ -e "$site/current/private/domains.tsv" ] || { echo "SITE=$site: no current/private/domains.tsv" >&2; exit 2; }
else
  if [ ! -f generator/target/autogen.jar ] || [ ! -f responder/target/autogen-responder.jar ] \
     || [ ! -d generator/target/test-classes/dev/autogen/bench ]; then
    mvn -B -q -DskipTests package >&2
  fi
  case "$shape" in providers) shape_arg=() ;; hoster) shape_arg=(--hoster) ;;
    *) echo "SHAPE: providers or hoster" >&2; exit 2 ;; esac
  layout_arg=()
  if [ -n "${LAYOUT:-}" ]; then
    if java -jar generator/target/autogen.jar render --help 2>&1 | grep -q -- '--layout'; then
      layout_arg=(--layout "$LAYOUT")
    elif [ "$LAYOUT" != tree ]; then
      echo "LAYOUT=$LAYOUT: this generator has no render --layout" >&2; exit 2
    fi
  fi
  yaml="$work/site-$shape-$n.yaml"
  site="$work/real-site-$shape-${LAYOUT:-default}-$n"
  [ -f "$yaml" ] || java -cp generator/target/test-classes dev.autogen.bench.SyntheticSite "$n" "$yaml" "${shape_arg[@]}"
  if [ "${REUSE:-1}" = 0 ] || [ ! -e "$site/current" ]; then
    start=$(date +%s%N)
    java -XX:+UseParallelGC -jar generator/target/autogen.jar render "$yaml" --out "$site" "${layout_arg[@]}" --quiet
    echo "rendered in $(( ($(date +%s%N) - start) / 1000000 )) ms"
  fi
fi
[ -f responder/target/autogen-responder.jar ] || mvn -B -q -pl common,responder -am -DskipTests package >&2
echo "site: $site; $(grep -vc "^#" "$site/current/private/domains.tsv") domains; document packs:" \
  "$(ls "$site/current/private/docs" | wc -l)"

if [ -x responder/bench/scale-bench.sh ]; then
  JAVA_OPTS=${JAVA_OPTS:--Xms32m -Xmx256m -XX:+UseSerialGC} \
    exec responder/bench/scale-bench.sh "$site" responder/target/autogen-responder.jar "$duration"
fi

# ---- fallback: one domain's autoconfig ----
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
d=$(awk -F'\t' '!/^#/ {print $1; exit}' "$site/current/private/domains.tsv")
url="http://127.0.0.1:$port/mail/config-v1.1.xml?emailaddress=someone@$d"
if command -v wrk >/dev/null; then
  wrk -t2 -c64 -d"$duration" --latency "$url" | grep -E "Requests/sec|Non-2xx|99%"
  echo "RSS after load: $(rss) MiB"
else
  echo "wrk not installed (apt-get install wrk): load part skipped"
fi
