package dev.autogen.responder;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * What {@code /health} and {@code /metrics} say about the site besides the version served: the version
 * {@code current} names, and why that one is not served when they differ. "degraded" (HTTP 503, so a load balancer
 * or monitor notices) while {@code current} names a version the responder refused or cannot read: the web server
 * then serves that version's static files while the responder answers from the old one.
 */
final class SiteStatus {
    /** One consistent state, swapped whole. {@code problem} is null when all is well. */
    record State(String current, String problem) {}

    private volatile State state = new State(null, null);

    /** {@code current} names the version being served. */
    void inStep(String version) {
        state = new State(version, null);
    }

    /** {@code current} names {@code version}, which is not served, because of {@code reason}. */
    void refused(String version, String reason) {
        state = new State(version, "refused site " + version + ": " + reason);
    }

    /** {@code current} itself cannot be read (e.g. permission denied on the site directory). */
    void unreadable(String reason) {
        state = new State(null, reason);
    }

    State state() {
        return state;
    }

    /** {@code autogen_site_degraded} (0 or 1) and {@code autogen_site_current_info{version}} in {@code /metrics}. */
    void registerWith(Metrics metrics) {
        metrics.register(GaugeWithCallback.builder().name("autogen_site_degraded")
                .help("1 while current names a version that is not served (refused or unreadable); /health says why.")
                .callback(cb -> cb.call(state.problem() == null ? 0 : 1)).build());
        metrics.register(() -> {
            String current = state.current();
            InfoSnapshot.Builder info = InfoSnapshot.builder().name("autogen_site_current")
                    .help("The version the site's current link names.");
            if (current != null) {
                info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", current)).build());
            }
            return info.build();
        });
    }
}
