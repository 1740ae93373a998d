package dev.autogen.responder;

import dev.autogen.text.IoErrors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Hot reload: polls {@code SITE/current} once a second; when it points somewhere new, loads that version in this
 * background thread and swaps it in with one volatile write. A broken version is logged and refused (and not
 * retried until {@code current} changes again); the old one keeps serving.
 * Also owns the LDAP clients, so one whose settings did not change survives a reload.
 */
final class SiteWatcher implements SiteLoader.Directories, AutoCloseable {

    private final Path siteDir;
    private final Metrics metrics;
    private final Map<Key, LdapDirectory> directories = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "autogen-site-watcher");
        t.setDaemon(true);
        return t;
    });
    private final SiteStatus status = new SiteStatus();
    private Responder responder;
    private Path loaded, refused;
    private String unreadable, refusedReason;

    SiteWatcher(Path siteDir, Metrics metrics) {
        this.siteDir = siteDir;
        this.metrics = metrics;
        status.registerWith(metrics);
    }

    /** For {@code /health}: served version against the one {@code current} names. */
    SiteStatus status() {
        return status;
    }

    private static String versionOf(Path versionDir) {
        String name = versionDir.getFileName().toString();
        return name.startsWith("v-") ? name.substring(2) : name;
    }

    /** The first load: failures are fatal (the caller exits with the message). */
    Site loadInitial() throws IOException, SiteLoader.InvalidSiteException {
        Path version = SiteLoader.currentVersion(siteDir);
        Site s = SiteLoader.load(version, this);
        loaded = version;
        status.inStep(s.version());
        return s;
    }

    void start(Responder responder, AccessLog log, long periodMillis) {
        this.responder = responder;
        timer.scheduleWithFixedDelay(() -> { check(); log.flush(); }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** One poll; public to tests through the package. */
    synchronized void check() {
        Path version;
        try {
            version = SiteLoader.currentVersion(siteDir);
        } catch (IOException e) {
            // current is switched by an atomic rename, so it never vanishes: this is real (a permission, a deleted
            // site). Keep serving what we have, and say so in /health; logged once per distinct problem.
            String problem = "cannot read " + siteDir.resolve("current") + ": " + IoErrors.reason(e);
            if (!problem.equals(unreadable)) {
                System.err.println("autogen-responder: " + problem + "; still serving " + responder.site().version());
            }
            unreadable = problem;
            status.unreadable(problem);
            return;
        }
        unreadable = null;
        if (version.equals(loaded)) {
            status.inStep(responder.site().version()); // also after current was pointed back at it
            return;
        }
        if (version.equals(refused)) {
            status.refused(versionOf(version), refusedReason);
            return;
        }
        try {
            Site next = SiteLoader.load(version, this);
            responder.swap(next);
            loaded = version;
            refused = null;
            status.inStep(next.version());
            metrics.reloads.increment();
            System.err.println("autogen-responder: now serving site " + next.version() + " (" + next.domains().size() + " domains)");
        } catch (SiteLoader.InvalidSiteException | RuntimeException | OutOfMemoryError e) {
            // Out of memory: the new version does not fit beside the one being served. What was loaded of it is
            // garbage now, so serving goes on; an uncaught Error would also have ended this timer, and with it every
            // later reload, without a word.
            refused = version;
            metrics.reloadFailures.increment();
            String reason = e instanceof SiteLoader.InvalidSiteException ? e.getMessage()
                    : e instanceof OutOfMemoryError ? "out of memory: the Java heap limit of "
                            + (Runtime.getRuntime().maxMemory() >> 20) + " MiB cannot hold it beside the version being "
                            + "served; restart the responder (its launcher sizes the heap from the site) or raise -Xmx"
                    : IoErrors.describe(e);
            refusedReason = reason;
            status.refused(versionOf(version), reason);
            System.err.println("autogen-responder: refused site " + version + ": " + reason + "; still serving " + responder.site().version());
        }
        closeUnused();
    }

    /** What an LDAP client is built from; equal keys share one client across reloads. */
    private record Key(String name, Map<Object, Object> settings, java.util.List<java.security.cert.X509Certificate> trusted) {}

    @Override
    public LdapDirectory get(String name, Properties settings, java.util.List<java.security.cert.X509Certificate> trusted)
            throws Exception {
        // The certificates are part of the key (X509Certificate.equals compares the encoded bytes): a CA file that
        // changed while the properties did not must not keep the old trust.
        Key key = new Key(name, new java.util.TreeMap<>(settings), trusted);
        LdapDirectory d = directories.get(key);
        if (d == null) {
            d = new LdapDirectory(name, settings, trusted, metrics);
            directories.put(key, d);
        }
        return d;
    }

    /** Closes clients the serving site no longer uses, after a grace period for requests still running. */
    private void closeUnused() {
        Set<LdapDirectory> inUse = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        inUse.addAll(responder.site().directories().values());
        directories.entrySet().removeIf(e -> {
            if (inUse.contains(e.getValue())) return false;
            LdapDirectory old = e.getValue();
            timer.schedule(old::close, 30, TimeUnit.SECONDS);
            return true;
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
        directories.values().forEach(LdapDirectory::close);
    }
}
