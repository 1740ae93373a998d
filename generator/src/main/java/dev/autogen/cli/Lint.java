package dev.autogen.cli;

import dev.autogen.config.Lints;
import dev.autogen.model.Site;

import java.util.List;

/** The lints of a site as {@code check} prints them, PACC's included: one {@code warning: ...} line each. */
final class Lint {
    private Lint() {}

    static List<String> of(Site site) {
        return java.util.stream.Stream.concat(Lints.check(site).stream(), Lints.pacc(site).stream())
                .map(w -> "warning: " + w).toList();
    }
}
