package dev.autogen.config;

import dev.autogen.model.Site;

import java.nio.file.Path;

/** Reads a site description from a YAML file. (Owned by the config work: stub until implemented.) */
public final class YamlSource {
    private YamlSource() {}

    /**
     * Parses and validates {@code file}. All problems are collected and reported together.
     *
     * @throws ConfigException with every problem found (file, line, column, what is expected)
     * @throws java.io.IOException when the file cannot be read
     */
    public static Site load(Path file) throws ConfigException, java.io.IOException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
