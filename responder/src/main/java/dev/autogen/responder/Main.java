package dev.autogen.responder;

import dev.autogen.text.IoErrors;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The {@code autogen-responder} command: parse settings, load the site, serve. */
public final class Main {

    static final String USAGE = """
            Usage: java -jar autogen-responder.jar --site DIR [options]

            Answers mail clients' autoconfiguration requests from a site rendered by `autogen render`.

              --site DIR          the --out directory of `autogen render` (the one holding `current`)
              --listen HOST:PORT  address to listen on (default 127.0.0.1:4243)
              --proxy-count N     trusted reverse proxies in front; the client address for the log is the
                                  N-th X-Forwarded-For entry from the right (default 0: the peer address)
              --config FILE       read settings from a Java properties file: site, listen, proxyCount,
                                  logAddresses, accessLog; command-line options win
              --log-addresses     log full email addresses (default: only the domain)
              --no-access-log     do not write one line per request to standard output
              --check             load the site, report what would be served, and exit (3 if invalid)
              -h, --help          show this help

            Exit codes: 0 stopped normally, 2 bad usage or settings, 3 the site could not be loaded.
            """;

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

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) System.exit(code);
    }

    /** Starts the server and blocks until it stops; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Settings settings;
        try {
            settings = parse(args);
        } catch (UsageException e) {
            err.println("autogen-responder: " + e.getMessage());
            err.println("Try --help.");
            return 2;
        }
        if (settings == null) {
            out.print(USAGE);
            return 0;
        }
        try {
            if (settings.check()) {
                long start = System.nanoTime();
                SiteWatcher watcher = new SiteWatcher(settings.site(), new Metrics());
                Site site = watcher.loadInitial();
                out.println("site " + site.version() + ": " + site.domains().size() + " domains, "
                        + site.directories().size() + " LDAP directories, loaded in " + (System.nanoTime() - start) / 1_000_000 + " ms");
                watcher.close();
                return 0;
            }
            Server server = start(settings);
            server.join();
            return 0;
        } catch (SiteLoader.InvalidSiteException e) {
            err.println("autogen-responder: cannot load site: " + e.getMessage());
            return 3;
        } catch (Exception e) {
            err.println("autogen-responder: cannot start: " + IoErrors.describe(e));
            return 2;
        }
    }

    /** Returns null for --help. */
    static Settings parse(String[] args) throws UsageException {
        Properties p = new Properties();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> { return null; }
                case "--site" -> p.setProperty("site", value(args, ++i, a));
                case "--listen" -> p.setProperty("listen", value(args, ++i, a));
                case "--proxy-count" -> p.setProperty("proxyCount", value(args, ++i, a));
                case "--log-addresses" -> p.setProperty("logAddresses", "true");
                case "--no-access-log" -> p.setProperty("accessLog", "false");
                case "--check" -> p.setProperty("check", "true");
                case "--config" -> {
                    Path file = Path.of(value(args, ++i, a));
                    Properties f = new Properties();
                    try (InputStream in = Files.newInputStream(file)) {
                        f.load(in);
                    } catch (IOException | IllegalArgumentException e) {
                        throw new UsageException("cannot read config file " + file + ": " + IoErrors.reason(e));
                    }
                    for (String k : f.stringPropertyNames()) {
                        if (!java.util.Set.of("site", "listen", "proxyCount", "logAddresses", "accessLog").contains(k)) {
                            throw new UsageException(file + ": unknown key '" + k + "'");
                        }
                        p.putIfAbsent(k, f.getProperty(k).trim());
                    }
                }
                default -> throw new UsageException("unknown option '" + a + "'");
            }
        }
        // Command-line values were set first and putIfAbsent kept them; a later --site still overrides a file.
        String site = p.getProperty("site");
        if (site == null) throw new UsageException("--site DIR is required");
        String listen = p.getProperty("listen", "127.0.0.1:4243");
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) throw new UsageException("--listen wants HOST:PORT, got '" + listen + "'");
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new Settings(Path.of(site), host, number(listen.substring(colon + 1), "port", 0, 65535),
                number(p.getProperty("proxyCount", "0"), "proxy count", 0, 16),
                bool(p.getProperty("logAddresses", "false"), "logAddresses"), bool(p.getProperty("accessLog", "true"), "accessLog"),
                p.getProperty("check") != null);
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) throw new UsageException(option + " needs a value");
        return args[i];
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
            throw new SiteLoader.InvalidSiteException(settings.site().resolve("current") + ": cannot resolve (" + IoErrors.reason(e) + ")");
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
                + " domains, loaded in " + (System.nanoTime() - loadStart) / 1_000_000 + " ms) on " + settings.host() + ":" + connector.getLocalPort());
        return server;
    }
}
