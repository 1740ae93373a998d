package dev.autogen.responder;

import dev.autogen.text.Escape;
import java.nio.charset.StandardCharsets;

/**
 * What {@code /health} and {@code /metrics} say about the site: the version served, the version {@code current}
 * names, and why that one is not served when they differ. "degraded" (HTTP 503, so a load balancer or monitor
 * notices) while {@code current} names a version the responder refused or cannot read: the web server then serves
 * that version's static files while the responder answers from the old one.
 */
final class SiteStatus {
    /** One consistent state, swapped whole. {@code problem} is null when all is well. */
    private record State(String current, String problem) {}

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

    boolean degraded() {
        return state.problem() != null;
    }

    /** The answer of {@code /health}: 200 when in step, 503 when degraded. */
    int httpStatus() {
        return degraded() ? 503 : 200;
    }

    byte[] healthJson(Site served) {
        State s = state;
        StringBuilder b = new StringBuilder(160).append("{\"status\":\"").append(s.problem() == null ? "ok" : "degraded")
                .append("\",\"version\":\"").append(Escape.json(served.version())).append('"');
        if (s.current() != null) b.append(",\"current\":\"").append(Escape.json(s.current())).append('"');
        b.append(",\"domains\":").append(served.domains().size());
        if (s.problem() != null) b.append(",\"reason\":\"").append(Escape.json(s.problem())).append('"');
        return b.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Prometheus text for {@code /metrics}: whether the responder is behind {@code current}, and what it names. */
    String metricsText() {
        State s = state;
        StringBuilder b = new StringBuilder(256)
                .append("# HELP autogen_site_degraded 1 while current names a version that is not served (refused or unreadable).\n")
                .append("# TYPE autogen_site_degraded gauge\nautogen_site_degraded ").append(s.problem() == null ? 0 : 1).append('\n');
        if (s.current() != null) {
            b.append("# HELP autogen_site_current_info The version the site's current link names.\n")
             .append("# TYPE autogen_site_current_info gauge\nautogen_site_current_info{version=\"")
             .append(s.current().replace("\\", "\\\\").replace("\"", "\\\"")).append("\"} 1\n");
        }
        return b.toString();
    }
}
