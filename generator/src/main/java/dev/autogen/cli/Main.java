package dev.autogen.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.nio.charset.Charset;

/** The {@code autogen} command: parses the command line and runs one subcommand. */
@Command(name = Main.NAME, scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Mail-client autoconfiguration, pre-rendered.",
        subcommands = {RenderCommand.class, CheckCommand.class, InitDbCommand.class, ImportCommand.class,
                ProbeCommand.class, DnsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    static final String NAME = "autogen";

    static {
        // The SQLite driver (loaded by DriverManager with every other driver) and the probe's HTTP client log through
        // SLF4J, which has no provider here: it printed three "SLF4J(W): No SLF4J providers were found" lines before
        // autogen's own message. Our messages say what went wrong; SLF4J's own diagnostics stay quiet unless they
        // are errors (or the admin sets -Dslf4j.internal.verbosity).
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: render, check, initdb, import, probe or dns");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code, without exiting: tests and other tools call this. */
    public static int run(String... args) {
        Charset charset = Charset.defaultCharset();
        return run(new PrintWriter(new java.io.OutputStreamWriter(System.out, charset), true),
                new PrintWriter(new java.io.OutputStreamWriter(System.err, charset), true), args);
    }

    /** Same, writing requested output to {@code out} and messages to {@code err}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Main())
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(usageError())
                .setExecutionExceptionHandler(internalError());
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** A usage error: the message and where to read more, not the whole usage text. */
    private static IParameterExceptionHandler usageError() {
        return (ParameterException e, String[] args) -> {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println(NAME + ": " + e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return ExitCodes.USAGE;
        };
    }

    /** An exception no command expected: a bug. One line, the stack trace only with --verbose. */
    private static IExecutionExceptionHandler internalError() {
        return (Exception e, CommandLine cmd, ParseResult parsed) -> {
            PrintWriter err = cmd.getErr();
            // The exception's class name means nothing to an admin; the stack trace (with --verbose) has it for us.
            String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
            err.println(NAME + ": internal error" + message);
            if (verbose(parsed)) {
                e.printStackTrace(err);
            } else {
                err.println(NAME + ": run with --verbose for the stack trace, and please report it");
            }
            err.flush();
            return ExitCodes.INTERNAL;
        };
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** The version from the jar's manifest (set by Maven), "development" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {NAME + " " + (version != null ? version : "(development build)"),
                    "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")};
        }
    }
}
