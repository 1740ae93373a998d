#!/usr/bin/env bash
# Hoster benchmark (a harness, not a test): does answering for an unlisted domain through the default provider cost
# more than answering for a listed one? Renders samples/hoster.yaml, starts the responder and runs wrk against
# autoconfig for a listed domain, for an unlisted one (with an address, and by Host header without one), and at the
# MX name. Prints requests/s and p99 per URL.
#
# Usage: responder/bench/hoster-bench.sh [DURATION (default 10s)]
# Needs: java 17, maven (builds the jars if missing), wrk.
set -euo pipefail

DURATION=${1:-10s}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/responder/target/autogen-responder.jar
GEN=$ROOT/generator/target/autogen.jar
JAVA_OPTS=${JAVA_OPTS:--Xms64m -Xmx192m -XX:+UseSerialGC -Xss512k}
PORT=${RPORT:-14253}
WORK=$(mktemp -d /tmp/autogen-hoster-bench.XXXXXX)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

[ -f "$JAR" ] && [ -f "$GEN" ] || (cd "$ROOT" && mvn -B -q -pl generator,responder -am package -DskipTests)
java -jar "$GEN" render "$ROOT/samples/hoster.yaml" --out "$WORK/site" --responder-url "http://127.0.0.1:$PORT" >/dev/null 2>&1
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" --site "$WORK/site" --listen "127.0.0.1:$PORT" --no-access-log >"$WORK/responder.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done

run() { # label, path, host header
  local out
  wrk -t2 -c64 -d5s --latency -H "Host: $3" "http://127.0.0.1:$PORT$2" >/dev/null # warm-up
  out=$(wrk -t2 -c64 -d"$DURATION" --latency -H "Host: $3" "http://127.0.0.1:$PORT$2")
  printf '%-44s %10s req/s   p99 %s\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")"
}
run "listed domain, with address" "/mail/config-v1.1.xml?emailaddress=ann%40own-servers.example" autoconfig.own-servers.example
run "unlisted domain (default), with address" "/mail/config-v1.1.xml?emailaddress=bob%40customer.example" autoconfig.customer.example
run "unlisted domain (default), by Host header" "/mail/config-v1.1.xml" autoconfig.customer.example
run "MX name, with an unlisted address" "/mail/config-v1.1.xml?emailaddress=bob%40customer.example" autoconfig.hoster.example
