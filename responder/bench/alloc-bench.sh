#!/usr/bin/env bash
# Allocation per filled document on the responder's request path (a harness, not a test): renders an
# autoconfig-like template with an address, two login templates and a name 200 000 times into a fresh response
# buffer, as Responder.fill does, and prints the bytes the thread allocated per render (ThreadMXBean). The
# response buffer itself is the floor: anything above it is temporary garbage from filling and escaping.
#
# Usage: responder/bench/alloc-bench.sh [JAR (default responder/target/autogen-responder.jar)]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${1:-$ROOT/responder/target/autogen-responder.jar}
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -pl responder -am package -DskipTests)
WORK=$(mktemp -d /tmp/autogen-alloc.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# Compiled into the responder's package (it uses package-private classes), run from the same class path.
javac -nowarn -d "$WORK" -cp "$JAR" "$ROOT/responder/bench/AllocBench.java"
java -Xmx256m -cp "$WORK:$JAR" dev.autogen.responder.AllocBench
