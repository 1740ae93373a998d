package dev.autogen.probe;

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
            t.append(", ").append(r.bytes()).append(" bytes  (").append(r.name()).append(")\n");
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
                : "FAIL: some client would not accept this deployment").append('\n');
        return t.toString();
    }

    public String toJson() {
        StringBuilder j = new StringBuilder();
        j.append("{\"host\":").append(str(host)).append(",\"address\":").append(str(address))
                .append(",\"ok\":").append(ok()).append(",\"requests\":[");
        for (int i = 0; i < requests.size(); i++) {
            RequestCheck r = requests.get(i);
            j.append(i == 0 ? "" : ",").append("{\"name\":").append(str(r.name()))
                    .append(",\"method\":").append(str(r.method())).append(",\"path\":").append(str(r.path()))
                    .append(",\"status\":").append(r.status()).append(",\"contentType\":").append(str(r.contentType()))
                    .append(",\"bytes\":").append(r.bytes()).append(",\"ok\":").append(r.ok())
                    .append(",\"problems\":").append(strings(r.problems())).append('}');
        }
        j.append("],\"clients\":[");
        for (int i = 0; i < clients.size(); i++) {
            ClientVerdict c = clients.get(i);
            j.append(i == 0 ? "" : ",").append("{\"client\":").append(str(c.client()))
                    .append(",\"source\":").append(str(c.source())).append(",\"ok\":").append(c.ok())
                    .append(",\"servers\":[");
            for (int k = 0; k < c.servers().size(); k++) {
                ServerSetting s = c.servers().get(k);
                j.append(k == 0 ? "" : ",").append("{\"role\":").append(str(s.role()))
                        .append(",\"protocol\":").append(str(s.protocol())).append(",\"hostname\":").append(str(s.hostname()))
                        .append(",\"port\":").append(s.port()).append(",\"security\":").append(str(s.security()))
                        .append(",\"authentication\":").append(str(s.authentication()))
                        .append(",\"username\":").append(str(s.username())).append('}');
            }
            j.append("],\"problems\":").append(strings(c.problems())).append(",\"notes\":").append(strings(c.notes()))
                    .append('}');
        }
        return j.append("]}\n").toString();
    }

    private static String strings(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ",").append(str(values.get(i)));
        }
        return b.append(']').toString();
    }

    /** A JSON string literal (or null): quotes, backslashes and every control character escaped. */
    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
