#!/bin/sh
# Builds target/autogen_<version>_all.deb from files the reactor already built, with dpkg-deb.
# Called by Maven (exec-maven-plugin, phase package) as: build-deb.sh <maven version> <dist target dir>
# Everything it reads: the two shaded jars, templates/, samples/, docs/, LICENSE, the generated man pages and
# completion in target/generated/, and dist/src/{bin,systemd,config,deb}.
set -eu

maven_version=$1
target=$(cd "$2" && pwd -P)
src=$(cd "$(dirname "$0")/.." && pwd -P)      # dist/src
root_dir=$(cd "$src/../.." && pwd -P)          # the repository

if ! command -v dpkg-deb >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then
        echo "build-deb: dpkg-deb is required on CI (apt-get install dpkg)" >&2
        exit 1
    fi
    echo "build-deb: SKIPPED: dpkg-deb not found, no .deb built (the tar.gz archive is still built)"
    exit 0
fi

# Debian orders 0.1.0~SNAPSHOT before 0.1.0, as Maven does; '-' would start a Debian revision.
deb_version=$(printf '%s' "$maven_version" | sed 's/-/~/g')
stage=$target/deb-root
rm -rf "$stage"
umask 022

install_dir() { mkdir -p "$stage$1"; chmod "$2" "$stage$1"; }
install_file() { mkdir -p "$(dirname "$stage$3")"; cp "$1" "$stage$3"; chmod "$2" "$stage$3"; }
copy_tree() {   # copy_tree SOURCE-DIR DEST-DIR: regular files 0644, directories 0755
    [ -d "$1" ] || return 0
    mkdir -p "$stage$2"
    cp -R "$1/." "$stage$2/"
    find "$stage$2" -type d -exec chmod 0755 {} +
    find "$stage$2" -type f -exec chmod 0644 {} +
}

install_file "$src/bin/autogen" 0755 /usr/bin/autogen
install_file "$src/bin/autogen-responder" 0755 /usr/bin/autogen-responder
install_file "$root_dir/generator/target/autogen.jar" 0644 /usr/share/autogen/lib/autogen.jar
install_file "$root_dir/responder/target/autogen-responder.jar" 0644 /usr/share/autogen/lib/autogen-responder.jar
copy_tree "$root_dir/templates" /usr/share/autogen/templates
copy_tree "$root_dir/samples" /usr/share/autogen/samples

install_dir /etc/autogen 0755
install_file "$src/config/responder.properties" 0644 /etc/autogen/responder.properties
# The configuration starts as the minimal sample: one provider, one domain, to edit. 0640: it may come to hold a
# database password; postinst gives it to group autogen (the package's files are all root:root).
install_file "$root_dir/samples/minimal.yaml" 0640 /etc/autogen/autogen.yaml
install_file "$src/config/default-autogen" 0644 /etc/default/autogen
install_file "$src/lib/reload-web-server" 0755 /usr/lib/autogen/reload-web-server
# The data directory; postinst hands it to the autogen user.
install_dir /var/lib/autogen 0755
for unit in autogen-responder.service autogen-render.service autogen-render.timer autogen-render.path; do
    install_file "$src/systemd/$unit" 0644 "/lib/systemd/system/$unit"
done

install_file "$target/generated/man/autogen.1" 0644 /usr/share/man/man1/autogen.1
for page in "$target"/generated/man/autogen-*.1; do
    [ -f "$page" ] || continue
    install_file "$page" 0644 "/usr/share/man/man1/$(basename "$page")"
done
install_file "$target/generated/man/autogen-responder.8" 0644 /usr/share/man/man8/autogen-responder.8
gzip -9n "$stage"/usr/share/man/man*/*
install_file "$target/generated/completion/autogen" 0644 /usr/share/bash-completion/completions/autogen
install_file "$target/generated/completion/autogen-responder" 0644 /usr/share/bash-completion/completions/autogen-responder

install_file "$root_dir/LICENSE" 0644 /usr/share/doc/autogen/copyright
copy_tree "$root_dir/docs" /usr/share/doc/autogen/docs
[ -f "$root_dir/README.md" ] && install_file "$root_dir/README.md" 0644 /usr/share/doc/autogen/README.md

# Control area.
install_dir /DEBIAN 0755
installed_kb=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$deb_version/" -e "s/@INSTALLED_SIZE@/$installed_kb/" "$src/deb/control" > "$stage/DEBIAN/control"
chmod 0644 "$stage/DEBIAN/control"
install_file "$src/deb/conffiles" 0644 /DEBIAN/conffiles
for script in postinst prerm postrm; do
    install_file "$src/deb/$script" 0755 "/DEBIAN/$script"
done
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort | tr '\n' '\0' | xargs -0 md5sum) \
    > "$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/md5sums"

out=$target/autogen_${deb_version}_all.deb
# --root-owner-group: every file root:root without fakeroot; postinst gives /var/lib/autogen to the autogen user.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root_dir" log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH
# gzip, not xz: the payload is mostly jars (already deflated), where xz costs many seconds and saves little.
dpkg-deb --root-owner-group -Zgzip --build "$stage" "$out" >/dev/null
echo "build-deb: built $out"
