#!/usr/bin/env bash
# Publish benchmark (not a test): on a synthetic site of N domains (default 20000), renders a one-domain change
# ROUNDS times (default 4) with each of the given jars in turn (A B A B ...), and reports per render the wall time,
# the time until the publish lock was released (a render started then goes ahead) and the render's own -v phases.
# Every render retires and deletes one old version of N domains: the phase issue #9 measured at 107 s.
# Usage: generator/bench/publish-bench.sh JAR-A [JAR-B ...]     Environment: DOMAINS, ROUNDS, BENCH_DIR, JAVA_OPTS.
# The machine is shared: the load average is printed with every line; compare A and B rounds side by side.
set -euo pipefail
cd "$(dirname "$0")/../.."
jars=("$@")
[ ${#jars[@]} -gt 0 ] || { echo "usage: $0 JAR [JAR...]" >&2; exit 2; }
n=${DOMAINS:-20000}
rounds=${ROUNDS:-4}
work=${BENCH_DIR:-bench-results}/publish-$n
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC}
[ -d generator/target/test-classes/dev/autogen/bench ] || mvn -B -q -pl generator -am test-compile >&2
mkdir -p "$work"
rm -rf "$work"/out-*
java -cp generator/target/test-classes dev.autogen.bench.SyntheticSite "$n" "$work/site.yaml"
first_host=$(grep -m1 -o 'hostname: [^ ]*' "$work/site.yaml" | cut -d' ' -f2)
printf '%-5s %-28s %7s %8s  %s\n' round jar wall_s lock_s "load average / render -v phases"
for i in "${!jars[@]}"; do   # one site per jar, each with a current and a previous version
    out=$work/out-$i
    java $JAVA_OPTS -jar "${jars[$i]}" render "$work/site.yaml" --out "$out" --quiet
    sed "0,/$first_host/s//warmup.$first_host/" "$work/site.yaml" >"$work/site-$i.yaml"
    java $JAVA_OPTS -jar "${jars[$i]}" render "$work/site-$i.yaml" --out "$out" --quiet
done
for round in $(seq 1 "$rounds"); do
    for i in "${!jars[@]}"; do
        out=$work/out-$i
        # One domain's IMAP host changes: a few files differ, everything else is hard-linked.
        sed "0,/$first_host/s//r$round.$first_host/" "$work/site.yaml" >"$work/site-$i.yaml"
        # A second process polls the lock: the time until it could take it is when a cron render could start.
        start=$(date +%s.%N)
        java $JAVA_OPTS -jar "${jars[$i]}" render "$work/site-$i.yaml" --out "$out" -v >"$work/render.log" 2>&1 &
        pid=$!
        lock=$(python3 - "$out" "$pid" "$start" <<'PY'
import fcntl, os, sys, time
out, pid, start = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
current = os.path.join(out, "current")
initial = os.readlink(current)
while True:
    if os.readlink(current) != initial:  # switched: now wait until the lock is free
        try:
            with open(os.path.join(out, ".lock"), "a") as f:
                fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.lockf(f, fcntl.LOCK_UN)
            print(f"{time.time() - start:.2f}")
            break
        except OSError:
            pass
    elif not os.path.exists(f"/proc/{pid}"):
        print("-")
        break
    time.sleep(0.02)
PY
)
        wait "$pid"
        end=$(date +%s.%N)
        printf '%-5s %-28s %7.2f %8s  %s\n' "$round" "$(basename "$(dirname "$(dirname "${jars[$i]}")")")/$(basename "${jars[$i]}")" \
            "$(echo "$end - $start" | bc)" "$lock" "$(cut -d' ' -f1-3 /proc/loadavg)"
        grep -E 'rendered and published|removed|switch' "$work/render.log" | sed 's/^autogen: /        /'
    done
done
