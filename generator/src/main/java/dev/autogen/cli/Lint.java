package dev.autogen.cli;

import dev.autogen.config.Lints;
import dev.autogen.config.SourceLocations;
import dev.autogen.model.Site;

import java.util.List;

/**
 * The lints of a site as {@code check} and {@code render} print them: one line each, {@code <where>: warning: ...}
 * with where the source defined the subject ({@code site.yaml:12:9}, {@code table server id 7}), else
 * {@code warning: ...}.
 */
final class Lint {
    private Lint() {}

    static List<String> of(Site site) {
        return of(site, new SourceLocations());
    }

    static List<String> of(Site site, SourceLocations locations) {
        return Lints.warnings(site).stream()
                .map(w -> locations.of(w.subject()).map(at -> at + ": ").orElse("") + "warning: " + w.message())
                .toList();
    }
}
