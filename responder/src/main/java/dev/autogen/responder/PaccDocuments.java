package dev.autogen.responder;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PACC documents of a site version ({@code private/pacc.tsv}: {@code domain TAB docs/<sha256>.json}), from the
 * document packs like every document: slot-free, so an answer is the exact bytes the web server serves and the
 * {@code _ua-auto-config} TXT digest covers. A document belongs to the domain's shared {@link Site.Entry}: no
 * per-domain map.
 */
final class PaccDocuments {
    static final String INDEX = "pacc.tsv";
    static final String HEADER = "#autogen-pacc 1";
    static final String ANY = "*";

    private PaccDocuments() {}

    /** The loader's documents by name ({@code where}: the file and line naming it, for messages). */
    interface Documents {
        Template get(String name, String where) throws SiteLoader.InvalidSiteException;
    }

    /** An entry and a document (templates are one object per document: identity is equality). */
    private record Pair(int entry, Template doc) {}

    /**
     * The document for {@code d}, the entry {@code ua-auto-config.<domain>} named (null: unknown): a listed domain's
     * own, else (a domain nobody lists, answered by the default provider) the default provider's; null when none.
     */
    static Template of(Site s, Site.Domain d) {
        if (d == null || d.name() == null) return null;
        return s.lists(d.name()) ? d.entry().pacc() : s.paccAny();
    }

    /**
     * Gives each listed domain named in the index its document: {@code entries} gains an entry per distinct (entry,
     * document) pair and {@code domains} points at it. Returns the default provider's document ({@code *}), or null;
     * nothing for a site rendered before PACC existed (no index).
     */
    static Template load(Path priv, NameTable domains, List<Site.Entry> entries, Documents docs) throws SiteLoader.InvalidSiteException {
        Path index = priv.resolve(INDEX);
        Map<Pair, Integer> withDoc = new HashMap<>(); // (entry, document) -> entry with that document
        Template any = null;
        try (TsvReader r = new TsvReader(index)) {
            if (!r.next() || r.columns != 1 || !r.is(0, HEADER)) throw new SiteLoader.InvalidSiteException(index + ":1: first line must be '" + HEADER + "'");
            while (r.next()) {
                if (r.empty()) continue;
                String where = index + ":" + r.line + ": ";
                if (r.columns != 2) throw new SiteLoader.InvalidSiteException(where + "expected 2 tab-separated columns, found " + r.columns);
                // '*': the default provider's document, for domains nobody lists (docs/hosters.md).
                boolean isAny = r.is(0, ANY);
                int domain = isAny ? -1 : domains.slot(r.buf(), r.from(0), r.to(0));
                if (domain < 0 && !isAny) throw new SiteLoader.InvalidSiteException(where + "domain " + r.string(0) + " is not in domains.tsv");
                String rel = r.string(1);
                if (!SiteLoader.docName(rel, ".json")) throw new SiteLoader.InvalidSiteException(where + "'" + rel + "' is not a docs/<sha256>.json path");
                Template doc = docs.get(rel, where);
                if (isAny) {
                    any = doc;
                    continue;
                }
                int entry = domains.value(domain);
                Integer next = withDoc.get(new Pair(entry, doc));
                if (next == null) {
                    next = entries.size();
                    entries.add(entries.get(entry).withPacc(doc));
                    withDoc.put(new Pair(entry, doc), next);
                }
                domains.value(domain, next);
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new SiteLoader.InvalidSiteException(index + ": " + e.getMessage());
        }
        return any;
    }
}
