#!/usr/bin/env bash
# Smoke test of the Debian package, run by Maven in `verify` (dist module): usage deb-smoke.sh <dist target> <version>
#
# 1. checks the package's metadata and file list (dpkg-deb -I / -c),
# 2. unpacks it with `dpkg-deb -x` into a scratch root,
# 3. `systemd-analyze verify` on the unit, inside that root (skipped when systemd-analyze is missing),
# 4. renders the packaged samples/minimal.yaml with the unpacked /usr/bin/autogen (and checks that IDNA2008 works
#    with the ICU data the jars carry),
# 5. starts the unpacked /usr/bin/autogen-responder on a free loopback port and asks it for an autoconfig
#    document, with and without emailaddress; checks status, Content-Type and content; stops it.
# Quick (a few seconds) and leaves nothing behind. Skips (visibly) only when dpkg-deb is missing and CI is not true.
set -euo pipefail

target=$(cd "$1" && pwd -P)
deb_version=${2//-/\~}
deb=$target/autogen_${deb_version}_all.deb

say() { printf 'deb-smoke: %s\n' "$*"; }
fail() { printf 'deb-smoke: FAILED: %s\n' "$*" >&2; exit 1; }

if ! command -v dpkg-deb >/dev/null 2>&1; then
    [ "${CI:-}" = true ] && fail "dpkg-deb is required on CI"
    say "SKIPPED: dpkg-deb not found (set CI=true to make this an error)"
    exit 0
fi
[ -f "$deb" ] || fail "$deb was not built"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/autogen-deb-smoke.XXXXXX")
responder_pid=
cleanup() {
    if [ -n "$responder_pid" ] && kill -0 "$responder_pid" 2>/dev/null; then
        kill "$responder_pid" 2>/dev/null || true
        wait "$responder_pid" 2>/dev/null || true
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT

# --- 1. metadata and file list ---
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = autogen ] || fail "Package is not autogen"
[ "$(field Architecture)" = all ] || fail "Architecture is not all"
[ "$(field Version)" = "$deb_version" ] || fail "Version is $(field Version), expected $deb_version"
case "$(field Depends)" in
    *"default-jre-headless (>= 2:1.17) | java17-runtime-headless"*) ;;
    *) fail "Depends lacks the Java 17 runtime alternatives: $(field Depends)" ;;
esac
listing=$(dpkg-deb -c "$deb")
for path in ./usr/bin/autogen ./usr/bin/autogen-responder ./usr/share/autogen/lib/autogen.jar \
        ./usr/share/autogen/lib/autogen-responder.jar ./etc/autogen/responder.properties ./etc/autogen/autogen.yaml \
        ./lib/systemd/system/autogen-responder.service ./usr/share/man/man1/autogen.1.gz \
        ./usr/share/man/man8/autogen-responder.8.gz ./usr/share/bash-completion/completions/autogen \
        ./usr/share/bash-completion/completions/autogen-responder \
        ./usr/share/doc/autogen/copyright ./var/lib/autogen/ ./etc/default/autogen ./usr/lib/autogen/reload-web-server \
        ./lib/systemd/system/autogen-render.service ./lib/systemd/system/autogen-render.timer \
        ./lib/systemd/system/autogen-render.path; do
    grep -q " $path\$" <<<"$listing" || fail "$path is missing from the package"
done
grep -q '^-rwxr-xr-x root/root .* \./usr/bin/autogen$' <<<"$listing" || fail "/usr/bin/autogen is not root-owned 0755"
grep -q '^-rw-r----- root/root .* \./etc/autogen/autogen.yaml$' <<<"$listing" \
    || fail "/etc/autogen/autogen.yaml is not 0640 (postinst gives it to group autogen)"
if grep -v ' root/root ' <<<"$listing" | grep -q .; then fail "files not owned by root:root"; fi
dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles | grep -qx /etc/autogen/responder.properties \
    || fail "responder.properties is not a conffile"
say "metadata and file list OK"

