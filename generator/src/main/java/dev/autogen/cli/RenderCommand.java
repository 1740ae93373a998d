package dev.autogen.cli;

import dev.autogen.config.SourceLocations;
import dev.autogen.model.Site;
import dev.autogen.model.WebSettings;
import dev.autogen.publish.PublishException;
import dev.autogen.publish.PublishResult;
import dev.autogen.publish.Publisher;
import dev.autogen.publish.WrongUserException;
import dev.autogen.render.RenderMemo;
import dev.autogen.render.RenderSettings;
import dev.autogen.render.SiteRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import dev.autogen.text.IoErrors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code autogen render}: reads a site description and publishes the rendered site into OUT atomically. */
@Command(name = "render", sortOptions = false,
        description = {"Render every document of a site into OUT and switch OUT/current to it atomically.",
                "Unchanged files are hard-linked from the previous version; a render that changes nothing "
                        + "touches nothing, and one whose inputs are those of the current version stops before "
                        + "reading them (-v says why)."},
        footer = {"", "Warnings (what autogen check reports) are printed with their place in the input; with --strict "
                + "any warning refuses the render.",
                "", "Exit status: 0 done, 2 usage, 3 invalid input (nothing written), 4 input unreadable, "
                + "5 site not written (previous site intact), 6 warnings with --strict (nothing written), "
                + "9 site published but --reload-web-server or --post-publish failed, 1 internal error."})
