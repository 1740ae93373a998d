#!/usr/bin/env bash
# Signing benchmark for the responder (a harness, not a test): per-user mobileconfig GET unsigned, signed with
# RSA-2048 and signed with EC P-256 (requests/s and p99), each for one user asking again and again (answered from
# the responder's memory of recently signed profiles after the first) and for a new user on every request (each
# one signed), and the p99 of autoconfig GET alone and while the responder is busy signing. Rounds alternate between the variants, so a neighbour's load on a shared machine
# spreads over all of them; the load average is printed before and after.
#
# Usage: responder/bench/signing-bench.sh [DURATION (default 5s)] [ROUNDS (default 3)]
# Needs: java 17, maven (builds the jars if missing), openssl, wrk, curl.
set -euo pipefail

DURATION=${1:-5s}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/responder/target/autogen-responder.jar
GEN=$ROOT/generator/target/autogen.jar
JAVA_OPTS=${JAVA_OPTS:--Xms64m -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=4 -Xss512k -XX:MaxMetaspaceSize=64m}
WORK=$(mktemp -d /tmp/autogen-signing-bench.XXXXXX)
RPORT=${RPORT:-14343}
CONNS=${CONNS:-64}
RESPONDER_PID=""

cleanup() {
  [ -n "$RESPONDER_PID" ] && kill "$RESPONDER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -f "$JAR" ] && [ -f "$GEN" ] || (cd "$ROOT" && mvn -B -q -pl generator,responder -am package -DskipTests)

# A CA and one signer per key type, as an admin would have them (S/MIME certificate, PKCS#8 key).
pki() {
  local kind=$1 newkey
  if [ "$kind" = rsa ]; then newkey=(-newkey rsa:2048); else newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); fi
  mkdir -p "$WORK/$kind" && cd "$WORK/$kind"
  openssl req -x509 "${newkey[@]}" -nodes -keyout ca.key -out ca.pem -days 30 -subj "/CN=bench CA $kind" 2>/dev/null
  openssl req "${newkey[@]}" -nodes -keyout signer.key -out signer.csr -subj "/CN=bench $kind" 2>/dev/null
  printf 'keyUsage=critical,digitalSignature\nextendedKeyUsage=emailProtection\n' >ext
  openssl x509 -req -in signer.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 10 -extfile ext -out leaf.pem 2>/dev/null
  cat leaf.pem ca.pem >signer.pem
  cd - >/dev/null
}
pki rsa
pki ec

provider() { # id, signing block
  cat <<YAML
  - id: $1
    name: Bench $1
$2    servers:
      - {type: imap, hostname: imap.$1}
      - {type: smtp, hostname: smtp.$1}
    domains: [$1]
YAML
}
{
  echo "providers:"
  provider unsigned.example ""
  provider rsa.example "    signing: {certificate: rsa/signer.pem, key: rsa/signer.key}
"
  provider ec.example "    signing: {certificate: ec/signer.pem, key: ec/signer.key}
"
} >"$WORK/site.yaml"
java -jar "$GEN" render "$WORK/site.yaml" --out "$WORK/site" --quiet

java $JAVA_OPTS -jar "$JAR" --site "$WORK/site" --listen "127.0.0.1:$RPORT" >/dev/null 2>"$WORK/responder.err" &
RESPONDER_PID=$!
until curl -fs "http://127.0.0.1:$RPORT/health" >/dev/null 2>&1; do
  kill -0 "$RESPONDER_PID" 2>/dev/null || { cat "$WORK/responder.err" >&2; exit 1; }
  sleep 0.05
done

URL=http://127.0.0.1:$RPORT
profile() { echo "$URL/mobileconfig?emailaddress=jane.doe@$1.example"; }
AUTOCONFIG="$URL/mail/config-v1.1.xml?emailaddress=jane.doe@unsigned.example"

# Sanity: the signed answers verify with openssl; the unsigned one is a plist.
for kind in rsa ec; do
  curl -fs "$(profile $kind)" -o "$WORK/$kind.mobileconfig"
  openssl cms -verify -inform DER -in "$WORK/$kind.mobileconfig" -CAfile "$WORK/$kind/ca.pem" -purpose any \
    -out /dev/null 2>/dev/null || { echo "the $kind profile does not verify" >&2; exit 1; }
