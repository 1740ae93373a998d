package dev.autogen.cli;

import dev.autogen.model.Site;

import java.util.List;

/**
 * Adapter to the config work's lints ({@code dev.autogen.config.Lints.check(Site)}), kept in one place so the CLI
 * compiles before that work is merged. Returns one formatted line per lint.
 */
final class Lint {
    private Lint() {}

    static List<String> of(Site site) {
        return List.of(); // wired to Lints.check once it is merged
    }
}
