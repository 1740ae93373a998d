package dev.autogen.render;

import dev.autogen.cli.Main;
import dev.autogen.probe.AutoconfigRules;
import dev.autogen.probe.ClientVerdict;
import dev.autogen.probe.ProfileRules;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The samples are what a newcomer copies first, so each must be clean: {@code autogen check} exits 0, {@code render
 * --strict} publishes it, and every static document rendered from it is accepted by every client's rules (K-9's
 * test rules and the probe's Thunderbird, K-9 and Apple rules). The documents the responder fills in are checked for
 * every domain of every sample by the responder's ProbeEndToEndTest.
 */
class SamplesCleanTest {
    private static final Path SAMPLES = Path.of("..", "samples");

    @TempDir
    static Path work;

    @TestFactory
    Stream<DynamicTest> everySampleIsClean() throws IOException {
        List<Path> samples;
        try (Stream<Path> files = Files.list(SAMPLES)) {
            samples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(samples.size() >= 2, "samples found: " + samples);
        return samples.stream().map(sample -> DynamicTest.dynamicTest(sample.getFileName().toString(),
                () -> checkSample(sample)));
    }

    private static void checkSample(Path sample) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "check", sample.toString());
        assertEquals(0, code, "autogen check " + sample + ":\n" + out + err);
        assertTrue(out.toString().endsWith("no problems\n"), out.toString());
        // Notes (what the PACC document leaves out, a hoster's DNS names) are fine; warnings are not.
        assertFalse(out.toString().contains("warning: "), out.toString());

        Path site = work.resolve(sample.getFileName().toString());
        err = new StringWriter();
        code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "render", sample.toString(), "--out", site.toString(), "--strict", "--quiet");
        assertEquals(0, code, "autogen render --strict " + sample + ":\n" + err);
        assertEquals("", err.toString(), "a clean render prints nothing with --quiet");

        Path pub = site.resolve("current/public");
        List<String> domains;
        try (Stream<Path> dirs = Files.list(pub)) {
            domains = dirs.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertFalse(domains.isEmpty());
        List<String> problems = new ArrayList<>();
        for (String domain : domains) {
            String address = "jane@" + domain;
            for (String path : List.of("mail/config-v1.1.xml", ".well-known/autoconfig/mail/config-v1.1.xml")) {
                byte[] doc = Files.readAllBytes(pub.resolve(domain).resolve(path));
                String source = domain + "/" + path;
                K9Rules.violations(doc).forEach(v -> problems.add(source + ": K-9 (test rules): " + v));
                collect(problems, AutoconfigRules.k9(source, doc, address));
                collect(problems, AutoconfigRules.thunderbird(source, doc, "text/xml; charset=utf-8", address));
            }
            byte[] profile = Files.readAllBytes(pub.resolve(domain).resolve(domain + ".mobileconfig"));
            collect(problems, ProfileRules.apple(domain + ".mobileconfig", profile,
                    "application/x-apple-aspen-config", null));
        }
        assertEquals(List.of(), problems, sample + ": documents some client rejects");
    }

    private static void collect(List<String> problems, ClientVerdict verdict) {
        verdict.problems().forEach(p -> problems.add(verdict.source() + ": " + verdict.client() + ": " + p));
    }
}
