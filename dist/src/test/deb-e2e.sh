#!/usr/bin/env bash
# End-to-end test of the INSTALLED Debian package, run by Maven in `verify` (dist module) after deb-smoke.sh:
#   deb-e2e.sh <dist target> <version>
#
# As docs/packaging.md and docs/deploying.md tell an admin to do it, on this machine:
#  1. `dpkg -i` the built .deb; checks the user, the modes of /var/lib/autogen, /etc/autogen/autogen.yaml, the units;
#  2. renders /etc/autogen/autogen.yaml as the autogen user, starts the responder as autogen and a real NGINX (workers
#     as www-data) over TLS with the rendered config (certificates made here with openssl), and asks every route
#     over HTTPS, parsing the answers;
#  3. renders as root: the new version belongs to autogen and is served by both (no desync); a render as another
#     user is refused before it writes; a version the responder cannot read makes /health "degraded" (503) with
#     "permission denied", and a good one makes it "ok" again;
#  4. adds a domain and runs the command of autogen-render.service (what the timer and the path unit start), with
#     its reload command from /etc/default/autogen: the new domain is served over HTTPS with no manual reload;
#  5. purges the package (also when a step fails).
# It changes the machine (installs, purges): it runs only as root (CI runs as root on a throwaway machine) and
# skips, visibly, when not root, when dpkg, nginx, openssl, curl or python3 is missing, or when autogen is already
# installed (a machine where the package is really used is left alone). Takes about a minute.
set -euo pipefail

