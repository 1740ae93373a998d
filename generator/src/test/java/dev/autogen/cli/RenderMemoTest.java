package dev.autogen.cli;

import dev.autogen.render.RenderMemo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The render memo of a compact site (private/render-memo.tsv): a render that takes unchanged providers from the
 * previous version gives exactly the site a render from scratch gives, and anything a provider's documents depend on
 * makes it render again.
 */
class RenderMemoTest {
    @TempDir
    Path tmp;

    private Path yaml;
    private Path out;

    /** samples/example.yaml (three providers, overrides, DAV, LDAP, an IDN) in the compact layout, beside its secrets. */
    private void sample() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("in"));
        Files.createDirectories(dir.resolve("secrets"));
        Files.copy(Path.of("../samples/secrets/ldap-bind-password"), dir.resolve("secrets/ldap-bind-password"));
        yaml = dir.resolve("site.yaml");
        Files.writeString(yaml, "layout: compact\n" + Files.readString(Path.of("../samples/example.yaml")));
        out = tmp.resolve("site");
    }

    private CliRun render(String... more) {
        String[] args = Stream.concat(Stream.of("render", yaml.toString(), "--out", out.toString(), "-v"),
                Stream.of(more)).toArray(String[]::new);
        CliRun run = CliRun.of(args);
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        return run;
    }

    private static void assertReused(CliRun run, int reused) {
        assertTrue(run.err().contains("render memo: the documents of " + reused + " of 3 providers were the current "
                + "version's, not rendered"), run.toString());
    }

    /** Every file of the current version, path to bytes. */
    private Map<String, byte[]> current() throws Exception {
        Path version = out.resolve("current").toRealPath();
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(version)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(version.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        return files;
    }

    private static void assertSameSite(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((path, bytes) -> assertArrayEquals(bytes, actual.get(path), path));
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private void edit(String from, String to) throws Exception {
        String text = Files.readString(yaml);
        assertTrue(text.contains(from), from);
        Files.writeString(yaml, text.replace(from, to));
    }

    @Test
    void unchangedProvidersAreTakenFromThePreviousVersionAndTheSiteIsWhatAFullRenderGives() throws Exception {
        sample();
        assertReused(render(), 0);
        assertTrue(Files.readString(out.resolve("current/private/" + RenderMemo.FILE)).startsWith("#autogen-memo 1\t"));

        // One domain renamed: its provider renders again, the other two are reused.
        edit("      - ham-n-eggs.example\n", "      - ham-and-eggs.example\n");
        assertReused(render(), 2);
        Map<String, byte[]> incremental = current();
        assertTrue(new String(incremental.get("private/domains.tsv")).contains("\nham-and-eggs.example\t"));

        // The same input rendered from nothing: the same files, byte for byte (the memo included).
        deleteTree(out);
        assertReused(render(), 0);
        assertSameSite(incremental, current());

        // A provider's setting (a display name), then a per-domain override: each renders that provider only.
        edit("name: Ham & Eggs Mail", "name: Ham & Eggs Webmail");
        assertReused(render(), 2);
        edit("            hostname: mail.example.org\n", "            hostname: mail2.example.org\n");
        assertReused(render(), 2);
        Map<String, byte[]> twoEdits = current();
        deleteTree(out);
        render();
        assertSameSite(twoEdits, current());
    }

    @Test
    void siteWideInputsRenderEveryProviderAgain() throws Exception {
        sample();
        render();
        // Another template: every document may differ.
        Path templates = Files.createDirectories(tmp.resolve("templates"));
        Files.writeString(templates.resolve("README"), "no overrides, but a different template directory\n");
        assertReused(render("--templates", templates.toString()), 0);
        assertReused(render("--templates", templates.toString(), "--responder-url", "http://127.0.0.1:9000"), 0);
        // PACC settings live outside the providers.
        edit("providers:\n", "pacc:\n  revision: \"02\"\nproviders:\n");
        assertReused(render("--templates", templates.toString(), "--responder-url", "http://127.0.0.1:9000"), 0);
    }
}
