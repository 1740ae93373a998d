package dev.autogen.responder;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * {@code /metrics} through the Prometheus Java client (text format 0.0.4): the responder's own series, a
 * request-duration histogram per route, and the JVM's (heap, GC pauses, threads). Labels are routes, statuses and
 * the site version, never addresses.
 *
 * <p>The request path does a map lookup and an array read, then increments data points the client library keeps
 * as {@link LongAdder}s: no label lists are built per request (the data point of each route and status is looked
 * up once and kept). One registry per instance (tests start several responders in one JVM), plus one for the JVM.
 */
final class Metrics {

    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    /** Request durations: the responder answers in microseconds; LDAP look-ups and stalls show in the upper ones. */
    private static final double[] REQUEST_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
        0.1, 0.25, 0.5, 1, 2.5};
    private static final double[] LDAP_BUCKETS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests, ldapLookups, ldapFailures;
    private final Histogram requestSeconds, ldapSeconds;
    private final DistributionDataPoint ldapSecondsPoint;
    private final CounterDataPoint ldapLookupsPoint, ldapFailuresPoint;
    /** Per route: the request counter's data point per HTTP status (index), created on first use; the histogram's. */
    private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();
    /** Counted by {@link SiteWatcher}. */
    final LongAdder reloads = new LongAdder(), reloadFailures = new LongAdder();
    private volatile Supplier<Site> site = () -> null;

    private final class Route {
        final String name;
        final CounterDataPoint[] byStatus = new CounterDataPoint[600];
        final DistributionDataPoint seconds;

        Route(String name) {
            this.name = name;
            this.seconds = requestSeconds.labelValues(name);
        }

        CounterDataPoint status(int status) {
            CounterDataPoint p = byStatus[status];
            if (p == null) {
                synchronized (this) {
                    p = byStatus[status];
                    if (p == null) byStatus[status] = p = requests.labelValues(name, Integer.toString(status));
                }
            }
            return p;
        }
    }

    Metrics() {
        requests = Counter.builder().name("autogen_requests_total").help("Requests answered, by route and HTTP status.")
                .labelNames("route", "status").withoutExemplars().register(registry);
        requestSeconds = Histogram.builder().name("autogen_request_duration_seconds")
                .help("Time from the request's arrival at the handler to its answer being queued, by route.")
                .labelNames("route").classicOnly().classicUpperBounds(REQUEST_BUCKETS).withoutExemplars().register(registry);
        ldapLookups = Counter.builder().name("autogen_ldap_lookups_total").help("LDAP searches sent (cache hits not counted).")
                .withoutExemplars().register(registry);
        ldapFailures = Counter.builder().name("autogen_ldap_failures_total")
                .help("LDAP lookups that failed or were skipped while a directory was down.").withoutExemplars().register(registry);
        ldapSeconds = Histogram.builder().name("autogen_ldap_lookup_seconds").help("LDAP search latency.")
                .classicOnly().classicUpperBounds(LDAP_BUCKETS).withoutExemplars().register(registry);
        ldapLookupsPoint = ldapLookups.labelValues();
        ldapFailuresPoint = ldapFailures.labelValues();
        ldapSecondsPoint = ldapSeconds.labelValues();
        registry.register(() -> {
            Site s = site.get();
            InfoSnapshot.Builder info = InfoSnapshot.builder().name("autogen_site").help("The site version being served.");
            if (s != null) info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", s.version())).build());
            return info.build();
        });
        GaugeWithCallback.builder().name("autogen_site_domains").help("Domains in the site being served.")
                .callback(cb -> {
                    Site s = site.get();
                    if (s != null) cb.call(s.domains().size());
                }).register(registry);
        CounterWithCallback.builder().name("autogen_site_reloads_total").help("Site versions loaded after start.")
                .callback(cb -> cb.call(reloads.sum())).register(registry);
        CounterWithCallback.builder().name("autogen_site_reload_failures_total").help("Site versions refused as invalid.")
                .callback(cb -> cb.call(reloadFailures.sum())).register(registry);
    }

    /**
     * The JVM's series are process-wide: one registry for the process, registered on first scrape (the client
     * library keeps every registry it instrumented, and its GC listeners, for the life of the JVM).
     */
    private static final class Jvm {
        static final PrometheusRegistry REGISTRY = new PrometheusRegistry();
        static {
            JvmMetrics.builder().register(REGISTRY);
        }
    }

    /**
     * Adds series another class keeps (the site watcher's served and refused versions, say): they appear in
     * {@code /metrics} with these. Names must not clash with the ones registered here.
     */
    void register(io.prometheus.metrics.model.registry.Collector collector) {
        registry.register(collector);
    }

    /** The site whose version and size {@code /metrics} reports (the responder's current one). */
    void site(Supplier<Site> current) {
        site = current;
    }

    /** One answered request: counted by route and status, its duration observed per route. */
    void request(String route, int status, long nanos) {
        // Routes are a handful of constants: a map lookup, no string building.
        Route r = routes.get(route);
        if (r == null) r = routes.computeIfAbsent(route, Route::new);
        r.status(status >= 100 && status < 600 ? status : 599).inc();
        r.seconds.observe(nanos / 1e9);
    }

    void ldapLookup(long nanos) {
        ldapLookupsPoint.inc();
        ldapSecondsPoint.observe(nanos / 1e9);
    }

    void ldapFailure() {
        ldapFailuresPoint.inc();
    }

    /** The exposition, Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}). */
    byte[] render() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
            writer.write(out, Jvm.REGISTRY.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }
}
