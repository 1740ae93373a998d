package dev.autogen.probe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** Everything one probe run found: the requests made, and what each client would conclude. */
public record ProbeReport(String host, String address, List<RequestCheck> requests, List<ClientVerdict> clients) {
    public ProbeReport {
        requests = List.copyOf(requests);
        clients = List.copyOf(clients);
    }

    /** True when every request got a usable answer and every client would accept the account. */
    public boolean ok() {
        return requests.stream().allMatch(RequestCheck::ok) && clients.stream().allMatch(ClientVerdict::ok);
    }

    public String toText() {
        StringBuilder t = new StringBuilder();
        t.append("Probe of ").append(host).append(" for ").append(address).append("\n\nRequests\n");
        for (RequestCheck r : requests) {
            t.append(r.ok() ? "  ok   " : "  FAIL ").append(r.method()).append(' ').append(r.path())
                    .append("  -> ").append(r.status() < 0 ? "no answer" : "HTTP " + r.status());
            if (r.contentType() != null) {
                t.append(", ").append(r.contentType());
            }
            if (r.protocol() != null && !r.protocol().equals("HTTP/1.1")) {
                t.append(", ").append(r.protocol());
            }
            t.append(", ").append(r.bytes()).append(" bytes  (").append(r.name()).append(")\n");
            for (String hop : r.redirects()) {
                t.append("         redirect: ").append(hop).append('\n');
            }
            for (String p : r.problems()) {
                t.append("         - ").append(p).append('\n');
            }
        }
        t.append("\nClients\n");
        for (ClientVerdict c : clients) {
            t.append(c.ok() ? "  ok   " : "  FAIL ").append(c.client()).append("  (").append(c.source()).append(")\n");
            for (ServerSetting s : c.servers()) {
                t.append("         ").append(s.describe()).append('\n');
            }
            for (String p : c.problems()) {
                t.append("         - ").append(p).append('\n');
            }
            for (String n : c.notes()) {
                t.append("         note: ").append(n).append('\n');
            }
        }
        t.append('\n').append(ok() ? "PASS: every client would accept this deployment"
                : !reachable() ? "FAIL: could not connect to the deployment"
                : "FAIL: some client would not accept this deployment").append('\n');
        return t.toString();
    }

    /**
     * False when no request got an answer because the deployment (or the proxy) could not be connected to at all:
     * a different failure from "a client would reject this" (its own exit code).
     */
    public boolean reachable() {
        return requests.isEmpty() || !requests.stream().allMatch(RequestCheck::unreachable);
    }

    /** The report as one JSON object and a newline, written with Jackson's streaming generator. */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("host", host);
            g.writeStringField("address", address);
            g.writeBooleanField("ok", ok());
            g.writeBooleanField("reachable", reachable());
            g.writeArrayFieldStart("requests");
            for (RequestCheck r : requests) {
                g.writeStartObject();
                g.writeStringField("name", r.name());
                g.writeStringField("method", r.method());
                g.writeStringField("path", r.path());
                g.writeNumberField("status", r.status());
                g.writeStringField("contentType", r.contentType());
                g.writeNumberField("bytes", r.bytes());
                g.writeBooleanField("ok", r.ok());
                strings(g, "problems", r.problems());
                g.writeStringField("url", r.url());
                g.writeStringField("protocol", r.protocol());
                strings(g, "redirects", r.redirects());
                g.writeBooleanField("unreachable", r.unreachable());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("clients");
            for (ClientVerdict c : clients) {
                g.writeStartObject();
                g.writeStringField("client", c.client());
                g.writeStringField("source", c.source());
                g.writeBooleanField("ok", c.ok());
                g.writeArrayFieldStart("servers");
                for (ServerSetting s : c.servers()) {
                    g.writeStartObject();
                    g.writeStringField("role", s.role());
                    g.writeStringField("protocol", s.protocol());
                    g.writeStringField("hostname", s.hostname());
                    g.writeNumberField("port", s.port());
                    g.writeStringField("security", s.security());
                    g.writeStringField("authentication", s.authentication());
                    g.writeStringField("username", s.username());
                    g.writeEndObject();
                }
                g.writeEndArray();
                strings(g, "problems", c.problems());
                strings(g, "notes", c.notes());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.append('\n').toString();
    }

    /** Escapes every non-ASCII character too: the report is safe in any terminal or log, whatever its charset. */
    private static final JsonFactory JSON = new JsonFactoryBuilder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
