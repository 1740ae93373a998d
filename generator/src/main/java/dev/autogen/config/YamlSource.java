package dev.autogen.config;

import dev.autogen.model.Site;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a site description from a YAML file (format: docs/yaml-reference.md).
 *
 * <p>The file is parsed into snakeyaml's nodes only (never into Java objects: no tag can make the parser construct a
 * class), so every value keeps its line and column for error messages. {@link SiteReader} converts the nodes into
 * the model by hand, collecting every problem before giving up; it composes them one provider (and, in a long
 * domains list, one domain) at a time ({@link NodeStream}), so a million domains take no more memory than the model.
 */
public final class YamlSource {
    /**
     * 2 000 000 000 code points, about as far as snakeyaml's int positions go (it counts code points in an int, and
     * must stop well before that wraps): ten million domains at up to 200 bytes each (a hosting site lists a domain
     * in ~30 bytes, the benchmark's providers ~60 per domain, a domain with its own servers ~400), while a runaway
     * or wrong file still fails. The file is streamed, never held whole, so its size costs time, not memory.
     */
    static final int MAX_CODE_POINTS = 2_000_000_000;
    /**
     * Anchors/aliases are allowed for sharing a block, but few: the reader walks aliased collections once per
     * reference, so many nested aliases would be a "billion laughs" expansion.
     */
    static final int MAX_ALIASES = 50;

    private YamlSource() {}

    /**
     * Parses and validates {@code file}. All problems are collected and reported together.
     *
     * @throws ConfigException with every problem found (file, line, column, what is expected)
     * @throws java.io.IOException when the file cannot be read
     */
    public static Site load(Path file) throws ConfigException, java.io.IOException {
        return load(file, System.getenv());
    }

    /** As {@link #load(Path)}, resolving {@code bindPasswordEnv} in {@code environment} (tests pass their own). */
    public static Site load(Path file, Map<String, String> environment) throws ConfigException, IOException {
        return load(file, environment, new SourceLocations());
    }

    /** As {@link #load(Path)}, recording in {@code locations} the file:line:col of each provider, domain, server. */
    public static Site load(Path file, SourceLocations locations) throws ConfigException, IOException {
        return load(file, System.getenv(), locations);
    }

    private static Site load(Path file, Map<String, String> environment, SourceLocations locations)
            throws ConfigException, IOException {
        String name = file.toString();
        // Checked in a pass of its own, so that bad bytes are one clear problem whatever the parser made of them.
        if (!validUtf8(file)) {
            throw new ConfigException(List.of(name + ":1:1: the file is not valid UTF-8"));
        }
        Path baseDirectory = file.toAbsolutePath().getParent();
        // Read as a stream (snakeyaml skips a byte order mark): the file is never held whole, as bytes or text.
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
             NodeStream stream = new NodeStream(new BufferedReader(reader, 1 << 16), loaderOptions())) {
            return new SiteReader(name, baseDirectory, environment, locations).read(stream);
        } catch (MarkedYAMLException e) {
            throw new ConfigException(List.of(syntaxError(name, e)));
        } catch (YAMLException e) {
            if (e.getCause() instanceof IOException io) {
                throw io; // the file changed under the reader, or the disk failed
            }
            throw new ConfigException(List.of(name + ":1:1: " + e.getMessage()));
        }
    }

    private static boolean validUtf8(Path file) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), decoder)) {
            char[] buffer = new char[1 << 16];
            while (reader.read(buffer) >= 0) {
                // decoding is the check
            }
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(20);
        options.setAllowDuplicateKeys(false); // checked again by SiteReader: compose() alone does not enforce it
        options.setMergeOnCompose(false);
        return options;
    }

    private static String syntaxError(String file, MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String where = mark == null ? file + ":1:1" : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
        String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
        String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
        return where + ": YAML syntax error: " + what + context;
    }
}