done
curl -fs "$(profile unsigned)" | head -c 5 | grep -q '<?xml'

# Prints "requests/s p99_ms" for one wrk run: connections, then wrk's further arguments (URL last, or a script,
# the URL and -- its arguments).
wrk_run() {
  local out c=$1
  shift
  out=$(wrk -t2 -c"$c" -d"$DURATION" --latency "$@" 2>&1)
  if echo "$out" | grep -q "Non-2xx\|Usage"; then echo "wrong answers from $*" >&2; echo "$out" >&2; fi
  echo "$out" | awk '
    /Requests\/sec/ {rps = $2}
    $1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v = v / 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v = v * 1000}; p99 = v}
    END {printf "%s %.2f\n", rps, p99}'
}

# Warm-up: JIT for every path.
for v in unsigned rsa ec; do wrk -t2 -c16 -d3s "$(profile $v)" >/dev/null; done
wrk -t2 -c16 -d2s "$AUTOCONFIG" >/dev/null

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)   (nproc $(nproc), $CONNS connections, $DURATION per run, $ROUNDS rounds)"
declare -A RPS P99
for round in $(seq "$ROUNDS"); do
  for v in unsigned rsa ec; do
    read -r r p < <(wrk_run "$CONNS" "$(profile $v)")
    RPS[$v]+="$r " P99[$v]+="$p "
    # Every request a new address: nothing is ever answered from the responder's recently-signed memory.
    read -r r p < <(wrk_run "$CONNS" -s "$ROOT/responder/bench/distinct-address.lua" "$URL" -- "$v.example")
    RPS[$v-distinct]+="$r " P99[$v-distinct]+="$p "
  done
  read -r r p < <(wrk_run 16 "$AUTOCONFIG")
  P99[autoconfig-alone]+="$p " RPS[autoconfig-alone]+="$r "
  for v in rsa ec; do
    # The signing load and, at the same time, autoconfig GETs from 16 other connections.
    wrk -t1 -c"$CONNS" -d"$DURATION" -s "$ROOT/responder/bench/distinct-address.lua" "$URL" -- "$v.example" >/dev/null 2>&1 &
    local_bg=$!
    sleep 0.5
    read -r r p < <(wrk_run 16 "$AUTOCONFIG")
    wait $local_bg || true
    P99[autoconfig-during-$v]+="$p " RPS[autoconfig-during-$v]+="$r "
  done
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
printf '\n%-34s %12s %10s   %s\n' "run (median of $ROUNDS)" "requests/s" "p99 ms" "rounds (requests/s | p99 ms)"
for v in unsigned rsa ec unsigned-distinct rsa-distinct ec-distinct autoconfig-alone autoconfig-during-rsa autoconfig-during-ec; do
  case $v in
    unsigned) label="mobileconfig, unsigned, same user" ;;
    rsa) label="mobileconfig, RSA-2048, same user" ;;
    ec) label="mobileconfig, EC P-256, same user" ;;
    unsigned-distinct) label="mobileconfig, unsigned, new user" ;;
    rsa-distinct) label="mobileconfig, RSA-2048, new user" ;;
    ec-distinct) label="mobileconfig, EC P-256, new user" ;;
    autoconfig-alone) label="autoconfig GET alone (16 conns)" ;;
    *) label="autoconfig GET, signing ${v#autoconfig-during-} runs" ;;
  esac
  printf '%-34s %12s %10s   %s | %s\n' "$label" "$(echo "${RPS[$v]}" | median)" "$(echo "${P99[$v]}" | median)" "${RPS[$v]}" "${P99[$v]}"
done
ratio() {
  local u e r
  u=$(echo "${RPS[unsigned$1]}" | median); e=$(echo "${RPS[ec$1]}" | median); r=$(echo "${RPS[rsa$1]}" | median)
  awk -v u="$u" -v e="$e" -v r="$r" -v what="$2" 'BEGIN {printf "signed/unsigned requests/s, %s: EC P-256 %.2fx, RSA-2048 %.2fx\n", what, e / u, r / u}'
}
echo
ratio "" "same user (repeat downloads)"
ratio -distinct "a new user per request"
echo "(autoconfig during signing: the signing load asks for a new user each time, so every request is signed)"
