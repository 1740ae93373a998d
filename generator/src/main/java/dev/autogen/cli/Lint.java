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
        return lines(Lints.pacc(site), "note: ", locations);
    }

    private static List<String> lines(List<Lints.Warning> found, String kind, SourceLocations locations) {
        return found.stream()
                .map(w -> locations.of(w.subject()).map(at -> at + ": ").orElse("") + kind + w.message())
                .toList();
    }
}
