package dev.autogen.cli;

import java.util.List;

/** An expected failure with its exit code and the lines to print (each problem on its own line). */
final class CliException extends Exception {
    private final int exitCode;
    private final List<String> lines;

    CliException(int exitCode, List<String> lines, Throwable cause) {
        super(String.join("\n", lines), cause);
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines);
    }

    CliException(int exitCode, String line, Throwable cause) {
        this(exitCode, List.of(line), cause);
    }

    CliException(int exitCode, String line) {
        this(exitCode, List.of(line), null);
    }

    int exitCode() {
        return exitCode;
    }

    List<String> lines() {
        return lines;
    }
}