target=$(cd "$1" && pwd -P)
deb_version=${2//-/\~}
deb=$target/autogen_${deb_version}_all.deb

say() { printf 'deb-e2e: %s\n' "$*"; }
fail() { printf 'deb-e2e: FAILED: %s\n' "$*" >&2; exit 1; }
skip() { say "SKIPPED: $*"; exit 0; }

[ "$(id -u)" = 0 ] || skip "not root (installing a package needs root; CI runs this as root)"
for tool in dpkg dpkg-deb nginx openssl curl python3 setpriv runuser; do
    command -v "$tool" >/dev/null 2>&1 || skip "$tool not found"
done
[ -f "$deb" ] || fail "$deb was not built"
if dpkg-query -W -f='${Status}' autogen 2>/dev/null | grep -q 'ok installed'; then
    skip "the autogen package is already installed on this machine: not replacing it"
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/autogen-deb-e2e.XXXXXX")
chmod 0755 "$scratch"
responder_pid=
nginx_conf=$scratch/nginx/nginx.conf
installed=no
cleanup() {
    local code=$?
    if [ -s "$scratch/nginx/nginx.pid" ]; then
        nginx -c "$nginx_conf" -s stop 2>/dev/null || kill "$(cat "$scratch/nginx/nginx.pid")" 2>/dev/null || true
    fi
    if [ -n "$responder_pid" ] && kill -0 "$responder_pid" 2>/dev/null; then
        kill "$responder_pid" 2>/dev/null || true
        wait "$responder_pid" 2>/dev/null || true
    fi
    if [ "$installed" = yes ]; then
        dpkg_locked --purge autogen >"$scratch/purge.log" 2>&1 || { cat "$scratch/purge.log" >&2; code=1; }
        if [ -e /var/lib/autogen ] || [ -e /usr/bin/autogen ]; then
            echo "deb-e2e: FAILED: purge left /var/lib/autogen or /usr/bin/autogen behind" >&2
            code=1
        fi
    fi
    if [ "$code" != 0 ]; then
        for log in responder.log nginx/error.log render.log; do
            [ -s "$scratch/$log" ] && { echo "--- $log" >&2; tail -n 30 "$scratch/$log" >&2; }
        done
    fi
    rm -rf "$scratch"
    exit "$code"
}
trap cleanup EXIT

# dpkg refuses to run while another dpkg/apt holds its lock: wait for it, for a bounded time.
dpkg_locked() {
    local i
    for i in $(seq 1 60); do
        if dpkg "$@" 2>"$scratch/dpkg.err"; then return 0; fi
        grep -q 'lock' "$scratch/dpkg.err" || { cat "$scratch/dpkg.err" >&2; return 1; }
        sleep 2
    done
    cat "$scratch/dpkg.err" >&2
    return 1
}
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
mode_owner() { stat -c '%a %U:%G' "$1"; }

# --- 1. install ---
dpkg_locked -i "$deb" >"$scratch/install.log" || { cat "$scratch/install.log" >&2; fail "dpkg -i $deb"; }
installed=yes
getent passwd autogen >/dev/null || fail "postinst created no autogen user"
[ "$(mode_owner /var/lib/autogen)" = "755 autogen:autogen" ] || fail "/var/lib/autogen is $(mode_owner /var/lib/autogen)"
[ "$(mode_owner /var/lib/autogen/site)" = "755 autogen:autogen" ] || fail "/var/lib/autogen/site is $(mode_owner /var/lib/autogen/site)"
[ "$(mode_owner /etc/autogen/autogen.yaml)" = "640 root:autogen" ] || fail "autogen.yaml is $(mode_owner /etc/autogen/autogen.yaml)"
if runuser -u www-data -- cat /etc/autogen/autogen.yaml >/dev/null 2>&1; then fail "www-data can read autogen.yaml"; fi
runuser -u autogen -- cat /etc/autogen/autogen.yaml >/dev/null || fail "autogen cannot read autogen.yaml"
grep -qx 'proxyCount=1' /etc/autogen/responder.properties || fail "responder.properties does not set proxyCount=1"
for unit in autogen-responder.service autogen-render.service autogen-render.timer autogen-render.path; do
    [ -f "/lib/systemd/system/$unit" ] || fail "$unit is not installed"
done
if command -v systemd-analyze >/dev/null 2>&1; then
    # Installed for real now: the units are verified as they are (ExecStart names /usr/bin/autogen, which exists).
    analysis=$(cd /lib/systemd/system && systemd-analyze verify --man=no autogen-render.service autogen-render.timer \
        autogen-render.path 2>&1) || { printf '%s\n' "$analysis" >&2; fail "systemd-analyze verify of the render units"; }
    if grep -F 'autogen-render' <<<"$analysis" | grep -q .; then
        printf '%s\n' "$analysis" >&2
        fail "systemd-analyze verify complains about the render units"
    fi
    say "systemd-analyze verify of autogen-render.service/.timer/.path OK"
else
    say "SKIPPED systemd-analyze verify: systemd-analyze not found"
fi
# The shipped reload command with no web server it knows of running (no systemd here): says so, succeeds.
if [ ! -s /run/nginx.pid ] && [ ! -s /run/apache2/apache2.pid ] && [ ! -d /run/systemd/system ]; then
    msg=$(/usr/lib/autogen/reload-web-server 2>&1) || fail "reload-web-server failed with nothing to reload: $msg"
    grep -q 'nothing to reload' <<<"$msg" || fail "reload-web-server said: $msg"
fi
say "installed: autogen user, /var/lib/autogen 0755, site dir owned by autogen, autogen.yaml 0640 root:autogen"

# --- 2. TLS certificate, render as autogen, responder as autogen, NGINX as www-data ---
tls=$scratch/tls
mkdir -p "$tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=autogen e2e test CA" -keyout "$tls/ca.key" \
    -out "$tls/ca.pem" -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj "/CN=autoconfig.example.com" -keyout "$tls/key.pem" -out "$tls/req.pem" \
    >/dev/null 2>&1
printf 'subjectAltName=DNS:autoconfig.example.com,DNS:autodiscover.example.com,DNS:autoconfig.example.net,DNS:autodiscover.example.net\nextendedKeyUsage=serverAuth\n' \
    >"$tls/ext.cnf"
openssl x509 -req -in "$tls/req.pem" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -days 2 \
    -extfile "$tls/ext.cnf" -out "$tls/cert.pem" >/dev/null 2>&1
chmod 0600 "$tls/key.pem"

http_port=$(free_port)
https_port=$(free_port)
responder_port=$(free_port)
site=/var/lib/autogen/site
# As docs/deploying.md says for a database source (YAML users put the same in its web: section).
render_options=(--responder-url "http://127.0.0.1:$responder_port" --http-listen "127.0.0.1:$http_port"
    --https-listen "127.0.0.1:$https_port" --tls-certificate "$tls/cert.pem" --tls-key "$tls/key.pem")

runuser -u autogen -- /usr/bin/autogen render /etc/autogen/autogen.yaml --out "$site" "${render_options[@]}" \
    >"$scratch/render.log" 2>&1 || { cat "$scratch/render.log" >&2; fail "render as autogen"; }
[ -z "$(find "$site" ! -user autogen -print -quit)" ] || fail "files not owned by autogen after autogen's render"
[ "$(stat -c %a "$site/current/private")" = 700 ] || fail "private/ is not 0700"
version() { readlink "$site/current" | sed 's/^v-//'; }
v1=$(version)
say "rendered as autogen: v-$v1"

sed -e "s|^listen=.*|listen=127.0.0.1:$responder_port|" /etc/autogen/responder.properties >"$scratch/responder.properties"
chmod 0644 "$scratch/responder.properties"
# setpriv execs (no intermediate process): $! is the JVM, as under systemd's User=autogen.
JAVA_OPTS="-Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1" setpriv --reuid=autogen --regid=autogen --init-groups \
    /usr/bin/autogen-responder --config "$scratch/responder.properties" >"$scratch/responder.log" 2>&1 &
responder_pid=$!

# NGINX: the master as root (reads the key), workers as www-data (read the site).
mkdir -p "$scratch/nginx"
# Included unedited, through current: what a render switches is what NGINX reads at its next reload.
nginx_include=$site/current/conf/nginx/autogen.conf
cat >"$nginx_conf" <<EOF
user www-data;
worker_processes 1;
pid $scratch/nginx/nginx.pid;
error_log $scratch/nginx/error.log warn;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log $scratch/nginx/access.log;
    include $nginx_include;
}
EOF
nginx -t -q -c "$nginx_conf" || fail "nginx -t with the rendered config"
nginx -c "$nginx_conf"

