#!/usr/bin/env bash
# Load benchmark for the responder (a harness, not a test). One run reports, for each site size:
# requests/s and p99 latency at 64 connections for autoconfig GET, Autodiscover POST and mobileconfig GET,
# the ratio to NGINX serving the same autoconfig document as a static file, resident memory with the site
# loaded, and start-up time (process start to first 200 from /health).
#
# Usage: responder/bench/load-bench.sh [DURATION (default 10s)] [BIG_SITE_DOMAINS (default 100000; 0 skips)]
# Needs: java 17, maven (builds the jars if missing), python3; installs wrk and nginx with apt-get if missing.
# The small site is samples/example.yaml rendered by the real generator; the big one is synthetic
# (synthetic-site.py: documents shared per provider, as the site format intends).
# JAR=path benchmarks another build of the responder (A/B comparisons). JVM options: $JAVA_OPTS (default below: the settings docs/responder.md recommends).
set -euo pipefail

DURATION=${1:-10s}
BIG=${2:-100000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=$ROOT/responder/bench
JAR=${JAR:-$ROOT/responder/target/autogen-responder.jar}  # JAR=... compares two builds
JAVA_OPTS=${JAVA_OPTS:--Xms64m -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=4 -Xss512k -XX:MaxMetaspaceSize=64m}
WORK=$(mktemp -d /tmp/autogen-bench.XXXXXX)
chmod 755 "$WORK" # nginx workers run as another user
RPORT=${RPORT:-14243}
NPORT=${NPORT:-14280}
CONNS=64
ROUNDS=${ROUNDS:-3}
RESPONDER_PID="" NGINX_PID=""

cleanup() {
  [ -n "$RESPONDER_PID" ] && kill "$RESPONDER_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk || ! need nginx; then
  echo "installing wrk and nginx with apt-get" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null
fi
PATH=$PATH:/usr/sbin
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -pl responder -am package -DskipTests)

# Renders a site into $1: the real generator when it can render samples/example.yaml, else the synthetic one.
render_samples() {
  local out=$1
  local gen=$ROOT/generator/target/autogen.jar
  [ -f "$gen" ] || (cd "$ROOT" && mvn -B -q -pl generator -am package -DskipTests >/dev/null 2>&1) || true
  if [ -f "$gen" ] && java -jar "$gen" render "$ROOT/samples/example.yaml" --out "$out" >/dev/null 2>&1; then
    echo "samples/example.yaml (real generator)"
  else
    python3 "$BENCH/synthetic-site.py" "$out" 20 2 >/dev/null
    echo "synthetic, 20 domains"
  fi
}

# CPU time (clock ticks) used so far by a process and its children threads; for nginx, master plus workers.
cpu_ticks() {
  local t=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo $t
}

# Prints "requests/s p99_ms cpu_us_per_request" for one wrk run against the server whose pids are in $PIDS.
wrk_run() {
  local out before after
  before=$(cpu_ticks $PIDS)
  out=$(wrk -t2 -c$CONNS -d"$DURATION" --latency "$@" 2>&1)
  after=$(cpu_ticks $PIDS)
  if echo "$out" | grep -q "Non-2xx"; then echo "non-2xx answers in: $*" >&2; echo "$out" >&2; fi
  echo "$out" | awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /requests in/ {n = $1}
    /Requests\/sec/ {rps = $2}
    $1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v = v / 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v = v * 1000}; p99 = v}
    END {printf "%s %.2f %.1f\n", rps, p99, (n > 0 ? ticks * 1e6 / hz / n : 0)}'
}

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

start_responder() {
  local site=$1 t0
  t0=$(date +%s%N)
  java $JAVA_OPTS -jar "$JAR" --site "$site" --listen "127.0.0.1:$RPORT" >"$WORK/access.log" 2>"$WORK/responder.err" &
  RESPONDER_PID=$!
  until curl -fs "http://127.0.0.1:$RPORT/health" >/dev/null 2>&1; do
    kill -0 "$RESPONDER_PID" 2>/dev/null || { cat "$WORK/responder.err" >&2; exit 1; }
    sleep 0.02
  done
  STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
  # CPU seconds spent getting there: on a busy shared machine this, not the wall time, says what start-up costs.
  STARTUP_CPU=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$RESPONDER_PID/stat")
}

stop_responder() { kill "$RESPONDER_PID"; wait "$RESPONDER_PID" 2>/dev/null || true; RESPONDER_PID=""; }

