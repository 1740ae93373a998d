#!/usr/bin/env bash
# Reader benchmark (not a test): reads synthetic site descriptions with YamlSource only (no rendering) and reports
# the time to read, the heap the model holds afterwards and the process's peak RSS.
# Usage:  generator/bench/read-bench.sh [DOMAIN-COUNTS...]     (default: 100000 1000000)
# Environment: SHAPE=providers|hoster|both (default both), JAVA_OPTS (default -XX:+UseParallelGC), BENCH_DIR
# (default bench-results/), PREPEND_CP (classes put before the jar, e.g. an older reader compiled on its own, for
# an A/B), AUTOGEN_JAR (default generator/target/autogen.jar, built if missing).
set -euo pipefail
cd "$(dirname "$0")/../.."

counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(100000 1000000)
jar=${AUTOGEN_JAR:-generator/target/autogen.jar}
work=${BENCH_DIR:-bench-results}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC}
case "${SHAPE:-both}" in both) shapes=(providers hoster) ;; providers|hoster) shapes=("$SHAPE") ;;
  *) echo "SHAPE: providers, hoster or both" >&2; exit 2 ;; esac
if [ ! -f "$jar" ] || [ ! -f generator/target/test-classes/dev/autogen/bench/ReadBench.class ]; then
  echo "building the jar ..." >&2
  mvn -B -q -pl common,generator -am package -DskipTests >&2
fi
mkdir -p "$work"
cp="${PREPEND_CP:+$PREPEND_CP:}$jar:generator/target/test-classes"
echo "JAVA_OPTS=$JAVA_OPTS${PREPEND_CP:+ PREPEND_CP=$PREPEND_CP}" >&2
printf '%-9s %-8s %8s %8s %8s %10s %8s\n' shape domains MB read_s cpu_s model_MiB rss_MiB
for shape in "${shapes[@]}"; do
  for n in "${counts[@]}"; do
    yaml="$work/site-$shape-$n.yaml"
    [ -f "$yaml" ] || java -cp generator/target/test-classes dev.autogen.bench.SyntheticSite "$n" "$yaml" \
        $([ "$shape" = hoster ] && echo --hoster)
    # shellcheck disable=SC2086
    /usr/bin/time -v -o "$work/read-time.log" java $JAVA_OPTS -cp "$cp" dev.autogen.bench.ReadBench "$yaml" \
        > "$work/read.out" 2> "$work/read.err" || { echo "$shape $n: failed" >&2; tail -3 "$work/read.err" >&2; continue; }
    awk -v shape="$shape" -v n="$n" -v mb="$(( $(stat -c %s "$yaml") / 1000000 ))" -F': ' '
      FNR == NR { for (i = 1; i < NF; i++) ; split($0, w, " "); ms = w[2]; model = w[8]; next }
      /User time \(seconds\)/ { cpu += $2 } /System time \(seconds\)/ { cpu += $2 }
      /Maximum resident set size/ { rss = $2 / 1024 }
      END { printf "%-9s %-8s %8s %8.2f %8.2f %10s %8.0f\n", shape, n, mb, ms / 1000, cpu, model, rss }' \
      "$work/read.out" "$work/read-time.log"
  done
done
