package dev.autogen.cli;

/** The {@code autogen} command. (Owned by the CLI work: stub until implemented.) */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code, without exiting: tests and other tools call this. */
    public static int run(String... args) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
