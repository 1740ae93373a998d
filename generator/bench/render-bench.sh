#!/usr/bin/env bash
# Render benchmark (not a test): renders synthetic sites of 1k, 10k and 100k domains with the packaged jar and
# reports wall time and peak RSS of a first render, of a re-render with nothing changed (which must write
# nothing) and of a render with one domain renamed. Usage:  generator/bench/render-bench.sh [DOMAIN-COUNTS...]     (default: 1000 10000 100000)
# Environment: AUTOGEN_JAR (default generator/target/autogen.jar, built if missing), BENCH_DIR (default
# bench-results/, git-ignored), JAVA_OPTS (JVM options; default -XX:+UseParallelGC, which is what the packaged
# launcher bin/autogen uses unless told otherwise), THREADS (default: all cores), KEEP=1 keeps the rendered sites,
# SHAPE=providers (default: 10 domains per provider) or SHAPE=hoster (one provider listing every domain),
# LAYOUT=tree|compact (passed as render --layout; unset: the site's default, tree. A jar without --layout renders
# tree only: LAYOUT=tree then runs without the option, LAYOUT=compact stops with a message).
# Sizes: 1M and 3M domains work (the synthetic YAML is ~74 bytes a domain); give the JVM room with JAVA_OPTS, e.g.
# JAVA_OPTS="-XX:+UseParallelGC -Xmx6g", and check free inodes first (df -i: about 7.5 per domain in tree layout).
# Besides wall/CPU/RSS it reports the directories and inodes of the new version and its bytes on disk (du).
#
# Deleting sites is left to the very end, after every measurement: on ext4 without a journal (this kind of VM) the
# inode allocator skips inodes freed in the last one to five minutes, and a first render right after deleting a big
# site measured up to 1.7x slower. For the same reason, wait five minutes between two runs of this harness.
set -euo pipefail
cd "$(dirname "$0")/../.."

counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 10000 100000)
jar=${AUTOGEN_JAR:-generator/target/autogen.jar}
work=${BENCH_DIR:-bench-results}
threads=${THREADS:-$(nproc)}
shape=${SHAPE:-providers}
case "$shape" in providers) shape_arg=() ;; hoster) shape_arg=(--hoster) ;; *) echo "SHAPE: providers or hoster" >&2; exit 2 ;; esac
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC}
echo "JAVA_OPTS=$JAVA_OPTS" >&2

if [ ! -f "$jar" ] || [ ! -d generator/target/test-classes/dev/autogen/bench ]; then
  echo "building the jar ..." >&2
  mvn -B -q -pl generator -am package -DskipTests >&2
fi
layout_arg=()
if [ -n "${LAYOUT:-}" ]; then
  case "$LAYOUT" in tree|compact) ;; *) echo "LAYOUT: tree or compact" >&2; exit 2 ;; esac
  # shellcheck disable=SC2086
  if java ${JAVA_OPTS:-} -jar "$jar" render --help 2>&1 | grep -q -- '--layout'; then
    layout_arg=(--layout "$LAYOUT")
  elif [ "$LAYOUT" = compact ]; then
    echo "LAYOUT=compact: $jar has no render --layout (a build before the compact layout)" >&2
    exit 2
  fi # else: a jar before --layout renders the tree layout anyway
fi
echo "layout: ${LAYOUT:-default}${layout_arg[*]:+ (${layout_arg[*]})}" >&2
if [ ! -x /usr/bin/time ]; then
  echo "/usr/bin/time is missing: apt-get install time" >&2
  exit 1
fi
mkdir -p "$work"
# A copy of the jar: a build during the run (mvn package rewrites target/) would otherwise change the build the
# unchanged re-render's input digest covers, and it would rightly render again.
cp "$jar" "$work/autogen-bench.jar"
jar=$work/autogen-bench.jar

# Runs a command under /usr/bin/time -v; prints "<wall seconds> <CPU seconds (user+sys)> <peak RSS MiB>".
# CPU time is the better measure on a shared machine: wall time includes waiting for other processes.
measure() {
  local log="$work/time.log"
  /usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$work/render.err"
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
    /User time \(seconds\)/ { cpu += $2 }
    /System time \(seconds\)/ { cpu += $2 }
    /Maximum resident set size/ { rss = $2 / 1024 }
    END { printf "%.2f %.2f %.0f\n", wall, cpu, rss }' "$log"
}

# Every entry of the site with inode and mtime: equal before and after means nothing was written.
snapshot() { find "$1" -printf '%i %T@ %p\n' | sort; }

echo "shape: $shape" >&2
printf '%-8s %-10s %8s %8s %8s %8s  %s\n' domains run wall_s cpu_s rss_MiB files note
outputs=()
for n in "${counts[@]}"; do
  yaml="$work/site-$shape-$n.yaml"
  out="$work/out-$n-$(date +%s)"
  outputs+=("$out")
  java -cp generator/target/test-classes dev.autogen.bench.SyntheticSite "$n" "$yaml" "${shape_arg[@]}"
  read -r wall cpu rss < <(measure java ${JAVA_OPTS:-} -jar "$jar" render "$yaml" --out "$out" --threads "$threads" "${layout_arg[@]}" -v)
  files=$(wc -l < "$out/current/manifest.sha256")
  printf '%-8s %-10s %8s %8s %8s %8s  %s\n' "$n" first "$wall" "$cpu" "$rss" "$files" "$(readlink "$out/current")"
  # Where the time went, from the render's own --verbose line.
  grep -o 'rendered and published in .*' "$work/render.err" | sed 's/^/           /' || true
  version=$(readlink -f "$out/current")
  echo "           $(find "$version" -type d | wc -l) directories, $(find "$version" -printf '%i\n' | sort -u | wc -l) inodes, $(du -sh "$version" | cut -f1) on disk"

  before=$(snapshot "$out" | sha256sum)
  read -r wall cpu rss < <(measure java ${JAVA_OPTS:-} -jar "$jar" render "$yaml" --out "$out" --threads "$threads" "${layout_arg[@]}" --quiet)
  after=$(snapshot "$out" | sha256sum)
  note="nothing written"
  [ "$before" = "$after" ] || note="WROTE SOMETHING (inode/mtime changed)"
  printf '%-8s %-10s %8s %8s %8s %8s  %s\n' "$n" unchanged "$wall" "$cpu" "$rss" "$files" "$note"
  [ "$before" = "$after" ] || exit 1

  # One domain renamed (one removed, one added; in the providers shape its provider's autoconfig lists it, so the
  # other nine domains' autoconfigs change too).
  sed -i -e 's/^  - d1\.p0\.example$/  - d1x.p0.example/' -e 's/^  - c1\.customer\.example$/  - c1x.customer.example/' "$yaml"
  read -r wall cpu rss < <(measure java ${JAVA_OPTS:-} -jar "$jar" render "$yaml" --out "$out" --threads "$threads" "${layout_arg[@]}" -v)
  printf '%-8s %-10s %8s %8s %8s %8s  %s\n' "$n" one-domain "$wall" "$cpu" "$rss" "$(wc -l < "$out/current/manifest.sha256")" \
    "$(grep -o '[0-9]* files added.*unchanged' "$work/render.err" || true)"
done
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; output on $(df -T "$work" | awk 'NR == 2 {print $2}')" >&2
[ "${KEEP:-0}" = 1 ] || rm -rf "${outputs[@]}"