start_nginx() {
  local root=$1
  mkdir -p "$WORK/nginx"
  cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
  access_log $WORK/nginx/access.log;
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  types { text/xml xml; }
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  server { listen 127.0.0.1:$NPORT; root $root; charset utf-8; }
}
CONF
  nginx -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
  NGINX_PID=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$NPORT/mail/config-v1.1.xml" >/dev/null 2>&1 && return; sleep 0.05; done
  echo "nginx does not serve the document:" >&2; tail -3 "$WORK/nginx/error.log" >&2; exit 1
}

median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# Under a shared, busy machine absolute numbers drift: NGINX and the responder run in alternating rounds, each
# figure is the median over the rounds, and CPU time per request (robust to contention) is reported beside it.
bench_site() {
  local label=$1 site=$2 startup rss_idle rss_load round
  start_responder "$site"; startup=$STARTUP_MS; STARTUP_CPU_SAVED=$STARTUP_CPU
  rss_idle=$(rss_mb "$RESPONDER_PID")
  start_nginx "$(readlink -f "$site/current")/public/example.com"
  local base="http://127.0.0.1:$RPORT"
  local ac="$base/mail/config-v1.1.xml?emailaddress=user@example.com" mc="$base/mobileconfig/?emailaddress=user@example.com&name=User"
  # Warm-up (JIT) before measuring.
  wrk -t2 -c$CONNS -d3s "$ac" >/dev/null
  wrk -t2 -c$CONNS -d3s -s "$BENCH/autodiscover-post.lua" "$base/autodiscover/autodiscover.xml" >/dev/null
  wrk -t2 -c$CONNS -d2s "$mc" >/dev/null
  : >"$WORK/rounds"
  for round in $(seq "$ROUNDS"); do
    PIDS="$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
    echo "nginx $(wrk_run "http://127.0.0.1:$NPORT/mail/config-v1.1.xml")" >>"$WORK/rounds"
    PIDS=$RESPONDER_PID
    echo "autoconfig $(wrk_run "$ac")" >>"$WORK/rounds"
    echo "autodiscover $(wrk_run -s "$BENCH/autodiscover-post.lua" "$base/autodiscover/autodiscover.xml")" >>"$WORK/rounds"
    echo "mobileconfig $(wrk_run "$mc")" >>"$WORK/rounds"
  done
  rss_load=$(rss_mb "$RESPONDER_PID")
  stop_responder
  kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""

  col() { awk -v k="$1" -v c="$2" '$1 == k {print $c}' "$WORK/rounds" | median; }
  local nginx_rps nginx_cpu; nginx_rps=$(col nginx 2); nginx_cpu=$(col nginx 4)
  echo
  echo "== $label ($ROUNDS rounds, medians)"
  printf "%-26s %11s %8s %9s %12s %10s\n" "endpoint (64 connections)" "requests/s" "p99 ms" "vs nginx" "CPU us/req" "vs nginx"
  local k name
  for k in nginx autoconfig autodiscover mobileconfig; do
    case $k in nginx) name="nginx static autoconfig";; autoconfig) name="autoconfig GET";;
                autodiscover) name="Autodiscover POST";; mobileconfig) name="mobileconfig GET";; esac
    printf "%-26s %11s %8s %9s %12s %10s\n" "$name" "$(col $k 2)" "$(col $k 3)" \
      "$(awk -v a="$(col $k 2)" -v b="$nginx_rps" 'BEGIN {printf "%.2f", a / b}')" "$(col $k 4)" \
      "$(awk -v a="$nginx_cpu" -v b="$(col $k 4)" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
  done
  echo "(CPU 'vs nginx' = nginx CPU per request / responder CPU per request: the efficiency ratio)"
  echo "start-up (process start to first /health 200): ${startup} ms wall, ${STARTUP_CPU_SAVED} s CPU;" \
       "RSS loaded idle: ${rss_idle} MB, after load: ${rss_load} MB"
}

echo "autogen responder load benchmark: $(date -u +%FT%TZ), $(nproc) cores, wrk ${DURATION} x 64 connections"
echo "machine load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "JAVA_OPTS=$JAVA_OPTS"
SMALL=$WORK/site-small
mkdir -p "$SMALL"
label=$(render_samples "$SMALL")
bench_site "small site: $label" "$SMALL"
if [ "$BIG" -gt 0 ]; then
  mkdir -p "$WORK/site-big"
  python3 "$BENCH/synthetic-site.py" "$WORK/site-big" "$BIG" >/dev/null
  bench_site "synthetic site: $BIG domains, $((BIG / 100)) providers" "$WORK/site-big"
fi
echo "machine load after: $(cut -d' ' -f1-3 /proc/loadavg)"