https() { # https HOST PATH [curl options...]: prints the body; the status goes to $scratch/status
    local host=$1 path=$2
    shift 2
    curl -sS --max-time 10 --cacert "$tls/ca.pem" --resolve "$host:$https_port:127.0.0.1" \
        -o "$scratch/body" -w '%{http_code} %{content_type}' "$@" "https://$host:$https_port$path" >"$scratch/status" \
        || fail "curl https://$host$path"
    cat "$scratch/body"
}
expect() { # expect STATUS CONTENT-TYPE-PREFIX WHAT
    local status type
    read -r status type <"$scratch/status" || true
    [ "$status" = "$1" ] || { cat "$scratch/body" >&2; fail "$3: HTTP $status, expected $1"; }
    case "$type" in "$2"*) ;; *) fail "$3: Content-Type $type, expected $2";; esac
}
for _ in $(seq 1 150); do
    if curl -fs -o /dev/null "http://127.0.0.1:$responder_port/health"; then break; fi
    kill -0 "$responder_pid" 2>/dev/null || fail "the responder exited"
    sleep 0.2
done
health() { curl -s --max-time 5 "http://127.0.0.1:$responder_port/health"; }
json() { python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
xml() { python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.stdin).getroot(); print(eval(sys.argv[1]))' "$1"; }
[ "$(health | json 'd["status"], d["version"], d["current"]')" = "('ok', '$v1', '$v1')" ] || fail "/health: $(health)"

check_routes() { # check_routes DOMAIN IMAP-HOST: every route over HTTPS through NGINX
    local d=$1 imap=$2 out
    out=$(https "autoconfig.$d" /mail/config-v1.1.xml | xml '[e.text for e in r.iter("hostname")][0], [e.text for e in r.iter("domain")]')
    expect 200 text/xml "static autoconfig of $d"
    case "$out" in "('$imap', ["*"'$d'"*) ;; *) fail "static autoconfig of $d: $out";; esac
    out=$(https "autoconfig.$d" "/.well-known/autoconfig/mail/config-v1.1.xml" | xml '[e.text for e in r.iter("hostname")][0]')
    expect 200 text/xml "well-known autoconfig of $d"
    [ "$out" = "$imap" ] || fail "well-known autoconfig of $d: $out"
    out=$(https "autoconfig.$d" "/mail/config-v1.1.xml?emailaddress=e2e.user%40$d" | xml '[e.text for e in r.iter("username")][0]')
    expect 200 text/xml "autoconfig with emailaddress for $d (the responder)"
    [ "$out" = "e2e.user@$d" ] || fail "autoconfig with emailaddress for $d: username $out"
    out=$(https "autodiscover.$d" /autodiscover/autodiscover.xml -H 'Content-Type: text/xml' --data-binary \
        "<?xml version=\"1.0\"?><Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\"><Request><EMailAddress>e2e.user@$d</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>" \
        | xml '[e.text for e in r.iter() if e.tag.endswith("}Server")][0], [e.text for e in r.iter() if e.tag.endswith("}LoginName")][0]')
    expect 200 text/xml "Autodiscover POST for $d"
    [ "$out" = "('$imap', 'e2e.user@$d')" ] || fail "Autodiscover POST for $d: $out"
    out=$(https "autodiscover.$d" "/autodiscover/autodiscover.json/v1.0/e2e.user@$d?Protocol=AutodiscoverV1" | json 'd["Protocol"]')
    expect 200 application/json "Autodiscover v2 JSON for $d"
    [ "$out" = AutodiscoverV1 ] || fail "Autodiscover JSON for $d: $out"
    https "autoconfig.$d" "/mobileconfig/$d.mobileconfig" >"$scratch/static.mobileconfig"
    expect 200 application/x-apple-aspen-config "static Apple profile of $d"
    grep -q "<string>$imap</string>" "$scratch/static.mobileconfig" || fail "static profile of $d lacks $imap"
    https "autoconfig.$d" "/mobileconfig?emailaddress=e2e.user%40$d" >"$scratch/user.mobileconfig"
    expect 200 application/x-apple-aspen-config "per-user Apple profile of $d"
    grep -q "e2e.user@$d" "$scratch/user.mobileconfig" || fail "per-user profile of $d lacks the address"
    https "autoconfig.$d" /health >/dev/null
    expect 403 text/html "/health through NGINX"
}
check_routes example.com imap.example.com
# Plain HTTP answers autoconfig (KMail, Thunderbird's fallback) and redirects the rest to HTTPS.
plain() { curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H "Host: $1" "http://127.0.0.1:$http_port$2"; }
[ "$(plain autoconfig.example.com /mail/config-v1.1.xml)" = 200 ] || fail "plain-HTTP autoconfig is not 200"
case "$(plain autodiscover.example.com /autodiscover/autodiscover.xml)" in
    301|302|307|308) ;;
    *) fail "plain-HTTP Autodiscover is not redirected to HTTPS";;
