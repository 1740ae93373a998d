package dev.autogen.responder;

import dev.autogen.text.IoErrors;

import java.io.BufferedReader;
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
 * Reads a site version (docs/site-format.md) into memory: every document once, split into chunks and slots.
 * Any problem refuses the whole version with a message naming the file and line.
 */
final class SiteLoader {

    static final String HEADER = "#autogen-site 1";
    private static final Pattern DOC_PATH = Pattern.compile("docs/[0-9a-f]{16,128}\\.(xml|plist|json)");
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
        Path priv = versionDir.resolve("private");
        Path index = priv.resolve("domains.tsv");
        Map<String, Template> templates = new HashMap<>();
        Map<Template.Chunk, Template.Chunk> chunks = new HashMap<>();
        Map<String, String> strings = new HashMap<>();
        Map<String, LdapDirectory> dirs = new HashMap<>();
        Map<String, Site.Domain> domains = new HashMap<>(1 << 17);
        try (BufferedReader r = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            if (!HEADER.equals(first)) throw new InvalidSiteException(index + ":1: first line must be '" + HEADER + "'");
            String line;
            int n = 1;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isEmpty()) continue;
                String where = index + ":" + n + ": ";
                String[] c = line.split("\t", -1);
                // 11 columns since the compact layout (site-format.md); columns 10 and 11 are not used here yet.
                if (c.length != 9 && c.length != 11) throw new InvalidSiteException(where + "expected 9 or 11 tab-separated columns, found " + c.length);
                String domain = c[0];
                if (!EmailAddress.validHostName(domain)) throw new InvalidSiteException(where + "'" + domain + "' is not a lower-case host name");
                if (domains.containsKey(domain)) throw new InvalidSiteException(where + "domain " + domain + " listed twice");
                LdapDirectory dir = directoryOf(c[6], priv, dirs, directories, where);
                domains.put(domain, new Site.Domain(domain, intern(strings, c[1]),
                        template(priv, c[2], templates, chunks, where), template(priv, c[3], templates, chunks, where),
                        c[4].equals("-") ? null : template(priv, c[4], templates, chunks, where),
                        template(priv, c[5], templates, chunks, where), dir,
                        url(c[7], where), c[8].equals("-") ? null : intern(strings, url(c[8], where))));
            }
        } catch (NoSuchFileException e) {
            throw new InvalidSiteException(index + ": missing");
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidSiteException(index + ": " + IoErrors.reason(e));
        }
        Template e600 = load(priv, "errors/autodiscover-600.xml", "errors/autodiscover-600.xml", chunks);
        Template e601 = load(priv, "errors/autodiscover-601.xml", "errors/autodiscover-601.xml", chunks);
        Hosting hosting = hosting(priv, templates, chunks, strings, dirs, directories, domains);
        // Never modified after this point; unmodifiableMap avoids re-hashing 100k entries into a copy.
        List<Site.Domain> entries = new java.util.ArrayList<>(domains.values());
        entries.addAll(hosting.mx().values());
        if (hosting.any() != null) entries.add(hosting.any());
        return new Site(version, java.util.Collections.unmodifiableMap(domains), e600, e601, Map.copyOf(dirs), hosting,
                signers(priv, entries), PaccDocuments.load(priv, domains));
    }

    /**
     * The signers of the providers that have {@code private/signing/<provider>.pem} (docs/site-format.md), for the
     * listed domains' providers and the hosters'.
     */
    private static Map<String, ProfileSigner> signers(Path priv, java.util.Collection<Site.Domain> domains) throws InvalidSiteException {
        if (!Files.isDirectory(priv.resolve("signing"))) return Map.of();
        Map<String, ProfileSigner> signers = new HashMap<>();
        Map<String, ProfileSigner> byContent = new HashMap<>(); // a site-wide key: one file per provider, one signer
        for (String provider : domains.stream().map(Site.Domain::provider).distinct().toList()) {
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

    /**
     * {@code private/hosting.tsv} and {@code private/wellknown.tsv} (docs/site-format.md), both optional: a site
     * without them answers for its listed domains only and redirects nothing.
     */
    private static Hosting hosting(Path priv, Map<String, Template> templates, Map<Template.Chunk, Template.Chunk> chunks,
                                   Map<String, String> strings, Map<String, LdapDirectory> dirs, Directories directories,
                                   Map<String, Site.Domain> domains) throws InvalidSiteException {
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
            String url = c[7].replace("{{domain}}", "");
            url(url, where);
            LdapDirectory dir = directoryOf(c[6], priv, dirs, directories, where);
            Site.Domain d = new Site.Domain("*", intern(strings, c[1]), template(priv, c[2], templates, chunks, where),
                    template(priv, c[3], templates, chunks, where), c[4].equals("-") ? null : template(priv, c[4], templates, chunks, where),
                    template(priv, c[5], templates, chunks, where), dir, c[7], c[8].equals("-") ? null : intern(strings, url(c[8], where)));
            if (isAny) {
                any = d;
                addressless = c[9].equals("-") ? null : template(priv, c[9], templates, chunks, where);
            } else {
                mx.put(c[0], d);
            }
        }
        Map<String, String[]> wellKnown = new HashMap<>();
        file = priv.resolve("wellknown.tsv");
        lines = lines(file, "#autogen-wellknown 1");
        for (int n = 1; n < lines.size(); n++) {
            if (lines.get(n).isEmpty()) continue;
            String where = file + ":" + (n + 1) + ": ";
            String[] c = lines.get(n).split("\t", -1);
            if (c.length != 3) throw new InvalidSiteException(where + "expected 3 tab-separated columns, found " + c.length);
            if (!c[0].equals("*") && !EmailAddress.validHostName(c[0])) throw new InvalidSiteException(where + "'" + c[0] + "' is neither * nor a lower-case host name");
            String[] targets = new String[2];
            for (int i = 0; i < 2; i++) targets[i] = c[i + 1].equals("-") ? null : intern(strings, url(c[i + 1], where));
            if (wellKnown.put(c[0], targets) != null) throw new InvalidSiteException(where + c[0] + " listed twice");
        }
        if (any == null && mx.isEmpty() && wellKnown.isEmpty()) return Hosting.NONE;
        // With a default provider: listed domains' Autodiscover hosts are served names, not mail domains.
        java.util.Set<String> hosts = new java.util.HashSet<>();
        for (Site.Domain d : any == null ? List.<Site.Domain>of() : domains.values()) {
            String u = d.autodiscoverUrl();
            int start = u.indexOf("://") + 3, end = u.indexOf('/', start);
            String host = u.substring(start, end < 0 ? u.length() : end);
            boolean own = domains.containsKey(host) || host.startsWith("autodiscover.") && domains.containsKey(host.substring(13));
            if (!own) hosts.add(host.toLowerCase(java.util.Locale.ROOT));
        }
        return new Hosting(any, addressless, Map.copyOf(mx), Map.copyOf(wellKnown), java.util.Set.copyOf(hosts));
    }

    /** The directory an index line names ({@code -}: none), loaded once per site however many lines name it. */
    private static LdapDirectory directoryOf(String name, Path priv, Map<String, LdapDirectory> dirs,
                                             Directories directories, String where) throws InvalidSiteException {
        if (name.equals("-")) return null;
        if (!SAFE_NAME.matcher(name).matches()) throw new InvalidSiteException(where + "bad directory name '" + name + "'");
        LdapDirectory dir = dirs.get(name);
        if (dir == null) {
            dir = directory(priv, name, directories, where);
            dirs.put(name, dir);
        }
        return dir;
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

    private static String intern(Map<String, String> strings, String s) {
        return strings.computeIfAbsent(s, k -> k);
    }

    private static String url(String s, String where) throws InvalidSiteException {
        if (!(s.startsWith("https://") || s.startsWith("http://"))) throw new InvalidSiteException(where + "'" + s + "' is not an http(s) URL");
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) <= 0x20 || s.charAt(i) == 0x7f) throw new InvalidSiteException(where + "URL contains a control character or space");
        }
        return s;
    }

    private static Template template(Path priv, String rel, Map<String, Template> cache, Map<Template.Chunk, Template.Chunk> chunks, String where)
            throws InvalidSiteException {
        Template t = cache.get(rel);
        if (t != null) return t;
        if (!DOC_PATH.matcher(rel).matches()) throw new InvalidSiteException(where + "'" + rel + "' is not a docs/<sha256>.<xml|plist|json> path");
        t = load(priv, rel, where + rel, chunks);
        cache.put(rel, t);
        return t;
    }

    private static Template load(Path priv, String rel, String where, Map<Template.Chunk, Template.Chunk> chunks) throws InvalidSiteException {
        String text;
        try {
            text = Files.readString(priv.resolve(rel), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidSiteException(where + ": cannot read " + priv.resolve(rel) + " (" + IoErrors.reason(e) + ")");
        }
        try {
            return Template.parse(text, rel.endsWith(".json") ? Template.Context.JSON : Template.Context.XML, chunks);
        } catch (IllegalArgumentException e) {
            throw new InvalidSiteException(priv.resolve(rel) + ": " + e.getMessage());
        }
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
