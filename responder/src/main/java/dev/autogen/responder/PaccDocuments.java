package dev.autogen.responder;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The PACC documents of a site version ({@code private/pacc.tsv}: {@code domain TAB docs/<sha256>.json}), read once at
 * load: the exact bytes the web server serves and the {@code _ua-auto-config} TXT digest covers, never re-encoded.
 * Documents are shared by the domains whose index lines name the same file.
 */
final class PaccDocuments {
    static final String INDEX = "pacc.tsv";
    static final String HEADER = "#autogen-pacc 1";
    static final String ANY = "*";
    private static final Pattern DOC_PATH = Pattern.compile("docs/[0-9a-f]{16,128}\\.json");

    private PaccDocuments() {}

    /**
     * The document for {@code d}, the entry {@code ua-auto-config.<domain>} named (null: unknown): a listed domain's
     * own, else (a domain nobody lists, answered by the default provider) the default provider's; null when none.
     */
    static byte[] of(Site s, Site.Domain d) {
        if (d == null || d.name() == null) return null;
        byte[] doc = s.pacc().get(d.name());
        return doc != null || s.domains().containsKey(d.name()) ? doc : s.pacc().get(ANY);
    }

    /** Domain → document bytes; empty for a site rendered before PACC existed (no index). */
    static Map<String, byte[]> load(Path priv, Map<String, Site.Domain> domains) throws SiteLoader.InvalidSiteException {
        Path index = priv.resolve(INDEX);
        Map<String, byte[]> byPath = new HashMap<>();
        Map<String, byte[]> result = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            if (!HEADER.equals(first)) throw new SiteLoader.InvalidSiteException(index + ":1: first line must be '" + HEADER + "'");
            String line;
            for (int n = 2; (line = r.readLine()) != null; n++) {
                if (line.isEmpty()) continue;
                String[] c = line.split("\t", -1);
                String where = index + ":" + n + ": ";
                if (c.length != 2) throw new SiteLoader.InvalidSiteException(where + "expected 2 tab-separated columns, found " + c.length);
                // '*': the default provider's document, for domains nobody lists (docs/hosters.md).
                Site.Domain d = c[0].equals(ANY) ? null : domains.get(c[0]);
                if (d == null && !c[0].equals(ANY)) throw new SiteLoader.InvalidSiteException(where + "domain " + c[0] + " is not in domains.tsv");
                if (!DOC_PATH.matcher(c[1]).matches()) throw new SiteLoader.InvalidSiteException(where + "'" + c[1] + "' is not a docs/<sha256>.json path");
                byte[] doc = byPath.get(c[1]);
                if (doc == null) {
                    try {
                        doc = Files.readAllBytes(priv.resolve(c[1]));
                    } catch (IOException e) {
                        throw new SiteLoader.InvalidSiteException(where + "cannot read " + priv.resolve(c[1]) + " (" + e.getClass().getSimpleName() + ")");
                    }
                    byPath.put(c[1], doc);
                }
                result.put(d == null ? ANY : d.name(), doc); // the domain's own String: no second copy of 100k names
            }
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new SiteLoader.InvalidSiteException(index + ": " + e.getMessage());
        }
        return Collections.unmodifiableMap(result);
    }
}
