import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Build-time tool: writes the man pages autogen(1) and autogen-responder(8) and the bash/zsh completion scripts for
 * both commands from their picocli command models, so they never drift from the real options.
 *
 * <p>Run as a single-file source program (no compile step in the dist module):
 * {@code java -cp generator/target/autogen.jar:responder/target/autogen-responder.jar dist/src/build/ManPages.java
 * OUT-DIR VERSION}.
 *
 * <p>Why not picocli-codegen's ManPageGenerator: it writes AsciiDoc, which needs Asciidoctor (JRuby) to become the
 * troff that man(1) reads. The troff subset needed here (NAME, SYNOPSIS, DESCRIPTION, OPTIONS, one section per
 * subcommand, EXIT STATUS) is a few dozen lines over picocli's own model.
 */
public final class ManPages {
    private static final String MAIN_CLASS = "dev.autogen.cli.Main";
    private static final String RESPONDER_CLASS = "dev.autogen.responder.Main";

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ManPages OUT-DIR VERSION");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        String version = args[1];
        CommandLine autogen = autogenCommandLine();

        Path man = Files.createDirectories(out.resolve("man"));
        Files.writeString(man.resolve("autogen.1"), manPage(autogen.getCommandSpec(), version), StandardCharsets.UTF_8);

        Path completion = Files.createDirectories(out.resolve("completion"));
        Files.writeString(completion.resolve("autogen"), AutoComplete.bash("autogen", autogen), StandardCharsets.UTF_8);
        System.out.println("ManPages: wrote " + man.resolve("autogen.1") + " and " + completion.resolve("autogen"));

