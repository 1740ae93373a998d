package dev.autogen.responder;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import org.eclipse.jetty.server.Request;

/**
 * One line per request: time, client, method, route, status, domain, microseconds. The client is the peer, or
 * with {@code --proxy-count N} the N-th X-Forwarded-For entry from the right (as automx2's proxy_count).
 * Full addresses appear only with {@code --log-addresses}; otherwise only the domain.
 * Buffered and flushed once a second so logging stays off the request's critical path.
 */
final class AccessLog {

    private final int proxyCount;
    private final boolean logAddresses;
    private final Writer out;

    AccessLog(int proxyCount, boolean logAddresses, Writer out) {
        this.proxyCount = proxyCount;
        this.logAddresses = logAddresses;
        this.out = out == null ? null : new BufferedWriter(out, 1 << 16);
    }

    String client(Request request) {
        String peer = Request.getRemoteAddr(request);
        if (proxyCount <= 0) return peer;
        // Entries from all X-Forwarded-For headers, in order; only the last proxyCount were added by our proxies.
        java.util.List<String> hops = new java.util.ArrayList<>();
        for (String v : request.getHeaders().getValuesList("X-Forwarded-For")) {
            for (String part : v.split(",")) if (!part.isBlank()) hops.add(part.trim());
        }
        if (hops.size() < proxyCount) return peer;
        String c = hops.get(hops.size() - proxyCount);
        // Log-safe: an address or host name, nothing that could forge a log line.
        return c.length() <= 64 && c.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f) ? c : "invalid";
    }

    void log(Request request, String route, int status, String domain, EmailAddress address, long nanos) {
        if (out == null) return;
        String who = logAddresses && address != null ? address.address() : domain;
        if (who != null && !who.chars().allMatch(ch -> ch > 0x20 && ch != 0x7f)) who = "?";
        String line = now() + " " + client(request) + " " + request.getMethod() + " " + route + " " + status + " "
                + (who == null ? "-" : who) + " " + nanos / 1000 + "us\n";
        synchronized (this) {
            try { out.write(line); } catch (IOException ignored) { /* logging never fails a request */ }
        }
    }

    /** The current second, formatted once per second (formatting an Instant per request costs more than the rest). */
    private record Stamp(long second, String text) {}

    private volatile Stamp stamp = new Stamp(0, "");

    private String now() {
        long second = System.currentTimeMillis() / 1000;
        Stamp s = stamp;
        if (s.second != second) stamp = s = new Stamp(second, Instant.ofEpochSecond(second).toString());
        return s.text;
    }

    synchronized void flush() {
        if (out == null) return;
        try { out.flush(); } catch (IOException ignored) { /* stdout gone: nothing to do */ }
    }
}
