package dev.autogen.config;

import dev.autogen.model.Domain;
import dev.autogen.model.Site;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader walks the top level, the providers list and each domains list by events ({@link NodeStream}); it must
 * give the same site and the same messages as reading snakeyaml's whole node tree, whatever the order of the keys.
 */
class StreamedReadTest {
    @TempDir
    Path tmp;

    private Path write(String yaml) throws IOException {
        return Files.writeString(tmp.resolve("site.yaml"), yaml, StandardCharsets.UTF_8);
    }

    /** Reads {@code file} the way the reader did before streaming: snakeyaml's composer, one node tree. */
    private static Site composed(Path file) throws ConfigException {
        Node root = new Yaml(YamlSource.loaderOptions()).compose(new StringReader(read(file)));
        return new SiteReader(file.toString(), file.toAbsolutePath().getParent(), Map.of()).read(root);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same file, read streamed and as one composed tree. */
    private Site bothWays(String yaml) throws Exception {
        Path file = write(yaml);
        Site streamed = YamlSource.load(file, Map.of());
        assertEquals(composed(file), streamed);
        return streamed;
    }

    private List<String> problemsBothWays(String yaml) throws Exception {
        Path file = write(yaml);
        List<String> streamed = assertThrows(ConfigException.class, () -> YamlSource.load(file, Map.of())).problems();
        List<String> composed = assertThrows(ConfigException.class, () -> composed(file)).problems();
        assertEquals(composed, streamed);
        return streamed;
    }

    private static final String SERVERS = """
                servers: &servers
                  - {type: imap, hostname: imap.example.com}
                  - {type: smtp, hostname: smtp.example.com}
            """;

    @Test
    void directoriesAfterTheProvidersAreKnownToThem() throws Exception {
        Site site = bothWays("""
                providers:
                  - name: One
                    ldap: corp
                """ + SERVERS + """
                    domains:
                      - one.example
                      - {name: two.example, ldap: other}
                  - name: Two
                    servers: *servers
                    domains: [three.example]
                directories:
                  corp: {url: ldaps://ldap.example.com, base: 'dc=example'}
                  other: {url: ldaps://ldap2.example.com, base: 'dc=example'}
                """);
        List<Domain> domains = site.providers().get(0).domains();
        assertEquals(Optional.of("corp"), domains.get(0).directory());
        assertEquals(Optional.of("other"), domains.get(1).directory());
        assertEquals(site.providers().get(0).domains().get(0).servers(),
                site.providers().get(1).domains().get(0).servers(), "the alias across providers");
    }

    @Test
    void anUnknownDirectoryIsReportedWhereItIsUsedWhereverDirectoriesAre() throws Exception {
        List<String> problems = problemsBothWays("""
                providers:
                  - name: One
                """ + SERVERS + """
                    domains:
                      - {name: two.example, ldap: nope}
                      - two.example
                directories:
                  corp: {url: ldaps://ldap.example.com, base: 'dc=example'}
                """);
        assertEquals(2, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).endsWith(":7:35: ldap: unknown directory 'nope'; defined: corp"), problems.get(0));
        assertTrue(problems.get(1).contains(":8:9: domain two.example is listed twice; first at "), problems.get(1));
        assertTrue(problems.get(1).endsWith("site.yaml:7:9"), problems.get(1));
    }

    @Test
    void aLongDomainsListWithOverridesAndTheDefaultProvider() throws Exception {
        StringBuilder yaml = new StringBuilder("providers:\n  - id: hoster.example\n    name: Hoster\n" + SERVERS
                + "    domains:\n      - '*'\n");
        for (int i = 0; i < 5000; i++) {
            yaml.append(i % 100 == 7 ? "      - {name: d" + i + ".example, autodiscoverHost: ad.example}\n"
                    : "      - d" + i + ".example\n");
        }
        yaml.append("  - name: Other\n    servers: *servers\n    domains: [other.example]\n");
        Site site = bothWays(yaml.toString());
        assertEquals(5000, site.providers().get(0).domains().size());
        assertTrue(site.providers().get(0).hosting().orElseThrow().anyDomain());
        assertEquals("ad.example", site.providers().get(0).domains().get(7).autodiscoverHost());
    }

    @Test
    void problemsInAndAroundStreamedListsAreTheSame() throws Exception {
        List<String> problems = problemsBothWays("""
                web: {listen: nope}
                providers:
                  - name: Empty
                    domains: []
                """ + SERVERS + """
                  - name: Bad
                    servers: *servers
                    domains: [bad_host, '*', '*']
                    domains: [again.example]
                  - just a string
                  - name: NoSmtp
                    servers: [{type: imap, hostname: imap.example.com}]
                    domains: [a.example, {name: b.example, servers: [{type: imap, hostname: i.example}]}]
                providers: []
                """);
        assertTrue(problems.size() >= 7, String.join("\n", problems));
    }

    @Test
    void anEmptyProvidersListAndAnEmptyFile() throws Exception {
        List<String> problems = problemsBothWays("providers:\n  []\n");
        assertEquals(1, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).contains("the list is empty"), problems.get(0));
        Path empty = write("# nothing\n");
        assertTrue(assertThrows(ConfigException.class, () -> YamlSource.load(empty, Map.of())).problems().get(0)
                .contains("the file is empty"));
    }

    /**
     * The parser runs a batch of events ahead on a thread of its own ({@link PrefetchingParser}): a syntax error
     * thousands of events into the file is reported where it is, with the line and column snakeyaml gives.
     */
    @Test
    void theParserThreadReportsLateSyntaxErrorsWhereTheyAre() throws Exception {
        StringBuilder yaml = new StringBuilder("providers:\n  - id: big.example\n    name: Big\n" + SERVERS
                + "    domains:\n");
        for (int i = 0; i < 20_000; i++) yaml.append("      - d").append(i).append(".big.example\n");
        Path broken = write(yaml + "      - [unclosed\n");
        List<String> late = assertThrows(ConfigException.class, () -> YamlSource.load(broken, Map.of())).problems();
        assertEquals(1, late.size(), late.toString());
        assertTrue(late.get(0).endsWith("site.yaml:20009:1: YAML syntax error: expected ',' or ']', but got <stream end> (while parsing a flow sequence)"), late.get(0));
    }
}
