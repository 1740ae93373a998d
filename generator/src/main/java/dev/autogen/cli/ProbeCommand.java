package dev.autogen.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code autogen probe}. (Stub until implemented.) */
@Command(name = "probe", description = "Not implemented yet.")
public final class ProbeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