esac
grep -q 'stat().*Permission denied' "$scratch/nginx/error.log" && fail "NGINX (www-data) was denied a file"
say "every route of example.com answered over HTTPS through NGINX (workers as www-data) and the responder (autogen)"

# --- 3. a render as root: owned by autogen, served by both; another user is refused; /health degraded and back ---
sed -i 's/imap\.example\.com/mail.example.com/' /etc/autogen/autogen.yaml
/usr/bin/autogen render /etc/autogen/autogen.yaml --out "$site" "${render_options[@]}" >"$scratch/render.log" 2>&1 \
    || { cat "$scratch/render.log" >&2; fail "render as root"; }
v2=$(version)
[ "$v2" != "$v1" ] || fail "root's render made no new version"
stray=$(find "$site" ! -user autogen -print -quit)
[ -z "$stray" ] || fail "root's render left $stray not owned by autogen: $(mode_owner "$stray")"
for _ in $(seq 1 50); do [ "$(health | json 'd["version"]')" = "$v2" ] && break; sleep 0.2; done
[ "$(health | json 'd["status"], d["version"], d["current"]')" = "('ok', '$v2', '$v2')" ] || fail "after root's render, /health: $(health)"
check_routes example.com mail.example.com
say "rendered as root: v-$v2 owned by autogen, NGINX and the responder both serve it"

