package dev.autogen.cli;

import dev.autogen.config.SourceLocations;
import dev.autogen.model.Site;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code autogen check}: validates a site description and prints its problems and lints, writing nothing.
 * The diagnostics are what was asked for, so they go to stdout; only "cannot read the input" goes to stderr.
 */
@Command(name = "check", sortOptions = false,
        description = "Validate a site description and print errors and warnings (lints). Writes nothing.",
        footer = {"", "Exit status: 0 no problems, 6 warnings only, 3 errors, 4 input unreadable, 2 usage."})
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions source;

    @Option(names = {"-q", "--quiet"}, description = "Print only errors and warnings, no summary line.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces of internal errors.")
    boolean verbose;

    @Override
    public Integer call() {
        source.validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> skipped = new ArrayList<>();
        SourceLocations locations = new SourceLocations();
        Site site;
        try {
            site = source.load(skipped::add, locations);
        } catch (CliException e) {
            PrintWriter to = e.exitCode() == ExitCodes.INVALID_INPUT ? out : err;
            e.lines().forEach(line -> to.println((to == err ? Main.NAME + ": " : "") + line));
            if (e.exitCode() == ExitCodes.INVALID_INPUT && !quiet) {
                out.println(source.describe() + ": " + count(e.lines().size(), "error") + ", nothing rendered");
            }
            out.flush();
            err.flush();
            return e.exitCode();
        }
        List<String> warnings = new ArrayList<>();
        skipped.forEach(w -> warnings.add("warning: " + w));
        warnings.addAll(Lint.of(site, locations));
        warnings.forEach(out::println);
        if (!quiet) {
            Lint.notes(site, locations).forEach(out::println);
            HostingNotes.of(site).forEach(out::println);
        }
        if (!quiet) {
            out.println(source.describe() + ": " + count(site.providers().size(), "provider") + ", "
                    + count(site.domains().size(), "domain") + ", "
                    + (warnings.isEmpty() ? "no problems" : count(warnings.size(), "warning")));
        }
        out.flush();
        return warnings.isEmpty() ? ExitCodes.OK : ExitCodes.WARNINGS;
    }

    private static String count(int n, String noun) {
        return String.format(Locale.ROOT, "%d %s%s", n, noun, n == 1 ? "" : "s");
    }
}
