package dev.autogen.responder;

import dev.autogen.pack.DocEncoding;
import dev.autogen.pack.DocPack;
import dev.autogen.text.IoErrors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Reads a site version (docs/site-format.md): the index files into memory, the documents as mapped packs
 * ({@link DocPacks}). Any problem refuses the whole version with a message naming the file and line.
 */
final class SiteLoader {

    static final String HEADER = "#autogen-site 1";
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** Thrown for an invalid site; the message names the file (and line) and what is wrong. */
    static final class InvalidSiteException extends Exception {
        InvalidSiteException(String message) { super(message); }
    }

    /**
     * LDAP clients survive reloads when their settings did not change (a pool per reload would reconnect for
     * nothing). The loader asks this registry; the responder closes those a new site no longer uses.
     */
    interface Directories {
        /** {@code trusted}: the certificates of the settings' {@code caFile}, empty when there is none. */
        LdapDirectory get(String name, Properties settings, List<X509Certificate> trusted) throws Exception;
    }

    private SiteLoader() {}

    /** Resolves {@code siteDir/current} once: everything read comes from that one version directory. */
    static Path currentVersion(Path siteDir) throws IOException {
        return siteDir.resolve("current").toRealPath();
    }

    static Site load(Path versionDir, Directories directories) throws InvalidSiteException {
        String dirName = versionDir.getFileName().toString();
        String version = dirName.startsWith("v-") ? dirName.substring(2) : dirName;
        if (!SAFE_NAME.matcher(version).matches()) throw new InvalidSiteException(versionDir + ": unusable version directory name");
        return new Loader(versionDir.resolve("private"), directories).load(version);
    }

    /** One load's caches: every document, string and directory once, however many lines name it. */
    private static final class Loader {
        final Path priv;
        final Directories directories;
        final DocPacks docs;
        boolean pages; // some line has a setup page
        final Map<String, String> strings = new HashMap<>();
        final Map<String, LdapDirectory> dirs = new HashMap<>();
        final NameTable domains = new NameTable(1 << 10);
        final List<Site.Entry> entries = new ArrayList<>();

        Loader(Path priv, Directories directories) throws InvalidSiteException {
            this.priv = priv;
            this.directories = directories;
            this.docs = new DocPacks(priv);
        }

