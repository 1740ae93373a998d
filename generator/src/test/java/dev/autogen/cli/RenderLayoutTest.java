package dev.autogen.cli;

import dev.autogen.model.Layout;
import dev.autogen.model.Site;
import dev.autogen.config.YamlSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.autogen.pack.DocPack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code layout: tree|compact} and {@code render --layout}: what is written, validation, the input digest. */
class RenderLayoutTest {
    @TempDir
    Path tmp;

    private Path sample(String name, String prefix) throws Exception {
        Path yaml = tmp.resolve(name);
        Files.writeString(yaml, prefix + Files.readString(Path.of("../samples/" + name)));
        return yaml;
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void compactWritesNothingPerDomainAndSwitchingLayoutRendersAgain() throws Exception {
        Path yaml = sample("hoster.yaml", "layout: compact\n");
        Path out = tmp.resolve("site");
        CliRun compact = CliRun.of("render", yaml.toString(), "--out", out.toString());
        assertEquals(ExitCodes.OK, compact.exitCode(), compact.toString());
        Path current = out.resolve("current");
        assertFalse(Files.exists(current.resolve("public")) && !files(current.resolve("public")).isEmpty(),
                "no public files");
        assertFalse(Files.exists(current.resolve("conf/dns")), "no DNS zone files");
        List<String> lines = Files.readAllLines(current.resolve("private/domains.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split("\t", -1);
            assertEquals(11, c.length, line);
            assertTrue(DocPack.text(current.resolve("private"), c[9]).contains("{{domain}}"), c[9]);
            assertTrue(DocPack.text(current.resolve("private"), c[10]).startsWith("<!DOCTYPE html>"), c[10]);
        }
        assertTrue(Files.isRegularFile(current.resolve("private/setup-page.csp")));
        Path compactVersion = current.toRealPath();

        // The command line overrides the file, and the digest covers it: the tree is rendered, not skipped.
        CliRun tree = CliRun.of("render", yaml.toString(), "--out", out.toString(), "--layout", "tree");
        assertEquals(ExitCodes.OK, tree.exitCode(), tree.toString());
        assertNotEquals(compactVersion, current.toRealPath());
        assertTrue(files(current.resolve("public")).stream().anyMatch(f -> f.endsWith("/index.html")));
        assertFalse(files(current.resolve("conf/dns")).isEmpty());

        // And the key in the file: changing it renders again too.
        Files.writeString(yaml, Files.readString(yaml).replace("layout: compact", "layout: tree"));
        CliRun edited = CliRun.of("render", yaml.toString(), "--out", out.toString(), "-v");
        assertTrue(edited.err().contains("rendering: the inputs differ"), edited.toString());
    }

    @Test
    void badLayoutsAreErrorsWithTheirPlace() throws Exception {
        Path yaml = sample("minimal.yaml", "layout: flat\n");
        CliRun check = CliRun.of("check", yaml.toString());
        assertEquals(ExitCodes.INVALID_INPUT, check.exitCode(), check.toString());
        assertTrue(check.out().contains(yaml + ":1:9: layout: 'flat' is not a layout; allowed: tree, compact"),
                check.toString());
        CliRun option = CliRun.of("render", sample("hoster.yaml", "").toString(), "--out", tmp.resolve("o").toString(),
                "--layout", "flat");
        assertEquals(ExitCodes.USAGE, option.exitCode(), option.toString());
        assertTrue(option.err().contains("--layout must be tree or compact, got 'flat'"), option.toString());

        Path ok = tmp.resolve("ok.yaml");
        Files.writeString(ok, "layout: compact\n" + Files.readString(Path.of("../samples/minimal.yaml")));
        CliRun accepted = CliRun.of("check", ok.toString());
        assertEquals(ExitCodes.OK, accepted.exitCode(), accepted.toString());
        assertEquals(Layout.COMPACT, YamlSource.load(ok, Map.of()).layout());
    }

    @Test
    void largeTreeSitesGetANote() throws Exception {
        Site site = YamlSource.load(sample("minimal.yaml", ""), Map.of());
        assertTrue(Lint.layoutNote(site).isEmpty());
        var provider = site.providers().get(0);
        var template = provider.domains().get(0);
        List<dev.autogen.model.Domain> many = new java.util.ArrayList<>();
        for (int i = 0; i <= Lint.TREE_LAYOUT_NOTE_DOMAINS; i++) {
            String name = "d" + i + ".example";
            many.add(new dev.autogen.model.Domain(name, template.servers(), template.davServers(), template.oauth2(),
                    template.activeSyncUrl(), "autodiscover." + name, template.directory()));
        }
        Site big = new Site(List.of(new dev.autogen.model.Provider(provider.id(), provider.name(),
                provider.shortName(), provider.documentation(), many)), List.of());
        assertEquals("note: 100,001 domains in the tree layout: every domain costs about 10 files and directories per "
                + "version; 'layout: compact' (or render --layout compact) writes nothing per domain and lets the "
                + "responder answer everything (docs/scaling.md)", Lint.layoutNote(big).orElseThrow());
        assertTrue(Lint.layoutNote(big.withLayout(Layout.COMPACT)).isEmpty());
        assertEquals(1, DiskSpace.documentSets(big), "one set of settings");
    }
}
