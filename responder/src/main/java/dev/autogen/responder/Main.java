package dev.autogen.responder;

import dev.autogen.text.IoErrors;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code autogen-responder} command (picocli, like {@code autogen}): parse settings, load the site, serve. The
 * man page autogen-responder(8) and the bash completion are generated from this model (dist/src/build/ManPages.java).
 */
@Command(name = Main.NAME, mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        usageHelpAutoWidth = true,
        description = {"Answers mail clients' autoconfiguration requests from a site rendered by `autogen render`.",
                "It serves what needs the user's address: Autodiscover (POST and GET), Autodiscover v2 JSON, per-user"
                + " Apple profiles and autoconfig with or without the emailaddress parameter, filling in the documents"
                + " the generator pre-rendered. It follows the site's `current` link and switches to a new version"
                + " without a restart; an invalid or unreadable new version is refused (the log line names the cause,"
                + " e.g. permission denied) and the previous one keeps serving, while GET /health answers 503"
                + " \"degraded\" with the reason."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped normally; with --check: the site loads",
                "2:bad usage or settings, or the server could not start",
                "3:the site could not be loaded"})
public final class Main implements Callable<Integer> {

    static final String NAME = "autogen-responder";
    static final int OK = 0, USAGE = 2, INVALID_SITE = 3;
    private static final Set<String> CONFIG_KEYS = Set.of("site", "listen", "proxyCount", "logAddresses", "accessLog");

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--site", paramLabel = "DIR",
            description = "The --out directory of `autogen render` (the one holding `current`). Required, here or in --config.")
    String site;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Address to listen on (default 127.0.0.1:4243; [::1]:PORT for IPv6). Keep it on loopback behind"
                    + " the TLS-terminating web server.")
    String listen;

    @Option(names = "--proxy-count", paramLabel = "N",
            description = "Trusted reverse proxies in front: the client address for the access log is the N-th"
                    + " X-Forwarded-For entry from the right (default 0: the peer address).")
    String proxyCount;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Read settings from a Java properties file with the keys site, listen, proxyCount, logAddresses,"
                    + " accessLog; command-line options win; unknown keys are an error.")
    Path config;

    @Option(names = "--log-addresses", description = "Log full email addresses (default: only the domain).")
    boolean logAddresses;

    @Option(names = "--no-access-log", description = "Do not write one line per request to standard output.")
    boolean noAccessLog;

    @Option(names = "--check", description = "Load the site, report what would be served, and exit (3 if it is invalid).")
    boolean check;

    /** Settings after merging the config file and the command line. */
    record Settings(Path site, String host, int port, int proxyCount, boolean logAddresses, boolean accessLog,
                    boolean check) {
        Settings(Path site, String host, int port, int proxyCount, boolean logAddresses, boolean accessLog) {
            this(site, host, port, proxyCount, logAddresses, accessLog, false);
        }
    }

    /** Bad command line or config file; the message says what is wrong. */
    static final class UsageException extends Exception {
        UsageException(String message) { super(message); }
    }

    public static void main(String[] args) {
        int code = run(args, new PrintStream(System.out, true), new PrintStream(System.err, true));
        if (code != 0) System.exit(code);
    }

    /** Runs the command line (serving blocks until the server stops); returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(out, true), e = new PrintWriter(err, true);
        CommandLine cl = commandLine().setOut(o).setErr(e);
        int code = cl.execute(args);
        o.flush();
        e.flush();
        return code;
    }

    /** The picocli model with this command's error handling: usage errors are one line and exit 2. */
    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setParameterExceptionHandler((ParameterException ex, String[] args) -> {
                    PrintWriter err = ex.getCommandLine().getErr();
                    err.println(NAME + ": " + ex.getMessage());
                    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
                    err.println("Try '" + NAME + " --help'.");
                    err.flush();
                    return USAGE;
                })
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    cmd.getErr().println(NAME + ": internal error (please report it): " + IoErrors.describe(ex));
                    return 1;
                });
    }

    /** Parses a command line into settings (tests and --check use this); help and version are not handled here. */
    static Settings parse(String... args) throws UsageException {
        CommandLine cl = commandLine();
        try {
            cl.parseArgs(args);
        } catch (ParameterException e) {
            throw new UsageException(e.getMessage());
        }
        return ((Main) cl.getCommand()).settings();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        Settings settings;
        try {
            settings = settings();
        } catch (UsageException e) {
            err.println(NAME + ": " + e.getMessage());
            err.println("Try '" + NAME + " --help'.");
            return USAGE;
        }
        try {
            if (settings.check()) {
                long start = System.nanoTime();
                SiteWatcher watcher = new SiteWatcher(settings.site(), new Metrics());
                Site site;
                try {
                    site = watcher.loadInitial();
                } catch (IOException e) {
                    throw new SiteLoader.InvalidSiteException(settings.site().resolve("current") + ": " + unresolvable(e));
                }
                out.println("site " + site.version() + ": " + site.domains().size() + " domains" + site.hosting().summary() + ", "
                        + site.directories().size() + " LDAP directories, loaded in " + (System.nanoTime() - start) / 1_000_000 + " ms");
                out.flush();
                watcher.close();
                return OK;
            }
            Server server = start(settings);
            server.join();
            return OK;
        } catch (SiteLoader.InvalidSiteException e) {
            err.println(NAME + ": cannot load site: " + e.getMessage());
            return INVALID_SITE;
        } catch (Exception e) {
            err.println(NAME + ": cannot start: " + IoErrors.describe(e));
            return USAGE;
        }
    }

    /** Merges the config file (if any) under the command line and checks every value. */
    Settings settings() throws UsageException {
        Properties p = new Properties();
        if (config != null) {
            try (InputStream in = Files.newInputStream(config)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new UsageException("cannot read config file " + config + ": " + IoErrors.reason(e));
            }
            for (String k : p.stringPropertyNames()) {
                if (!CONFIG_KEYS.contains(k)) throw new UsageException(config + ": unknown key '" + k + "'");
                p.setProperty(k, p.getProperty(k).trim());
            }
        }
        // The command line wins over the file.
        if (site != null) p.setProperty("site", site);
        if (listen != null) p.setProperty("listen", listen);
        if (proxyCount != null) p.setProperty("proxyCount", proxyCount);
        if (logAddresses) p.setProperty("logAddresses", "true");
        if (noAccessLog) p.setProperty("accessLog", "false");
        String dir = p.getProperty("site");
        if (dir == null) throw new UsageException("--site DIR is required");
        String hostPort = p.getProperty("listen", "127.0.0.1:4243");
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) throw new UsageException("--listen wants HOST:PORT, got '" + hostPort + "'");
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new Settings(Path.of(dir), host, number(hostPort.substring(colon + 1), "port", 0, 65535),
                number(p.getProperty("proxyCount", "0"), "proxy count", 0, 16),
                bool(p.getProperty("logAddresses", "false"), "logAddresses"), bool(p.getProperty("accessLog", "true"), "accessLog"),
                check);
    }

    /** Why {@code current} could not be followed, without a Java class name. */
    private static String unresolvable(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "missing (no site rendered there yet?)"
                : "cannot resolve (" + IoErrors.reason(e) + ")";
    }

    private static int number(String s, String what, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) { /* fall through */ }
        throw new UsageException(what + " must be a number from " + min + " to " + max + ", got '" + s + "'");
    }

    private static boolean bool(String s, String what) throws UsageException {
        if (s.equals("true") || s.equals("false")) return Boolean.parseBoolean(s);
        throw new UsageException(what + " must be true or false, got '" + s + "'");
    }

    /** The version from the jar's manifest (set by Maven), "development build" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {NAME + " " + (version != null ? version : "(development build)"),
                    "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")};
        }
    }

    /** Loads the site, starts Jetty and the reload poller; the server's port is known when this returns. */
    static Server start(Settings settings) throws Exception {
        return start(settings, settings.accessLog() ? new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8) : null);
    }

    /** As {@link #start(Settings)}, with the access log going to {@code accessLog} (null: none). */
    static Server start(Settings settings, java.io.Writer accessLog) throws Exception {
        // ICU's IDNA data, needed by the first non-ASCII address or Host, loads on the other core while the site does.
        Thread idna = new Thread(dev.autogen.text.Domains::warmUp, "autogen-idna-warm-up");
        idna.setDaemon(true);
        idna.start();
        Metrics metrics = new Metrics();
        SiteWatcher watcher = new SiteWatcher(settings.site(), metrics);
        Site site;
        long loadStart = System.nanoTime();
        try {
            site = watcher.loadInitial();
        } catch (IOException e) {
            throw new SiteLoader.InvalidSiteException(settings.site().resolve("current") + ": " + unresolvable(e));
        }
        // Loading a big site leaves the old generation full of what the loader threw away; collected now, before the
        // port opens, instead of by a full collection under the first load (a 150-250 ms stall at 100k domains).
        System.gc();
        AccessLog log = new AccessLog(settings.proxyCount(), settings.logAddresses(), accessLog);
        Responder responder = new Responder(site, metrics, log, watcher.status());

        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("autogen-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        http.setRequestHeaderSize(8 * 1024);
        http.setIdleTimeout(10_000);
        http.setMinRequestDataRate(1024); // bytes/s: a client trickling its request is cut off
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(10_000);
        server.addConnector(connector);
        server.setHandler(responder);
        server.setStopAtShutdown(true);
        server.addEventListener(new LifeCycle.Listener() {
            @Override public void lifeCycleStopped(LifeCycle event) { watcher.close(); log.flush(); } // LDAP pools
        });
        server.start();
        watcher.start(responder, log, 1000);
        System.err.println("autogen-responder: serving site " + site.version() + " (" + site.domains().size()
                + " domains" + site.hosting().summary() + ", loaded in " + (System.nanoTime() - loadStart) / 1_000_000 + " ms) on " + settings.host() + ":" + connector.getLocalPort());
        return server;
    }
}
