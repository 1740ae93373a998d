package dev.autogen.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code autogen import}. (Stub until implemented.) */
@Command(name = "import", description = "Not implemented yet.")
public final class ImportCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