        CommandLine responder = new CommandLine(Class.forName(RESPONDER_CLASS));
        Files.writeString(man.resolve("autogen-responder.8"), responderManPage(responder.getCommandSpec(), version),
                StandardCharsets.UTF_8);
        Files.writeString(completion.resolve("autogen-responder"), AutoComplete.bash("autogen-responder", responder),
                StandardCharsets.UTF_8);
        System.out.println("ManPages: wrote " + man.resolve("autogen-responder.8") + " and "
                + completion.resolve("autogen-responder"));
    }

    /** autogen-responder(8): options and exit status from the model, the operating context written here. */
    static String responderManPage(CommandSpec spec, String version) {
        StringBuilder t = new StringBuilder();
        t.append(".\\\" Generated from the picocli command model by dist/src/build/ManPages.java. Do not edit.\n");
        t.append(".TH AUTOGEN-RESPONDER 8 \"\" \"autogen ").append(text(version)).append("\" \"System Administration\"\n");
        t.append(".SH NAME\nautogen-responder \\- answer mail client autoconfiguration requests from a pre-rendered site\n");
        t.append(".SH SYNOPSIS\n.nf\n").append(text(synopsis(spec))).append("\n.fi\n");
        t.append(".SH DESCRIPTION\n");
        paragraphs(t, spec.usageMessage().description());
        t.append(".PP\nStatic files (the public autoconfig documents and address-less profiles) can be served by any web"
                + " server or CDN from the site's\n.I public/\ndirectory; the responder only needs the requests the"
                + " rendered web-server configuration forwards to it.\n");
        t.append(".PP\n.B GET /health\nanswers a JSON status with the version served and the version\n.I current\nnames"
                + " (HTTP 503 and \\(dqdegraded\\(dq with the reason while they differ);\n.B GET /metrics\nthe Prometheus"
                + " text format (request counts and durations per route, LDAP, site reloads, JVM).\n");
        options(t, spec);
        t.append(".SH EXIT STATUS\n");
        for (String line : spec.usageMessage().exitCodeList().keySet()) {
            t.append(".TP\n.B ").append(text(line.strip())).append('\n')
                    .append(text(spec.usageMessage().exitCodeList().get(line))).append('\n');
        }
        t.append(".SH ENVIRONMENT\n");
        t.append(".TP\n.B JAVA_HOME\nThe Java runtime to use (17 or later); otherwise\n.B java\nfrom\n.BR PATH .\n");
        t.append(".TP\n.B JAVA_OPTS\nOptions for the JVM, separated by spaces. Without\n.BR -Xmx ,\nthe heap is sized from the site (at least 256 MB; see docs/responder.md).\n");
        t.append(".SH FILES\n");
        t.append(".TP\n.I /etc/autogen/responder.properties\nThe settings (Debian package).\n");
        t.append(".TP\n.I /var/lib/autogen/site\nThe rendered site.\n");
        t.append(".TP\n.I /var/lib/autogen/site/current/private/signing/PROVIDER.pem\nThe key and certificates that"
                + " sign a provider's per-user Apple profiles, when its YAML has\n.BR signing ;\nread at site load (a key"
                + " that does not match its certificate refuses the version).\n");
        t.append(".TP\n.I /lib/systemd/system/autogen-responder.service\nThe service unit: runs as the unprivileged\n"
                + ".B autogen\nuser in a systemd sandbox.\n");
        t.append(".SH SEE ALSO\n.BR autogen (1),\n.BR systemd.exec (5)\n");
        return t.toString();
    }

    /** The real {@code autogen} command when Main is a picocli command; else its subcommands, found one by one. */
    private static CommandLine autogenCommandLine() throws ClassNotFoundException {
        Class<?> main = Class.forName(MAIN_CLASS);
        if (main.isAnnotationPresent(CommandLine.Command.class)) {
            return new CommandLine(main);
        }
        // Early skeleton: Main does not declare its subcommands yet. Document the ones that exist.
        System.err.println("ManPages: WARNING: " + MAIN_CLASS + " is not a @Command; documenting known subcommands only");
        CommandSpec spec = CommandSpec.create().name("autogen");
        spec.usageMessage().description("Pre-renders mail-client autoconfiguration documents.");
        CommandLine commandLine = new CommandLine(spec);
        for (String simpleName : List.of("RenderCommand", "CheckCommand", "ProbeCommand", "ImportCommand", "InitDbCommand")) {
            String className = "dev.autogen.cli." + simpleName;
            try {
                commandLine.addSubcommand(new CommandLine(Class.forName(className)));
            } catch (ClassNotFoundException | CommandLine.InitializationException absent) {
                // not written yet
            }
        }
        return commandLine;
    }

    static String manPage(CommandSpec spec, String version) {
        StringBuilder t = new StringBuilder();
        t.append(".\\\" Generated from the picocli command model by dist/src/build/ManPages.java. Do not edit.\n");
        t.append(".TH AUTOGEN 1 \"\" \"autogen ").append(text(version)).append("\" \"User Commands\"\n");
        t.append(".SH NAME\nautogen \\- ").append(text(firstLine(spec))).append('\n');
        t.append(".SH SYNOPSIS\n.B autogen\n.RI [ OPTIONS ]\n.I COMMAND\n.RI [ ARGS ]\n");
        t.append(".SH DESCRIPTION\n");
        paragraphs(t, spec.usageMessage().description());
        t.append("The responder that answers per-user requests is described in\n.BR autogen-responder (8).\n");
        options(t, spec);

        Map<String, CommandLine> subcommands = spec.subcommands();
        if (!subcommands.isEmpty()) {
            t.append(".SH COMMANDS\n");
            commands(t, "autogen", subcommands);
        }
        t.append(".SH EXIT STATUS\n");
        for (String[] status : new String[][] {
                {"0", "Done; for check: no errors and no warnings; for probe: every client would accept the deployment."},
                {"1", "An internal error (a bug: please report it with the stack trace printed by --verbose)."},
                {"2", "The command line is wrong."},
                {"3", "The input is invalid. Nothing was written."},
                {"4", "The input could not be read (file missing, database unreachable)."},
                {"5", "The site could not be written. The previous site is still complete and served."},
                {"6", "check found warnings but no errors; render --strict found warnings and wrote nothing."},
                {"7", "probe found a deployment that some client would not accept."},
                {"8", "probe could not connect to the deployment (or the proxy) at all."},
                {"9", "render published the new site, but --reload-web-server or --post-publish failed."},
                {"10", "dns check: some record is missing from DNS or differs from what the site needs."},
                {"11", "dns check: some query got no usable answer (timeout, SERVFAIL, refused)."}}) {
            t.append(".TP\n.B ").append(status[0]).append('\n').append(text(status[1])).append('\n');
        }
        t.append(".SH FILES\n");
        t.append(".TP\n.I /etc/autogen/autogen.yaml\nThe configuration (Debian package).\n");
        t.append(".TP\n.I /var/lib/autogen/site\nThe rendered site the responder serves (Debian package).\n");
        t.append(".TP\n.I /usr/share/autogen/samples\nCommented sample configurations.\n");
        t.append(".SH SEE ALSO\n.BR autogen-responder (8)\n");
        return t.toString();
    }

    /** Each command, and each command's own commands (autogen dns records), as a subsection. */
    private static void commands(StringBuilder t, String prefix, Map<String, CommandLine> subcommands) {
        for (Map.Entry<String, CommandLine> entry : subcommands.entrySet()) {
            CommandSpec sub = entry.getValue().getCommandSpec();
            if (!entry.getKey().equals(sub.name()) || sub.usageMessage().hidden()
                    || (sub.name().equals("help") && !prefix.equals("autogen"))) {
                continue; // an alias, hidden, or help inside a command
            }
            String name = prefix + " " + sub.name();
            t.append(".SS \"").append(text(name)).append("\"\n");
            t.append(".nf\n").append(text(synopsis(sub))).append("\n.fi\n");
            paragraphs(t, sub.usageMessage().description());
            for (PositionalParamSpec positional : sub.positionalParameters()) {
                if (positional.hidden()) {
                    continue;
                }
                t.append(".TP\n.I ").append(text(positional.paramLabel())).append('\n');
                t.append(text(String.join(" ", positional.description()))).append('\n');
            }
            for (OptionSpec option : sub.options()) {
                option(t, option);
            }
            if (!sub.subcommands().isEmpty()) {
                commands(t, name, sub.subcommands());
            }
        }
    }

    private static void options(StringBuilder t, CommandSpec spec) {
        if (spec.options().isEmpty()) {
            return;
        }
        t.append(".SH OPTIONS\n");
        for (OptionSpec option : spec.options()) {
            option(t, option);
        }
    }

    private static void option(StringBuilder t, OptionSpec option) {
        if (option.hidden()) {
            return;
        }
        t.append(".TP\n\\fB").append(text(String.join(", ", option.names()))).append("\\fR");
        if (option.arity().max() > 0) {
            t.append(" \\fI").append(text(option.paramLabel())).append("\\fR");
        }
        t.append('\n').append(text(String.join(" ", option.description()))).append('\n');
    }

    private static String synopsis(CommandSpec spec) {
        // picocli's own one-line synopsis, e.g. "autogen probe [--json] --email=ADDRESS URL".
        String synopsis = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
                .synopsis(0);
        return synopsis.strip();
    }

    private static void paragraphs(StringBuilder t, String[] lines) {
        for (String line : lines) {
            t.append(".PP\n").append(text(line)).append('\n');
        }
    }

    private static String firstLine(CommandSpec spec) {
        String[] description = spec.usageMessage().description();
        return description.length == 0 ? "mail client autoconfiguration, pre-rendered" : description[0];
    }

    /** Escapes text for troff: backslashes, hyphens (so they stay ASCII), and control characters at line start. */
    static String text(String s) {
        String escaped = s.replace("%n", "\n").replace("\\", "\\e").replace("-", "\\-");
        StringBuilder b = new StringBuilder();
        for (String line : escaped.split("\n", -1)) {
            if (b.length() > 0) {
                b.append('\n');
            }
            if (line.startsWith(".") || line.startsWith("'")) {
                b.append("\\&");
            }
            b.append(line);
        }
        return b.toString();
    }
}