cp /etc/autogen/autogen.yaml "$scratch/readable.yaml"
chmod 0644 "$scratch/readable.yaml"
sed -i 's/mail\.example\.com/other.example.com/' "$scratch/readable.yaml"
if runuser -u www-data -- /usr/bin/autogen render "$scratch/readable.yaml" --out "$site" >"$scratch/render.log" 2>&1; then
    fail "a render as www-data into autogen's site succeeded"
else
    code=$?
fi
[ "$code" = 5 ] || { cat "$scratch/render.log" >&2; fail "a render as www-data exited $code, expected 5"; }
grep -q "belongs to user autogen, but this render runs as www-data" "$scratch/render.log" \
    && grep -q "sudo -u autogen autogen render" "$scratch/render.log" || { cat "$scratch/render.log" >&2; fail "refusal message"; }
[ "$(version)" = "$v2" ] || fail "the refused render switched current"
if grep -Eq 'java\.|Exception' "$scratch/render.log"; then cat "$scratch/render.log" >&2; fail "a Java class name in the message"; fi
say "a render as www-data is refused with exit 5 and the command to use; current unchanged"

# Where the owner itself cannot write: says "cannot create ... permission denied", and claims no previous site.
install -d -o autogen -g autogen -m 0555 "$scratch/read-only"
if runuser -u autogen -- /usr/bin/autogen render "$scratch/readable.yaml" --out "$scratch/read-only/site" \
        >"$scratch/render.log" 2>&1; then
    fail "a render into a read-only directory succeeded"
fi
grep -q "autogen: cannot create $scratch/read-only/site: .*permission denied (no site was published)" "$scratch/render.log" \
    || { cat "$scratch/render.log" >&2; fail "the message for a directory autogen cannot write"; }
if grep -Eq 'cannot read|java\.|Exception' "$scratch/render.log"; then cat "$scratch/render.log" >&2; fail "wording"; fi
say "a render where autogen cannot write says 'cannot create ...: permission denied (no site was published)'"

# A version the responder cannot read (what a root render made before): degraded with the real cause, then ok.
cp -a "$site/v-$v2" "$site/v-00000000000000aa"
chown -R root:root "$site/v-00000000000000aa"
ln -sfn v-00000000000000aa "$site/.e2e-current" && mv -T "$site/.e2e-current" "$site/current"
for _ in $(seq 1 50); do [ "$(health | json 'd["status"]')" = degraded ] && break; sleep 0.2; done
code=$(curl -s -o "$scratch/health.json" -w '%{http_code}' "http://127.0.0.1:$responder_port/health")
[ "$code" = 503 ] || fail "/health answered $code for an unreadable current version, expected 503"
reason=$(json 'd["status"], d["version"], d["current"], d["reason"]' <"$scratch/health.json")
case "$reason" in
    "('degraded', '$v2', '00000000000000aa', 'refused site 00000000000000aa: "*"permission denied"*) ;;
    *) fail "/health for an unreadable version: $reason";;