public final class RenderCommand implements Callable<Integer> {
    static final String DEFAULT_RESPONDER_URL = "http://127.0.0.1:4243";

    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions source;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "The site directory: holds current -> v-<id> and the version directories.")
    Path out;

    @Option(names = "--templates", paramLabel = "DIR",
            description = "FreeMarker templates overriding the built-in ones, file by file.")
    Path templates;

    @Option(names = "--public-root", paramLabel = "PATH",
            description = "Absolute path the web server serves the public tree from (default: <OUT>/current/public).")
    String publicRoot;

    @Option(names = "--responder-url", paramLabel = "URL", defaultValue = DEFAULT_RESPONDER_URL,
            description = "Where the web server proxies dynamic requests to (default: ${DEFAULT-VALUE}).")
    String responderUrl;

    @Option(names = "--layout", paramLabel = "tree|compact",
            description = "The site's layout; overrides the YAML key 'layout' (default: tree). compact writes nothing "
                    + "per domain: the web-server configs proxy every request to the responder (docs/scaling.md).")
    String layout;

    @Option(names = "--setup-index",
            description = "Also write private/setup-index.html, linking every domain's setup page (not public: it"
                    + " lists every domain).")
    boolean setupIndex;
    @Option(names = "--http-listen", paramLabel = "ADDR", split = ",",
            description = "Plain-HTTP listen addresses of the web-server configs (PORT, IP:PORT, [IPv6]:PORT; "
                    + "repeatable; 'none' for none). Overrides web.http (default: 80 and [::]:80).")
    List<String> httpListen;

    @Option(names = "--https-listen", paramLabel = "ADDR", split = ",",
            description = "HTTPS listen addresses (as --http-listen). Overrides web.https (default: none, no TLS).")
    List<String> httpsListen;

    @Option(names = "--tls-certificate", paramLabel = "PATH",
            description = "Certificate chain for HTTPS; {domain} in the path makes it per domain, e.g. "
                    + "/etc/letsencrypt/live/autoconfig.{domain}/fullchain.pem. Overrides web.certificate.")
    String tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "PATH",
            description = "Its private key (with {domain} when the certificate has it). Overrides web.certificateKey.")
    String tlsKey;

    @Option(names = "--https-redirect", negatable = true, paramLabel = "",
            description = "With HTTPS: plain HTTP answers autoconfig only and redirects the rest (default). "
                    + "Overrides web.redirectToHttps.")
    Boolean httpsRedirect;

    @Option(names = "--access-log", paramLabel = "PATH|off",
            description = "Access log of the web-server configs: a file or 'off'. Overrides web.accessLog "
                    + "(default: the web server's own log).")
    String accessLog;

    @Option(names = "--threads", paramLabel = "N", description = "Rendering threads (default: number of cores).")
    Integer threads;

    @Option(names = "--reload-web-server", paramLabel = "COMMAND",
            description = {"After a render that switched current and changed the web-server config "
                    + "(new or removed host names), run COMMAND with /bin/sh, e.g. "
                    + "'nginx -t -q && systemctl reload nginx'. Its failure: exit 9."})
    String reloadWebServer;

    @Option(names = "--post-publish", paramLabel = "COMMAND",
            description = {"After every render that switched current, run COMMAND with /bin/sh (after "
                    + "--reload-web-server), with AUTOGEN_SITE, AUTOGEN_VERSION, AUTOGEN_PREVIOUS_VERSION and "
                    + "AUTOGEN_WEB_CONFIG_CHANGED (yes/no) set. Its failure: exit 9."})
    String postPublish;

    @Option(names = {"-q", "--quiet"}, description = "Print only errors.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print timings, and stack traces of internal errors.")
    boolean verbose;

    private dev.autogen.model.Layout layoutOption() {
        return dev.autogen.model.Layout.of(layout).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--layout must be tree or compact, got '" + layout + "'"));
    }

    @Override
    public Integer call() throws Exception {
        source.validate();
        if (layout != null) {
            layoutOption();
        }
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (threadCount < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threadCount);
        }
        checkResponderUrl();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return render(err, threadCount);
        } catch (OutOfMemoryError e) {
            // Reported at once, without a stack trace; the staged files are left to the next render (Publisher).
            long limit = Runtime.getRuntime().maxMemory() >> 20;
            err.println(Main.NAME + ": out of memory: the Java heap limit of " + limit + " MiB is too small for this "
                    + "site (the previous site is unchanged); give it more, e.g. JAVA_OPTS=-Xmx" + 2 * limit + "m. A "
                    + "million domains in the compact layout take 3 to 5 GB (docs/cli.md#performance)");
            err.flush();
            return ExitCodes.PUBLISH_FAILED;
        } catch (CliException e) {
            e.lines().forEach(line -> err.println(Main.NAME + ": " + line));
            if (verbose && e.getCause() != null) {
                e.getCause().printStackTrace(err);
            }
            err.flush();
            return e.exitCode();
        }
    }

    /** The version {@code current} points at, or null when there is none (or it cannot be resolved). */
    private static Path currentVersion(Path outDir) {
        try {
            return outDir.resolve(Publisher.CURRENT).toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    /** The digest of this render's inputs, stored with the version; null when there is none. */
    private String inputDigest;

    private int render(PrintWriter err, int threadCount) throws Exception {
        Path outDir = out.toAbsolutePath().normalize();
        if (templates != null && !Files.isDirectory(templates)) {
            throw new CliException(ExitCodes.SOURCE_UNAVAILABLE, templates + ": template directory not found");
        }
        long t0 = System.nanoTime();
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        if (source.config != null && Files.isRegularFile(source.config)) {
            InputDigest.Result inputs = InputDigest.ofYaml(source.config, templates, args);
            if (unchanged(err, outDir, inputs, t0)) {
                return ExitCodes.OK;
            }
            inputDigest = inputs.digest();
        }
        SourceLocations locations = new SourceLocations();
        List<String> skipped = new ArrayList<>();
        Site loaded = source.load(skipped::add, locations);
        Site withWeb = loaded.withWeb(webSettings(loaded.web()));
        Site site = layout != null ? withWeb.withLayout(layoutOption()) : withWeb;
        // The same warnings as `check`, before anything is written: a cron render must not publish silently what
        // check knows breaks clients, and --strict makes it refuse.
        List<String> warnings = new ArrayList<>();
        skipped.forEach(w -> warnings.add("warning: " + w));
        warnings.addAll(Lint.of(site, locations));
        if (!quiet || source.strict) {
            printSome(err, warnings, "warnings");
        }
        if (!quiet) { // notes (what PACC leaves out) inform; they never make --strict refuse
            printSome(err, Lint.notes(site, locations), "notes");
        }
        if (source.strict && !warnings.isEmpty()) {
            throw new CliException(ExitCodes.WARNINGS, warnings.size() + " warning" + (warnings.size() == 1 ? "" : "s")
                    + " and --strict: nothing rendered" + (Files.exists(outDir.resolve(Publisher.CURRENT),
                    java.nio.file.LinkOption.NOFOLLOW_LINKS) ? " (the site is unchanged)" : ""));
        }
        int domains = site.domains().size();
        long t1 = System.nanoTime();
        verbose(err, "read %d domains from %s in %.2f s", domains, source.describe(), (t1 - t0) / 1e9);
        if (source.config == null) {
            // A database is read every time; what can be skipped is the render.
            InputDigest.Result inputs = InputDigest.ofSite(site, templates, args);
            if (unchanged(err, outDir, inputs, t0)) {
                return ExitCodes.OK;
            }
            inputDigest = inputs.digest();
        }

        if (!quiet) {
            DiskSpace.warnings(outDir, site).forEach(w -> err.println(Main.NAME + ": warning: " + w));
        }
        String root = publicRoot != null ? publicRoot : outDir.resolve(Publisher.CURRENT).resolve("public").toString();
        SiteRenderer renderer = new SiteRenderer(new RenderSettings(Optional.ofNullable(templates), root, responderUrl,
                setupIndex));
        if (site.layout() == dev.autogen.model.Layout.COMPACT) {
            // Providers unchanged since the current version are not rendered again (docs/cli.md#performance).
            renderer.useMemo(RenderMemo.read(currentVersion(outDir), InputDigest.memo(templates, args, site)));
        }
        Publisher publisher = new Publisher(outDir);
        boolean hadSite = Files.isSymbolicLink(outDir.resolve(Publisher.CURRENT));
        PublishResult result;
        try (Progress progress = Progress.start(err, domains, !quiet && System.console() != null)) {
            result = publisher.publish(sink -> RenderPipeline.render(site, renderer, sink, threadCount,
                    progress::domainDone), inputDigest);
        } catch (WrongUserException e) {
            throw new CliException(ExitCodes.PUBLISH_FAILED, List.of(e.getMessage() + "; nothing was written",
                    "run it as the site's owner: sudo -u " + e.owner() + " autogen render ..., or as root "
                            + "(root's files are given to " + e.owner() + ")"), e);
        } catch (PublishException e) {
            throw new CliException(ExitCodes.PUBLISH_FAILED, e.getMessage()
                    + (hadSite ? " (the previous site is unchanged)" : " (no site was published)"), e);
        }
        long t2 = System.nanoTime();
        PublishResult.Phases phases = result.phases();
        if (site.layout() == dev.autogen.model.Layout.COMPACT) {
            verbose(err, "render memo: the documents of %d of %d providers were the current version's, not rendered",
                    renderer.memoReusedProviders(), site.providers().size());
        }
        verbose(err, "rendered and published in %.2f s (render and write %.2f s, write document packs and link unchanged files %.2f s,"
                + " flush to disk %.2f s, switch current %.2f s)", (t2 - t1) / 1e9, phases.produceNanos() / 1e9,
                phases.linkNanos() / 1e9, phases.flushNanos() / 1e9, phases.switchNanos() / 1e9);
        if (!quiet) {
            err.println(summary(domains, result, outDir));
            err.flush();
        }
        int code = ExitCodes.OK;
        if (result.switched()) {
            // Right after the switch, before the clean-up: the web server should route new names at once.
            if (reloadWebServer != null && !reloadWebServer.isBlank()) {
                if (result.webConfigChanged()) {
                    code = runHook(err, "--reload-web-server", reloadWebServer, result, outDir);
                } else {
                    verbose(err, "web-server config unchanged: no reload");
                }
            }
            if (postPublish != null && !postPublish.isBlank()) {
                int hook = runHook(err, "--post-publish", postPublish, result, outDir);
                code = code == ExitCodes.OK ? hook : code;
            }
        }
        // Old versions go after the lock was released: a render started now does not find it taken.
        try {
            Publisher.Removal removal = publisher.removeRetired();
            verbose(err, "removed %d old version%s in %.2f s (after releasing the publish lock)", removal.versions(),
                    removal.versions() == 1 ? "" : "s", removal.nanos() / 1e9);
        } catch (PublishException e) {
            err.println(Main.NAME + ": warning: " + e.getMessage() + " (the next render tries again)");
        }
        return code;
    }

    /**
     * True when the current version was rendered from these very inputs (then nothing is read further, rendered or
     * written); says so, and with -v why a render is or is not needed.
     */
    private boolean unchanged(PrintWriter err, Path outDir, InputDigest.Result inputs, long t0) throws Exception {
        if (inputs.digest() == null) {
            verbose(err, "rendering: %s, so it is read and rendered every time", inputs.whyNone());
            return false;
        }
        Publisher.Unchanged unchanged;
        try {
            unchanged = new Publisher(outDir).unchangedSince(inputs.digest());
        } catch (java.io.IOException e) {
            verbose(err, "rendering: cannot read the current version (%s)", e.getMessage());
            return false;
        }
        if (unchanged.versionId() == null) {
            verbose(err, "rendering: %s", unchanged.reason());
            return false;
        }
        verbose(err, "skipped the render in %.2f s: %s", (System.nanoTime() - t0) / 1e9, unchanged.reason());
        if (!quiet) {
            String arrow = Charset.defaultCharset().newEncoder().canEncode('→') ? "→" : "->";
            err.println("inputs unchanged since the last render: nothing read or rendered " + arrow + " site v-"
                    + unchanged.versionId() + " (" + outDir + ") left as it was");
            err.flush();
        }
        return true;
    }

    /** Runs a hook command with /bin/sh, its output on our stderr; exit 9 when it fails. */
    private int runHook(PrintWriter err, String option, String command, PublishResult result, Path outDir) {
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("AUTOGEN_SITE", outDir.toString());
        env.put("AUTOGEN_VERSION", result.versionId());
        env.put("AUTOGEN_PREVIOUS_VERSION", result.previousId() == null ? "" : result.previousId());
        env.put("AUTOGEN_WEB_CONFIG_CHANGED", result.webConfigChanged() ? "yes" : "no");
        String failure;
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    Charset.defaultCharset()))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    err.println(Main.NAME + ": " + option + ": " + line);
                }
            }
            if (!process.waitFor(HOOK_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                failure = "still running after " + HOOK_TIMEOUT_MINUTES + " minutes, stopped";
            } else if (process.exitValue() != 0) {
                failure = "exit status " + process.exitValue();
            } else {
                verbose(err, "%s: done in %.2f s", option, (System.nanoTime() - start) / 1e9);
                return ExitCodes.OK;
            }
        } catch (IOException e) {
            failure = "cannot run /bin/sh: " + IoErrors.describe(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        err.println(Main.NAME + ": " + option + " failed (" + failure + "): " + command);
        err.println(Main.NAME + ": the new site v-" + result.versionId() + " is published; run the command by hand");
        err.flush();
        return ExitCodes.HOOK_FAILED;
    }

    private static final int HOOK_TIMEOUT_MINUTES = 10;

    static String summary(int domains, PublishResult r, Path out) {
        String arrow = Charset.defaultCharset().newEncoder().canEncode('→') ? "→" : "->";
        String what = String.format(Locale.ROOT, "rendered %d domain%s: ", domains, domains == 1 ? "" : "s");
        if (!r.switched()) {
            return what + "nothing changed, " + r.unchanged() + " files unchanged " + arrow + " site v-"
                    + r.versionId() + " (" + out + ") left as it was";
        }
        return what + String.format(Locale.ROOT, "%d files added, %d changed, %d removed, %d unchanged %s site v-%s (%s)",
                r.added(), r.changed(), r.removed(), r.unchanged(), arrow, r.versionId(), out);
    }

    /** The site's {@code web:} settings with the options given on the command line in their place. */
    WebSettings webSettings(WebSettings site) {
        List<String> problems = new ArrayList<>();
        List<String> http = httpListen == null ? site.http() : listen("--http-listen", httpListen, problems);
        List<String> https = httpsListen == null ? site.https() : listen("--https-listen", httpsListen, problems);
        Optional<String> certificate = tlsCertificate == null ? site.certificate()
                : Optional.of(path("--tls-certificate", tlsCertificate, problems));
        Optional<String> key = tlsKey == null ? site.certificateKey() : Optional.of(path("--tls-key", tlsKey, problems));
        Optional<String> log = site.accessLog();
        if (accessLog != null) {
            String problem = WebSettings.accessLogProblem(accessLog);
            if (problem != null) {
                problems.add("--access-log: " + problem + " (or off)");
            }
            log = Optional.of(accessLog);
        }
        if (problems.isEmpty()) {
            WebSettings web = new WebSettings(http, https, certificate, key,
                    httpsRedirect == null ? site.redirectToHttps() : httpsRedirect, log);
            for (String problem : web.consistencyProblems()) {
                problems.add("web settings (web: in the YAML file and the options): " + problem);
            }
            if (problems.isEmpty()) {
                return web;
            }
        }
        throw new ParameterException(spec.commandLine(), String.join("\n" + Main.NAME + ": ", problems));
    }

    private static List<String> listen(String option, List<String> values, List<String> problems) {
        if (values.size() == 1 && values.get(0).equals("none")) {
            return List.of();
        }
        for (String v : values) {
            String problem = WebSettings.listenProblem(v);
            if (problem != null) {
                problems.add(option + ": " + problem);
            }
        }
        return values;
    }

    private static String path(String option, String value, List<String> problems) {
        String problem = WebSettings.pathProblem(value, true);
        if (problem != null) {
            problems.add(option + ": " + problem);
        }
        return value;
    }

    private void checkResponderUrl() {
        try {
            URI uri = new URI(responderUrl);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(responderUrl, "expected http://host:port");
            }
        } catch (URISyntaxException e) {
            throw new ParameterException(spec.commandLine(), "--responder-url: " + e.getMessage());
        }
    }

    private void verbose(PrintWriter err, String format, Object... args) {
        if (verbose && !quiet) {
            err.println(Main.NAME + ": " + String.format(Locale.ROOT, format, args));
        }
    }

    /** Above this many warnings or notes, render prints the first ones and a count; check lists them all. */
    static final int PRINTED_LINES = 50;

    /**
     * The first {@link #PRINTED_LINES} lines, then how many more there are: a site of a million domains can have a
     * note for every provider, and a render log of a hundred thousand lines helps nobody.
     */
    private static void printSome(PrintWriter err, List<String> lines, String what) {
        lines.stream().limit(PRINTED_LINES).forEach(line -> err.println(Main.NAME + ": " + line));
        if (lines.size() > PRINTED_LINES) {
            err.println(Main.NAME + ": ... and " + (lines.size() - PRINTED_LINES) + " more " + what
                    + " (autogen check lists them all)");
        }
    }
}
