package dev.autogen.config;

import dev.autogen.model.Site;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a site description from a YAML file (format: docs/yaml-reference.md).
 *
 * <p>The file is parsed into snakeyaml's node tree only (never into Java objects: no tag can make the parser
 * construct a class), so every value keeps its line and column for error messages. {@link SiteReader} then converts
 * the nodes into the model by hand, collecting every problem before giving up.
 */
public final class YamlSource {
    /**
     * Room for a few hundred thousand domains (a 100k-domain hosting site in the compact form is ~5 MB, written out
     * per domain ~40 MB), while a runaway or wrong file (a log, a dump) still fails fast instead of filling memory.
     */
    static final int MAX_CODE_POINTS = 128 * 1024 * 1024;
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
        byte[] bytes = Files.readAllBytes(file);
        String name = file.toString();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of(name + ":1:1: the file is not valid UTF-8"));
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Node root;
        try {
            root = new Yaml(loaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            throw new ConfigException(List.of(syntaxError(name, e)));
        } catch (YAMLException e) {
            throw new ConfigException(List.of(name + ":1:1: " + e.getMessage()));
        }
        Path baseDirectory = file.toAbsolutePath().getParent();
        return new SiteReader(name, baseDirectory, environment, locations).read(root);
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