esac
grep -q 'refused site .*permission denied' "$scratch/responder.log" || fail "the refusal log line lacks the cause"
curl -s "http://127.0.0.1:$responder_port/metrics" >"$scratch/metrics.txt"
grep -Eqx "autogen_site_degraded 1(\.0)?" "$scratch/metrics.txt" || { grep autogen_site "$scratch/metrics.txt" >&2; fail "/metrics: not degraded"; }
ln -sfn "v-$v2" "$site/.e2e-current" && mv -T "$site/.e2e-current" "$site/current"
rm -rf "$site/v-00000000000000aa"
for _ in $(seq 1 50); do [ "$(health | json 'd["status"]')" = ok ] && break; sleep 0.2; done
[ "$(health | json 'd["status"], d["current"]')" = "('ok', '$v2')" ] || fail "/health after the fix: $(health)"
say "/health: degraded (503, 'permission denied') while current was unreadable, ok again after"

# --- 4. a new domain, published by the command autogen-render.service runs ---
https autoconfig.example.net /mail/config-v1.1.xml >/dev/null
expect 404 text/html "example.net before it is added"
sed -i 's/^\( *\)- example\.com$/&\n\1- example.net/' /etc/autogen/autogen.yaml
grep -q 'example.net' /etc/autogen/autogen.yaml || fail "could not add example.net to autogen.yaml"
reload="nginx -q -t -c $nginx_conf && nginx -c $nginx_conf -s reload"
{
    printf 'AUTOGEN_RENDER_OPTIONS="%s"\n' "${render_options[*]}"
    printf 'AUTOGEN_RELOAD_WEB_SERVER="%s"\n' "$reload"
} >>/etc/default/autogen
# What systemd runs: ExecStart of the installed unit, with its Environment= and then /etc/default/autogen, expanded
# as systemd does ($VAR: split into words, ${VAR}: one word).
declare -A env
while IFS='=' read -r key value; do env[$key]=$value; done \
    < <(sed -n 's/^Environment=//p' /lib/systemd/system/autogen-render.service)
while IFS='=' read -r key value; do value=${value#\"}; env[$key]=${value%\"}; done \
    < <(grep -E '^[A-Z_]+=' /etc/default/autogen)
exec_start=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/autogen-render.service)
command=()
for word in $exec_start; do
    if [[ $word =~ ^(.*)\$\{([A-Z_]+)\}(.*)$ ]]; then
        command+=("${BASH_REMATCH[1]}${env[${BASH_REMATCH[2]}]:-}${BASH_REMATCH[3]}")
    elif [[ $word =~ ^\$([A-Z_]+)$ ]]; then
        # shellcheck disable=SC2206
        command+=(${env[${BASH_REMATCH[1]}]:-})
    else
        command+=("$word")
    fi
done
[ "${command[0]}" = /usr/bin/autogen ] && [ "${command[1]}" = render ] || fail "unexpected ExecStart: $exec_start"
"${command[@]}" >"$scratch/render.log" 2>&1 || { cat "$scratch/render.log" >&2; fail "autogen-render.service's command: ${command[*]}"; }
v3=$(version)
[ "$v3" != "$v2" ] || fail "adding a domain made no new version"
[ -z "$(find "$site" ! -user autogen -print -quit)" ] || fail "the service's render left files not owned by autogen"
for _ in $(seq 1 50); do [ "$(health | json 'd["version"]')" = "$v3" ] && break; sleep 0.2; done
sleep 0.5 # NGINX's old workers finish; new ones have the new host map
check_routes example.net mail.example.com
check_routes example.com mail.example.com
say "example.net added: served over HTTPS after autogen-render.service's command (render + reload), no manual step"

# The same command again changes nothing, and reloads nothing.
"${command[@]}" >"$scratch/render.log" 2>&1 || { cat "$scratch/render.log" >&2; fail "a second run of the service's command"; }
[ "$(version)" = "$v3" ] || fail "an unchanged render switched current"
say "OK"