# --- 2. unpack ---
root=$scratch/root
dpkg-deb -x "$deb" "$root"

# --- 3. the unit ---
unit=$root/lib/systemd/system/autogen-responder.service
if command -v systemd-analyze >/dev/null 2>&1; then
    # Verify a copy whose ExecStart= points into the scratch root (verify checks that the command exists), against
    # the host's own systemd units (the scratch root has no sysinit.target). Unknown or misspelt settings are
    # only warnings for systemd, so any message that names our unit fails the check.
    mkdir -p "$scratch/unit"
    sed "s|^ExecStart=/usr/bin/|ExecStart=$root/usr/bin/|" "$unit" >"$scratch/unit/autogen-responder.service"
    analysis=$(systemd-analyze verify --man=no "$scratch/unit/autogen-responder.service" 2>&1) \
        || { printf '%s\n' "$analysis" >&2; fail "systemd-analyze verify failed"; }
    if grep -F 'autogen-responder.service' <<<"$analysis" | grep -q .; then
        printf '%s\n' "$analysis" >&2
        fail "systemd-analyze verify complains about the unit"
    fi
    say "systemd-analyze verify OK"
else
    say "SKIPPED systemd-analyze verify: systemd-analyze not found"
fi
grep -q '^MemoryDenyWriteExecute=yes' "$unit" && fail "MemoryDenyWriteExecute=yes stops the JVM's JIT"
for setting in ProtectSystem=strict NoNewPrivileges=yes PrivateTmp=yes ProtectHome=yes PrivateDevices=yes \
        'CapabilityBoundingSet=' 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' SystemCallFilter=@system-service \
        User=autogen; do
    grep -qx "$setting" "$unit" || fail "unit lacks $setting"
done

# --- 4. render the minimal sample with the unpacked CLI ---
autogen=$root/usr/bin/autogen
responder=$root/usr/bin/autogen-responder
# The project skeleton's stubs throw "not implemented yet": until the real commands are merged there is nothing to
# render or serve, and saying so beats failing every build.
skeleton() { grep -q 'UnsupportedOperationException.*\(not implemented yet\|waiting for branch\)' "$1"; }
if ! "$autogen" --help >"$scratch/help.log" 2>&1; then
    if skeleton "$scratch/help.log"; then say "SKIPPED render/serve: autogen is still the skeleton stub"; exit 0; fi
    cat "$scratch/help.log" >&2
    fail "the unpacked /usr/bin/autogen does not run"
fi
sample=$root/usr/share/autogen/samples/minimal.yaml
if [ ! -f "$sample" ]; then
    say "SKIPPED render/serve: the package has no samples/minimal.yaml yet (generator samples not merged)"
    exit 0
fi
site=$scratch/site
if ! "$autogen" render "$sample" --out "$site" >"$scratch/render.log" 2>&1; then
    if skeleton "$scratch/render.log"; then
        say "SKIPPED render/serve: part of the render pipeline is still a stub: $(grep -m1 UnsupportedOperation "$scratch/render.log")"
        exit 0
    fi
    cat "$scratch/render.log" >&2
    fail "autogen render $sample failed"
fi
[ -f "$site/current/private/domains.tsv" ] || fail "render wrote no site (no current/private/domains.tsv)"
domain=$(awk -F'\t' 'NR > 1 && $1 !~ /^#/ { print $1; exit }' "$site/current/private/domains.tsv")
[ -n "$domain" ] || fail "the rendered site has no domain"
say "rendered $sample: first domain $domain"

# The jars carry ICU4J without its locale data (see the shade filters): IDNA2008 and character names must work.
printf 'providers:\n  - name: Idna\n    domains: [straße.example, "\\u2665mail.example"]\n    servers:\n      - {type: imap, hostname: imap.example.com}\n      - {type: smtp, hostname: smtp.example.com}\n' >"$scratch/idna.yaml"
"$autogen" check "$scratch/idna.yaml" >"$scratch/idna.log" 2>&1 && fail "autogen check accepted ♥mail.example"
grep -q "U+2665 BLACK HEART SUIT), which IDNA2008 does not allow" "$scratch/idna.log" \
    || { cat "$scratch/idna.log" >&2; fail "the packaged autogen does not explain an IDNA2008 error"; }
