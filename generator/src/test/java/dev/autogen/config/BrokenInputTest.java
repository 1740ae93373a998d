package dev.autogen.config;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fixture under src/test/resources/config is broken on purpose and ends with lines
 * {@code # expect: LINE:COL: message start} (FILE stands for the fixture's path): exactly those problems, in that order, must be reported, in one run.
 */
class BrokenInputTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "config");
    private static final String EXPECT = "# expect: ";

    @TestFactory
    Stream<DynamicTest> eachFixtureReportsExactlyItsExpectedProblems() throws IOException {
        List<Path> fixtures;
        try (Stream<Path> files = Files.list(FIXTURES)) {
            fixtures = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(fixtures.size() >= 10, "fixtures found: " + fixtures);
        return fixtures.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path fixture) throws IOException {
        List<String> expected = Files.readAllLines(fixture, StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith(EXPECT))
                .map(l -> fixture + ":" + l.substring(EXPECT.length()).replace("FILE", fixture.toString()))
                .toList();
        assertTrue(!expected.isEmpty(), fixture + " has no '# expect:' lines");
        ConfigException e = assertThrows(ConfigException.class, () -> YamlSource.load(fixture, Map.of()));
        List<String> actual = e.problems();
        String both = "\nexpected:\n" + String.join("\n", expected) + "\nactual:\n" + String.join("\n", actual);
        assertEquals(expected.size(), actual.size(), "number of problems" + both);
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(actual.get(i).startsWith(expected.get(i)), "problem " + (i + 1) + both);
        }
    }
}
