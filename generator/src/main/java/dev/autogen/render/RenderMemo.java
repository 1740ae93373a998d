package dev.autogen.render;

import dev.autogen.model.Domain;
import dev.autogen.model.Provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the previous render of a compact site made of each provider: {@code private/render-memo.tsv}
 * (docs/site-format.md), one line per provider, keyed by a digest of everything its documents depend on. A provider
 * whose digest is in the previous version's memo is not rendered again: its domains take the document paths the memo
 * names, and the documents themselves are the previous version's (they are named by their content). At a million
 * domains over 100,000 providers that turns a one-domain change from rendering 720,000 documents into rendering a
 * handful.
 *
 * <p>The digest covers the provider as its record prints (every component, every domain, in order; records print all
 * their components, and the secrets that print as **** change no document), plus the {@code siteDigest}: the build,
 * the templates, the output options and the site-wide settings documents use. A memo that is missing, of another
 * format or unreadable is no memo: the render renders everything, as it would the first time. It is an optimisation,
 * never a source of truth: a document it names that the previous version does not have makes that provider render.
 *
 * <p>Line format: {@code <digest> TAB <path> <path> ... TAB <domain> <domain> ...}, where each domain is seven
 * comma-separated indexes into the paths, or {@code -}: autoconfig, Outlook, MobileSync, profile, address-less profile,
 * setup page, PACC document ({@link SiteRenderer.DocPaths}), in the order of the provider's domains.
 */
public final class RenderMemo {
    public static final String FILE = "render-memo.tsv";
    static final String HEADER = "#autogen-memo 1";
    /**
     * Providers with more domains are always rendered: their record prints every domain (a hoster's million would be
     * a string of hundreds of MB), and their documents are few and shared by all their domains anyway.
     */
    static final int MAX_DOMAINS = 1_000;
    private static final int COLUMNS = 7;

    /** No memo: every provider is rendered, nothing is recorded. */
    public static final RenderMemo NONE = new RenderMemo(null, Map.of());

    private final String siteDigest;
    private final Map<String, String> previous; // provider digest -> the rest of its line

    private RenderMemo(String siteDigest, Map<String, String> previous) {
        this.siteDigest = siteDigest;
        this.previous = previous;
    }

    /**
     * The memo of the version at {@code versionDir} (its {@code private/render-memo.tsv}), for a render whose
     * site-wide inputs digest to {@code siteDigest}; a memo with no entries when there is none or it cannot be read.
     */
    public static RenderMemo read(Path versionDir, String siteDigest) {
        Map<String, String> lines = new HashMap<>();
        Path file = versionDir == null ? null : versionDir.resolve("private").resolve(FILE);
        if (file != null && Files.isRegularFile(file)) {
            try (Stream<String> in = Files.lines(file, StandardCharsets.UTF_8)) {
                var it = in.iterator();
                if (it.hasNext() && it.next().equals(HEADER + "\t" + siteDigest)) {
                    while (it.hasNext()) {
                        String line = it.next();
                        int tab = line.indexOf('\t');
                        if (tab > 0) lines.put(line.substring(0, tab), line.substring(tab + 1));
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                lines.clear(); // no memo: everything is rendered
            }
        }
        return new RenderMemo(siteDigest, lines);
    }

    /** True when this render records a memo (a compact site rendered by the CLI). */
    boolean active() {
        return siteDigest != null;
    }

    /** The provider's digest, or empty when it is not memoised (too many domains, or no memo). */
    Optional<String> digest(Provider provider) {
        if (!active() || provider.domains().size() > MAX_DOMAINS) return Optional.empty();
        String text = siteDigest + "\n" + canonical(provider);
        return Optional.of(SiteRenderer.sha256Hex(text.getBytes(StandardCharsets.UTF_8)).substring(0, 40));
    }

    /**
     * {@code provider.toString()}, character for character, with each list of servers printed once however many
     * domains share it (domains that inherit their provider's servers share its list): printing it for every domain
     * was most of the memo's cost at a million domains. A test checks that this equals {@code toString()} for the
     * samples, so a component added to the model cannot be left out of the digest unnoticed.
     */
    static String canonical(Provider p) {
        Map<Object, String> printed = new IdentityHashMap<>();
        StringBuilder out = new StringBuilder(1024 + 512 * p.domains().size());
        out.append("Provider[id=").append(p.id()).append(", name=").append(p.name()).append(", shortName=")
                .append(p.shortName()).append(", documentation=").append(p.documentation()).append(", domains=[");
        for (int i = 0; i < p.domains().size(); i++) {
            Domain d = p.domains().get(i);
            if (i > 0) out.append(", ");
            out.append("Domain[name=").append(d.name())
                    .append(", servers=").append(printed.computeIfAbsent(d.servers(), Object::toString))
                    .append(", davServers=").append(printed.computeIfAbsent(d.davServers(), Object::toString))
                    .append(", oauth2=").append(d.oauth2()).append(", activeSyncUrl=").append(d.activeSyncUrl())
                    .append(", autodiscoverHost=").append(d.autodiscoverHost()).append(", directory=")
                    .append(d.directory()).append(']');
        }
        return out.append("], logos=").append(p.logos()).append(", hosting=").append(p.hosting())
                .append(", signing=").append(p.signing()).append(']').toString();
    }

    /**
     * The document paths the previous render gave each of the provider's domains (in the order of its domains), or
     * empty when the memo has no valid line for {@code digest} with that many domains.
     */
    Optional<List<SiteRenderer.DocPaths>> previous(String digest, int domains) {
        String line = previous.get(digest);
        if (line == null) return Optional.empty();
        String[] parts = line.split("\t", -1);
        if (parts.length != 2) return Optional.empty();
        String[] paths = parts[0].split(" ");
        String[] perDomain = parts[1].split(" ");
        if (perDomain.length != domains) return Optional.empty();
        List<SiteRenderer.DocPaths> result = new ArrayList<>(domains);
        try {
            for (String d : perDomain) {
                String[] c = d.split(",", -1);
                // Autoconfig, Outlook and the profile every domain has; the others may be "-".
                if (c.length != COLUMNS || c[0].equals("-") || c[1].equals("-") || c[3].equals("-")) return Optional.empty();
                result.add(new SiteRenderer.DocPaths(paths[Integer.parseInt(c[0])], paths[Integer.parseInt(c[1])],
                        column(c[2], paths), paths[Integer.parseInt(c[3])], column(c[4], paths), column(c[5], paths),
                        column(c[6], paths)));
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
        return Optional.of(result);
    }

    private static Optional<String> column(String index, String[] paths) {
        return index.equals("-") ? Optional.empty() : Optional.of(paths[Integer.parseInt(index)]);
    }

    /** The header line of a memo file. */
    String header() {
        return HEADER + "\t" + siteDigest;
    }

    /** One provider's line (without the line end), from its domains' paths in the order of its domains. */
    static String line(String digest, List<SiteRenderer.DocPaths> domains) {
        Map<String, Integer> index = new java.util.LinkedHashMap<>();
        StringBuilder perDomain = new StringBuilder();
        for (SiteRenderer.DocPaths d : domains) {
            if (perDomain.length() > 0) perDomain.append(' ');
            List<Optional<String>> columns = d.documents();
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) perDomain.append(',');
                Optional<String> path = columns.get(i);
                perDomain.append(path.isEmpty() ? "-" : Integer.toString(index.computeIfAbsent(path.get(), p -> index.size())));
            }
        }
        return digest + "\t" + String.join(" ", index.keySet()) + "\t" + perDomain;
    }
}
