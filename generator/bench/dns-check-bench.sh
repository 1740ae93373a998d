#!/usr/bin/env bash
# DNS check benchmark (not a test): `autogen dns check` over a synthetic site of N domains (default 10000) against a
# local BIND named that serves exactly the records `autogen dns records` prints (plus an address for each
# Autodiscover host), so every record should PASS. Reports wall time, CPU time, and the queries/s that dns check
# prints itself. Usage:  generator/bench/dns-check-bench.sh [DOMAINS]
# Environment: AUTOGEN_JAR (default generator/target/autogen.jar, built if missing), BENCH_DIR (default
# bench-results/, git-ignored), NAMED (default /usr/sbin/named), TIMEOUT (dns check --timeout, default 600).
# named listens on a free port on 127.0.0.1 only and is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."

n=${1:-10000}
jar=${AUTOGEN_JAR:-generator/target/autogen.jar}
work=${BENCH_DIR:-bench-results}/dns-$n
named=${NAMED:-/usr/sbin/named}
timeout=${TIMEOUT:-600}

[ -x "$named" ] || { echo "$named is missing: apt-get install bind9" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
if [ ! -f "$jar" ] || [ ! -d generator/target/test-classes/dev/autogen/bench ]; then
  echo "building the jar ..." >&2
  mvn -B -q -pl generator -am package -DskipTests >&2
fi
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)

java -cp generator/target/test-classes dev.autogen.bench.SyntheticSite "$n" "$work/site.yaml"
# Every synthetic domain is below "example.": one zone holds them all. The snippets' commented A lines (the web
# server's own name, which the model has no address for) get a documentation address.
{
  printf '$ORIGIN example.\n$TTL 300\n@ IN SOA ns.example. hostmaster.example. 1 3600 600 86400 300\n'
  printf '@ IN NS ns.example.\nns IN A 127.0.0.1\n'
  java -jar "$jar" dns records "$work/site.yaml" \
    | sed -E 's/^; (autodiscover\.[^ ]+) +IN A +<.*/\1 IN A 192.0.2.10/' | grep -v '^; .* IN AAAA '
} > "$work/example.zone"

port=
for _ in $(seq 1 50); do
  candidate=$(( 20000 + RANDOM % 40000 ))
  if ! ss -Hlnu "sport = :$candidate" | grep -q . && ! ss -Hlnt "sport = :$candidate" | grep -q .; then
    port=$candidate
    break
  fi
done
[ -n "$port" ] || { echo "no free port" >&2; exit 1; }

cat > "$work/named.conf" <<EOF
options {
  directory "$work";
  pid-file "$work/named.pid";
  session-keyfile "$work/session.key";
  managed-keys-directory "$work";
  listen-on port $port { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  allow-query { 127.0.0.1; };
  dnssec-validation no;
  notify no;
};
controls { };
zone "example" { type primary; file "$work/example.zone"; };
EOF
user=()
if [ "$(id -u)" = 0 ] && id bind >/dev/null 2>&1; then
  chmod 0777 "$work"
  chmod a+r "$work"/*
  user=(-u bind)
fi
"$named" -g -c "$work/named.conf" "${user[@]}" > "$work/named.log" 2>&1 &
named_pid=$!
trap 'kill $named_pid 2>/dev/null; wait $named_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  if dig +short +time=1 +tries=1 -p "$port" @127.0.0.1 example. SOA 2>/dev/null | grep -q hostmaster; then break; fi
  kill -0 $named_pid 2>/dev/null || { cat "$work/named.log" >&2; exit 1; }
  sleep 0.2
done
records=$(grep -c ' IN ' "$work/example.zone")
echo "named on 127.0.0.1:$port serving $records records for $n domains" >&2

/usr/bin/time -v -o "$work/time.log" java ${JAVA_OPTS:-} -jar "$jar" dns check "$work/site.yaml" \
  --resolver "127.0.0.1:$port" --timeout "$timeout" --quiet > "$work/check.out" || status=$?
status=${status:-0}
tail -n 5 "$work/check.out"
awk -F': ' '
  /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
  /User time \(seconds\)/ { cpu += $2 }
  /System time \(seconds\)/ { cpu += $2 }
  /Maximum resident set size/ { rss = $2 / 1024 }
  END { printf "dns check: exit '"$status"', %.2f s wall (JVM start-up and site rendering included), %.2f s CPU, %.0f MiB peak RSS\n", wall, cpu, rss }' "$work/time.log"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
