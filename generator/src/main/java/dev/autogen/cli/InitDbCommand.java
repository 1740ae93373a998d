package dev.autogen.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code autogen initdb}. (Stub until implemented.) */
@Command(name = "initdb", description = "Not implemented yet.")
public final class InitDbCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