        Site load(String version) throws InvalidSiteException {
            // wellknown.tsv (two lines per domain with DAV servers) is independent of domains.tsv: read side by side,
            // a million-domain site loads in little more than the time of the larger of the two.
            java.util.concurrent.CompletableFuture<Hosting.WellKnown> wellKnown = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return wellKnown(priv.resolve("wellknown.tsv"));
                        } catch (InvalidSiteException e) {
                            throw new java.util.concurrent.CompletionException(e);
                        }
                    });
            try {
                return load(version, wellKnown);
            } finally {
                wellKnown.cancel(false); // a problem in domains.tsv: the other file's result is not wanted
            }
        }

        private Site load(String version, java.util.concurrent.Future<Hosting.WellKnown> wellKnown) throws InvalidSiteException {
            Path index = priv.resolve("domains.tsv");
            try (TsvReader r = new TsvReader(index)) {
                if (!r.next() || r.columns != 1 || !r.is(0, HEADER)) throw new InvalidSiteException(index + ":1: first line must be '" + HEADER + "'");
                readDomains(r, index);
            } catch (NoSuchFileException e) {
                throw new InvalidSiteException(index + ": missing");
            } catch (IOException | UncheckedIOException e) {
                throw new InvalidSiteException(index + ": " + IoErrors.reason(e));
            }
            domains.trim();
            Template e600 = error("errors/autodiscover-600.xml");
            Template e601 = error("errors/autodiscover-601.xml");
            Hosting hosting = hosting(wellKnown);
            Template paccAny = PaccDocuments.load(priv, domains, entries, docs::get);
            List<Site.Entry> all = new ArrayList<>(entries);
            for (Site.Domain d : hosting.mx().values()) all.add(d.entry());
            if (hosting.any() != null) all.add(hosting.any().entry());
            return new Site(version, domains, java.util.Collections.unmodifiableList(entries), e600, e601, Map.copyOf(dirs),
                    hosting, signers(priv, all), paccAny, setupPageCsp());
        }

        /**
         * The lines of domains.tsv, a byte range at a time: a line whose columns other than the domain (and the usual
         * Autodiscover URL) were seen before costs a hash and a compare, no String and no parsing.
         */
        private void readDomains(TsvReader r, Path index) throws IOException, InvalidSiteException {
            NameTable tuples = new NameTable(1 << 10); // a line without its domain -> its entry
            byte[] key = new byte[1024];
            while (r.next()) {
                if (r.empty()) continue;
                if (r.columns != 9 && r.columns != 11) {
                    throw new InvalidSiteException(where(index, r) + "expected 9 or 11 tab-separated columns, found " + r.columns);
                }
                byte[] b = r.buf();
                String domain = new String(b, r.from(0), r.to(0) - r.from(0), StandardCharsets.ISO_8859_1);
                if (!EmailAddress.validHostName(domain)) {
                    throw new InvalidSiteException(where(index, r) + "'" + r.string(0) + "' is not a lower-case host name");
                }
                boolean usual = usualAutodiscoverUrl(r, domain);
                // The entry's key: columns 2-7, column 8 unless usual, columns 9-11 (tabs kept: unambiguous).
                int a = r.from(1), a1 = r.to(6), u = r.from(7), u1 = usual ? u : r.to(7), c = r.from(8), c1 = r.to(r.columns - 1);
                int n = (a1 - a) + (u1 - u) + (c1 - c) + 2;
                if (n > 0xffff) throw new InvalidSiteException(where(index, r) + "line too long");
                if (key.length < n) key = new byte[n * 2];
                System.arraycopy(b, a, key, 0, a1 - a);
                int k = a1 - a;
                key[k++] = '\t';
                System.arraycopy(b, u, key, k, u1 - u);
                k += u1 - u;
                key[k++] = '\t';
                System.arraycopy(b, c, key, k, c1 - c);
                k += c1 - c;
                int slot = tuples.slot(key, 0, k);
                int entry = slot >= 0 ? tuples.value(slot) : entries.size();
                if (slot < 0) {
                    entries.add(entry(r, usual, where(index, r)));
                    tuples.add(key, 0, k, entry);
                }
                if (!domains.add(b, r.from(0), r.to(0), entry)) throw new InvalidSiteException(where(index, r) + "domain " + domain + " listed twice");
            }
        }

        /** The columns of a line not seen before (without the domain), parsed and checked. */
        private Site.Entry entry(TsvReader r, boolean usual, String where) throws InvalidSiteException {
            String[] c = new String[r.columns];
            for (int i = 1; i < c.length; i++) c[i] = r.string(i);
            return new Site.Entry(intern(c[1]), template(c[2], where), template(c[3], where),
                    c[4].equals("-") ? null : template(c[4], where), template(c[5], where), directoryOf(c[6], where),
                    usual ? null : intern(url(c[7], where)), c[8].equals("-") ? null : intern(url(c[8], where)),
                    c.length > 9 ? template(c[9], where) : null, c.length > 9 ? page(c[10], where) : null, null);
        }

        /** {@code private/setup-page.csp}: required when a line has a setup page, its first line sent as it is. */
        private String setupPageCsp() throws InvalidSiteException {
            if (!pages) return null;
            Path file = priv.resolve("setup-page.csp");
            String csp;
            try {
                csp = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            } catch (NoSuchFileException e) {
                throw new InvalidSiteException(file + ": missing (domains.tsv names setup pages)");
            } catch (IOException | UncheckedIOException e) {
                throw new InvalidSiteException(file + ": " + IoErrors.reason(e));
            }
            for (int i = 0; i < csp.length(); i++) {
                if (csp.charAt(i) < 0x20 || csp.charAt(i) > 0x7e) throw new InvalidSiteException(file + ": not a one-line ASCII header value");
            }
            if (csp.isEmpty()) throw new InvalidSiteException(file + ": empty");
            return csp;
        }

        /**
         * {@code private/hosting.tsv} and {@code private/wellknown.tsv} (docs/site-format.md), both optional: a site
         * without them answers for its listed domains only and redirects nothing.
         */
        private Hosting hosting(java.util.concurrent.Future<Hosting.WellKnown> wellKnownFile) throws InvalidSiteException {
            Site.Domain any = null;
            Template addressless = null;
            Map<String, Site.Domain> mx = new HashMap<>();
            Path file = priv.resolve("hosting.tsv");
            List<String> lines = lines(file, "#autogen-hosting 1");
            for (int n = 1; n < lines.size(); n++) {
                if (lines.get(n).isEmpty()) continue;
                String where = file + ":" + (n + 1) + ": ";
                String[] c = lines.get(n).split("\t", -1);
                if (c.length != 10) throw new InvalidSiteException(where + "expected 10 tab-separated columns, found " + c.length);
                boolean isAny = c[0].equals("*");
                if (!isAny && !EmailAddress.validHostName(c[0])) throw new InvalidSiteException(where + "'" + c[0] + "' is neither * nor a lower-case host name");
                if ((isAny ? any != null : mx.containsKey(c[0]))) throw new InvalidSiteException(where + c[0] + " listed twice");
                if (!c[7].startsWith("https://") && !c[7].startsWith("http://")) throw new InvalidSiteException(where + "'" + c[7] + "' is not an http(s) URL");
                url(c[7].replace("{{domain}}", ""), where);
                Site.Domain d = new Site.Domain("*", new Site.Entry(intern(c[1]), template(c[2], where), template(c[3], where),
                        c[4].equals("-") ? null : template(c[4], where), template(c[5], where), directoryOf(c[6], where),
                        c[7], c[8].equals("-") ? null : intern(url(c[8], where)), null, null, null));
                if (isAny) {
                    any = d;
                    addressless = c[9].equals("-") ? null : template(c[9], where);
                } else {
                    mx.put(c[0], d);
                }
            }
            Hosting.WellKnown wellKnown;
            try {
                wellKnown = wellKnownFile.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof InvalidSiteException invalid) throw invalid;
                throw new InvalidSiteException(priv.resolve("wellknown.tsv") + ": " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InvalidSiteException(priv.resolve("wellknown.tsv") + ": interrupted while loading");
            }
            if (any == null && mx.isEmpty() && wellKnown.isEmpty()) return Hosting.NONE;
            // With a default provider: listed domains' Autodiscover hosts are served names, not mail domains. The usual
            // URL's host is autodiscover.<domain>, the domain's own; the others are per entry, not per domain.
            java.util.Set<String> hosts = new java.util.HashSet<>();
            for (Site.Entry e : any == null ? List.<Site.Entry>of() : entries) {
                String u = e.autodiscoverUrl();
                if (u == null || u.contains("{{")) continue;
                int start = u.indexOf("://") + 3, end = u.indexOf('/', start);
                String host = u.substring(start, end < 0 ? u.length() : end).toLowerCase(java.util.Locale.ROOT);
                boolean own = domains.get(host) >= 0 || host.startsWith("autodiscover.") && domains.get(host.substring(13)) >= 0;
                if (!own) hosts.add(host);
            }
            return new Hosting(any, addressless, Map.copyOf(mx), wellKnown, java.util.Set.copyOf(hosts));
        }

        /**
         * {@code private/wellknown.tsv}: two lines per domain with DAV servers (the domain and autoconfig.<domain>),
         * so read a byte range at a time into a {@link NameTable} pointing at the distinct redirect targets (a
         * provider's); as strings and a map, a million domains' lines took 300 MB of heap and most of the start-up.
         */
        private static Hosting.WellKnown wellKnown(Path file) throws InvalidSiteException {
            if (!Files.exists(file)) return Hosting.WellKnown.NONE;
            NameTable hosts = new NameTable(1 << 10);
            List<String[]> targets = new ArrayList<>();
            NameTable distinct = new NameTable(16); // the two URL columns, tab included -> index in targets
            try (TsvReader r = new TsvReader(file)) {
                if (!r.next() || r.columns != 1 || !r.is(0, "#autogen-wellknown 1")) throw new InvalidSiteException(file + ":1: first line must be '#autogen-wellknown 1'");
                while (r.next()) {
                    if (r.empty()) continue;
                    String where = file + ":" + r.line + ": ";
                    if (r.columns != 3) throw new InvalidSiteException(where + "expected 3 tab-separated columns, found " + r.columns);
                    String host = r.string(0);
                    if (!host.equals("*") && !EmailAddress.validHostName(host)) throw new InvalidSiteException(where + "'" + host + "' is neither * nor a lower-case host name");
                    // A provider's pair of URLs repeats on two lines per domain: parsed and checked when first seen.
                    int seen = distinct.slot(r.buf(), r.from(1), r.to(2));
                    int index = seen >= 0 ? distinct.value(seen) : targets.size();
                    if (seen < 0) {
                        targets.add(new String[] {r.is(1, "-") ? null : url(r.string(1), where), r.is(2, "-") ? null : url(r.string(2), where)});
                        distinct.add(r.buf(), r.from(1), r.to(2), index);
                    }
                    if (!hosts.add(r.buf(), r.from(0), r.to(0), index)) throw new InvalidSiteException(where + host + " listed twice");
                }
            } catch (IOException e) {
                throw new InvalidSiteException(file + ": " + IoErrors.reason(e));
            }
            hosts.trim();
            return new Hosting.WellKnown(hosts, List.copyOf(targets));
        }

        private String intern(String s) {
            return strings.computeIfAbsent(s, k -> k);
        }

        private Template template(String rel, String where) throws InvalidSiteException {
            if (!docName(rel, ".xml") && !docName(rel, ".plist")) throw new InvalidSiteException(where + "'" + rel + "' is not a docs/<sha256>.<xml|plist> path");
            return docs.get(rel, where);
        }

        /** A setup page (column 11). */
        private Template page(String rel, String where) throws InvalidSiteException {
            if (!docName(rel, ".html")) throw new InvalidSiteException(where + "'" + rel + "' is not a docs/<sha256>.html path");
            pages = true;
            return docs.get(rel, where);
        }

        /** An Autodiscover error document: a text file with slots, encoded here. */
        private Template error(String rel) throws InvalidSiteException {
            Path file = priv.resolve(rel);
            try {
                return Template.parse(Files.readString(file, StandardCharsets.UTF_8), DocEncoding.Context.XML);
            } catch (IOException e) {
                throw new InvalidSiteException(file + ": cannot read (" + IoErrors.reason(e) + ")");
            } catch (IllegalArgumentException e) {
                throw new InvalidSiteException(file + ": " + e.getMessage());
            }
        }

        /** The directory an index line names ({@code -}: none), loaded once per site however many lines name it. */
        private LdapDirectory directoryOf(String name, String where) throws InvalidSiteException {
            if (name.equals("-")) return null;
            if (!SAFE_NAME.matcher(name).matches()) throw new InvalidSiteException(where + "bad directory name '" + name + "'");
            LdapDirectory dir = dirs.get(name);
            if (dir == null) {
                dir = directory(priv, name, directories, where);
                dirs.put(name, dir);
            }
            return dir;
        }
    }

    /**
     * {@code docs/<64 hex digits><extension>}, as the generator names documents. Checked by hand, not by a pattern:
     * a million-domain site names 720,000 documents, and the regex was a tenth of its load time.
     */
    static boolean docName(String rel, String extension) {
        return rel.endsWith(extension) && rel.length() == 69 + extension.length() && DocPack.validName(rel);
    }

    private static String where(Path file, TsvReader r) {
        return file + ":" + r.line + ": ";
    }

    private static final String AD_PREFIX = "https://autodiscover.", AD_SUFFIX = "/autodiscover/autodiscover.xml";

    /** True when column 8 is {@code https://autodiscover.<domain>/autodiscover/autodiscover.xml}: not stored per domain. */
    private static boolean usualAutodiscoverUrl(TsvReader r, String domain) {
        int f = r.from(7);
        return r.to(7) - f == AD_PREFIX.length() + domain.length() + AD_SUFFIX.length() && r.at(f, AD_PREFIX)
                && r.at(f + AD_PREFIX.length(), domain) && r.at(f + AD_PREFIX.length() + domain.length(), AD_SUFFIX);
    }

    /**
     * The signers of the providers that have {@code private/signing/<provider>.pem} (docs/site-format.md), for the
     * listed domains' providers and the hosters'.
     */
    private static Map<String, ProfileSigner> signers(Path priv, List<Site.Entry> entries) throws InvalidSiteException {
        if (!Files.isDirectory(priv.resolve("signing"))) return Map.of();
        Map<String, ProfileSigner> signers = new HashMap<>();
        Map<String, ProfileSigner> byContent = new HashMap<>(); // a site-wide key: one file per provider, one signer
        for (String provider : entries.stream().map(Site.Entry::provider).distinct().toList()) {
            // Provider ids are host names from the index (validated there): safe as a file name, up to 253 characters.
            if (!EmailAddress.validHostName(provider)) continue;
            Path file = priv.resolve("signing").resolve(provider + ".pem");
            String text = ProfileSigner.read(file);
            if (text == null) continue;
            ProfileSigner signer = byContent.get(text);
            if (signer == null) byContent.put(text, signer = ProfileSigner.load(file, text));
            signers.put(provider, signer);
        }
        return Map.copyOf(signers);
    }

    /** The lines of an optional file, the first being {@code header}; empty when there is no file. */
    private static List<String> lines(Path file, String header) throws InvalidSiteException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidSiteException(file + ": " + e.getMessage());
        }
        if (lines.isEmpty() || !lines.get(0).equals(header)) throw new InvalidSiteException(file + ":1: first line must be '" + header + "'");
        return lines;
    }

    private static String url(String s, String where) throws InvalidSiteException {
        if (!(s.startsWith("https://") || s.startsWith("http://"))) throw new InvalidSiteException(where + "'" + s + "' is not an http(s) URL");
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) <= 0x20 || s.charAt(i) == 0x7f) throw new InvalidSiteException(where + "URL contains a control character or space");
        }
        return s;
    }

    private static LdapDirectory directory(Path priv, String name, Directories directories, String where) throws InvalidSiteException {
        Path file = priv.resolve("ldap").resolve(name + ".properties");
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new InvalidSiteException(where + "cannot read " + file + " (" + IoErrors.reason(e) + ")");
        }
        List<X509Certificate> trusted = List.of();
        String caFile = p.getProperty("caFile");
        if (caFile != null) {
            if (!SAFE_NAME.matcher(caFile).matches()) {
                throw new InvalidSiteException(file + ": caFile '" + caFile + "' is not a file name in " + file.getParent());
            }
            trusted = certificates(file.resolveSibling(caFile));
        }
        try {
            return directories.get(name, p, trusted);
        } catch (Exception e) {
            // The message of a settings error never includes the bind password.
            throw new InvalidSiteException(file + ": " + e.getMessage());
        }
    }

    /**
     * The certificates of a directory's CA file, read here, once per load, so that a broken file refuses the site
     * and TLS handshakes later never touch the disk.
     */
    static List<X509Certificate> certificates(Path file) throws InvalidSiteException {
        List<X509Certificate> result = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) result.add((X509Certificate) c);
        } catch (IOException e) {
            throw new InvalidSiteException(file + ": cannot read the LDAP CA file (" + IoErrors.reason(e) + ")");
        } catch (CertificateException e) {
            throw new InvalidSiteException(file + ": not a PEM file of X.509 certificates (" + e.getMessage() + ")");
        }
        if (result.isEmpty()) throw new InvalidSiteException(file + ": holds no X.509 certificate");
        return List.copyOf(result);
    }
}