say "the packaged autogen rejects ♥mail.example under IDNA2008"

# --- 5. serve it with the unpacked responder ---
free_port() {
    # Ask the kernel: bind port 0 and read back what it chose (then release it for the responder).
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
        || echo $((20000 + RANDOM % 40000))
}
port=$(free_port)
# The packaged settings file, with the site and port of this test: proves its keys are ones the responder knows.
sed -e "s|^site=.*|site=$site|" -e "s|^listen=.*|listen=127.0.0.1:$port|" \
    "$root/etc/autogen/responder.properties" >"$scratch/responder.properties"
grep -qx "listen=127.0.0.1:$port" "$scratch/responder.properties" || fail "responder.properties has no listen= line"
JAVA_OPTS="-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1" \
    "$responder" --config "$scratch/responder.properties" >"$scratch/responder.log" 2>&1 &
responder_pid=$!

base=http://127.0.0.1:$port
for _ in $(seq 1 100); do
    if curl -fs -o /dev/null -H "Host: autoconfig.$domain" "$base/mail/config-v1.1.xml" 2>/dev/null; then break; fi
    if ! kill -0 "$responder_pid" 2>/dev/null; then
        if skeleton "$scratch/responder.log"; then say "SKIPPED serve: autogen-responder is still the skeleton stub"; exit 0; fi
        cat "$scratch/responder.log" >&2
        fail "the responder exited"
    fi
    sleep 0.2
done

check_autoconfig() {   # check_autoconfig QUERY EXPECTED-USERNAME-FRAGMENT
    local out=$scratch/autoconfig.xml headers=$scratch/headers.txt status
    status=$(curl -s -o "$out" -D "$headers" -w '%{http_code}' -H "Host: autoconfig.$domain" \
        "$base/mail/config-v1.1.xml$1") || { cat "$scratch/responder.log" >&2; fail "no answer from the responder"; }
    [ "$status" = 200 ] || { cat "$out" >&2; fail "GET /mail/config-v1.1.xml$1 answered $status"; }
    grep -qi '^content-type: *\(text\|application\)/xml' "$headers" \
        || fail "autoconfig Content-Type is not XML: $(grep -i '^content-type' "$headers")"
    grep -q '<clientConfig' "$out" || fail "the answer is not a clientConfig document"
    grep -q "<domain>$domain</domain>" "$out" || fail "the answer does not list $domain"
    grep -q '<incomingServer' "$out" && grep -q '<outgoingServer' "$out" || fail "the answer lacks servers"
    grep -qF "$2" "$out" || { cat "$out" >&2; fail "the answer has no username containing $2"; }
}
check_autoconfig "" "%EMAIL"
check_autoconfig "?emailaddress=smoke.test%40$domain" "smoke.test"
say "the unpacked responder answered autoconfig for $domain with and without emailaddress"
idna_status=$(curl -s -o /dev/null -w '%{http_code}' "$base/mail/config-v1.1.xml?emailaddress=a%40%E2%99%A5mail.example")
[ "$idna_status" = 400 ] || fail "the responder answered $idna_status, not 400, for a@♥mail.example (IDNA2008)"

# Every other question a client asks, through the unpacked CLI's probe (a bare responder: no static files).
# The PACC digest comes from the rendered zone: nothing is published in DNS for the sample's names.
if ! "$autogen" probe "$base" --host "$domain" --email "smoke.test@$domain" --no-static \
        --pacc-zone "$site/current/conf/dns/$domain.zone" >"$scratch/probe.txt" 2>&1; then
    cat "$scratch/probe.txt" >&2
    fail "autogen probe found problems with the unpacked responder's answers"
fi
say "autogen probe: every client would accept the answers"
