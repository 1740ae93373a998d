package dev.autogen.responder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** Counters for {@code /metrics} (Prometheus text format 0.0.4). Labels are routes and statuses, never addresses. */
final class Metrics {

    private static final double[] LDAP_BUCKETS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5};

    private final ConcurrentHashMap<String, LongAdder[]> requests = new ConcurrentHashMap<>();
    private final LongAdder ldapLookups = new LongAdder(), ldapFailures = new LongAdder();
    private final LongAdder[] ldapBuckets = new LongAdder[LDAP_BUCKETS.length];
    private final LongAdder ldapNanos = new LongAdder();
    final LongAdder reloads = new LongAdder(), reloadFailures = new LongAdder();
    /** Set by {@link SiteWatcher}: served vs. current version, for {@code autogen_site_degraded}. */
    volatile SiteStatus siteStatus;

    Metrics() {
        for (int i = 0; i < ldapBuckets.length; i++) ldapBuckets[i] = new LongAdder();
    }

    void request(String route, int status) {
        // Routes are a handful of constants: key by identity-cheap string plus status without building a string.
        LongAdder[] byStatus = requests.get(route);
        if (byStatus == null) byStatus = requests.computeIfAbsent(route, k -> new LongAdder[600]);
        int i = status >= 100 && status < 600 ? status : 599;
        LongAdder a = byStatus[i];
        if (a == null) {
            synchronized (byStatus) {
                a = byStatus[i];
                if (a == null) byStatus[i] = a = new LongAdder();
            }
        }
        a.increment();
    }

    void ldapLookup(long nanos) {
        ldapLookups.increment();
        ldapNanos.add(nanos);
        double seconds = nanos / 1e9;
        for (int i = 0; i < LDAP_BUCKETS.length; i++) if (seconds <= LDAP_BUCKETS[i]) ldapBuckets[i].increment();
    }

    void ldapFailure() {
        ldapFailures.increment();
    }

    String render(Supplier<Site> site) {
        Site s = site.get();
        StringBuilder b = new StringBuilder(2048);
        b.append("# HELP autogen_requests_total Requests answered, by route and HTTP status.\n")
         .append("# TYPE autogen_requests_total counter\n");
        Map<String, LongAdder[]> sorted = new TreeMap<>(requests);
        sorted.forEach((route, byStatus) -> {
            for (int i = 0; i < byStatus.length; i++) {
                LongAdder a;
                synchronized (byStatus) { a = byStatus[i]; }
                if (a != null) b.append("autogen_requests_total{route=\"").append(route).append("\",status=\"").append(i)
                        .append("\"} ").append(a.sum()).append('\n');
            }
        });
        b.append("# HELP autogen_ldap_lookups_total LDAP searches sent (cache hits not counted).\n")
         .append("# TYPE autogen_ldap_lookups_total counter\nautogen_ldap_lookups_total ").append(ldapLookups.sum()).append('\n')
         .append("# HELP autogen_ldap_failures_total LDAP lookups that failed or were skipped while a directory was down.\n")
         .append("# TYPE autogen_ldap_failures_total counter\nautogen_ldap_failures_total ").append(ldapFailures.sum()).append('\n')
         .append("# HELP autogen_ldap_lookup_seconds LDAP search latency.\n# TYPE autogen_ldap_lookup_seconds histogram\n");
        for (int i = 0; i < LDAP_BUCKETS.length; i++) {
            b.append("autogen_ldap_lookup_seconds_bucket{le=\"").append(LDAP_BUCKETS[i]).append("\"} ").append(ldapBuckets[i].sum()).append('\n');
        }
        b.append("autogen_ldap_lookup_seconds_bucket{le=\"+Inf\"} ").append(ldapLookups.sum()).append('\n')
         .append("autogen_ldap_lookup_seconds_sum ").append(ldapNanos.sum() / 1e9).append('\n')
         .append("autogen_ldap_lookup_seconds_count ").append(ldapLookups.sum()).append('\n')
         .append("# HELP autogen_site_info The site version being served.\n# TYPE autogen_site_info gauge\n")
         .append("autogen_site_info{version=\"").append(s.version()).append("\"} 1\n")
         .append("# HELP autogen_site_domains Domains in the site being served.\n# TYPE autogen_site_domains gauge\n")
         .append("autogen_site_domains ").append(s.domains().size()).append('\n')
         .append("# HELP autogen_site_reloads_total Site versions loaded after start.\n# TYPE autogen_site_reloads_total counter\n")
         .append("autogen_site_reloads_total ").append(reloads.sum()).append('\n')
         .append("# HELP autogen_site_reload_failures_total Site versions refused as invalid.\n# TYPE autogen_site_reload_failures_total counter\n")
         .append("autogen_site_reload_failures_total ").append(reloadFailures.sum()).append('\n');
        SiteStatus status = siteStatus;
        if (status != null) b.append(status.metricsText());
        return b.toString();
    }
}
