package dev.autogen.cli;

import dev.autogen.config.Lints;
import dev.autogen.config.SourceLocations;
import dev.autogen.model.Site;

import java.util.List;

/**
 * The lints of a site as {@code check} and {@code render} print them: one line each, {@code <where>: warning: ...}
 * with where the source defined the subject ({@code site.yaml:12:9}, {@code table server id 7}), else
 * {@code warning: ...}. What the PACC documents leave out is a {@link #notes note} instead: every other format still
 * describes those servers to every client, so a site with them is correct and {@code check} passes.
 */
final class Lint {
    private Lint() {}

    static List<String> of(Site site) {
        return of(site, new SourceLocations());
    }

    static List<String> of(Site site, SourceLocations locations) {
        return lines(Lints.warnings(site), "warning: ", locations);
    }

    /**
     * What the PACC documents leave out and why, one {@code <where>: note: ...} line each: facts for the admin, not
     * problems (no exit 6 from {@code check}, no refusal from {@code render --strict}); {@code -q} hides them.
     */
    static List<String> notes(Site site, SourceLocations locations) {
        List<String> notes = new java.util.ArrayList<>(lines(Lints.pacc(site), "note: ", locations));
        layoutNote(site).ifPresent(notes::add);
        return notes;
    }

    /** Above this many domains, the tree layout's files per domain are what a render mostly spends its time on. */
    static final int TREE_LAYOUT_NOTE_DOMAINS = 100_000;

    /** A hint to the compact layout for a large site in the tree layout (docs/scaling.md). */
    static java.util.Optional<String> layoutNote(Site site) {
        int domains = site.domains().size();
        if (site.layout() != dev.autogen.model.Layout.TREE || domains <= TREE_LAYOUT_NOTE_DOMAINS) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(String.format(java.util.Locale.ROOT, "note: %,d domains in the tree layout: "
                + "every domain costs about 10 files and directories per version; 'layout: compact' (or render "
                + "--layout compact) writes nothing per domain and lets the responder answer everything "
                + "(docs/scaling.md)", domains));
    }

    private static List<String> lines(List<Lints.Warning> found, String kind, SourceLocations locations) {
        return found.stream()
                .map(w -> locations.of(w.subject()).map(at -> at + ": ").orElse("") + kind + w.message())
                .toList();
    }
}
