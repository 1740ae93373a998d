package dev.autogen.probe;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The probe's PACC step: fetches {@code /.well-known/user-agent-configuration.json} from the domain's
 * {@code ua-auto-config} host and checks it against the {@code _ua-auto-config} TXT digest, taken from DNS or from
 * a rendered zone snippet ({@code conf/dns/<domain>.zone}, before it is published). {@link Prober} runs it last.
 */
public final class PaccProbe {
    public static final String PATH = "/.well-known/user-agent-configuration.json";

    /** Where the expected digest comes from. */
    public interface DigestSource {
        /** The TXT strings at {@code name} (absolute, final dot). */
        List<String> txt(String name) throws IOException;

        String describe();
    }

    private final ProbeHttp http;
    private final DigestSource digests;

    /** @param http asks the {@code ua-auto-config.<domain>} host (its Host header names it) */
    public PaccProbe(ProbeHttp http, DigestSource digests) {
        this.http = http;
        this.digests = digests;
    }

    /**
     * Runs the step: one request (recorded) and one verdict. PACC is optional: without a UAAC1 record and without a
     * document the domain simply does not publish it (a note); a UAAC1 record without a document, or a document
     * without a matching record, is a problem.
     */
    void run(String address, String domain, Consumer<RequestCheck> requests, Consumer<ClientVerdict> clients) {
        List<String> txt = null;
        String txtError = null;
        try {
            txt = digests.txt("_ua-auto-config." + domain + ".");
        } catch (IOException | RuntimeException e) {
            txtError = "cannot read the digest from " + digests.describe() + ": " + e.getMessage();
        }
        boolean announced = txt != null && txt.stream().anyMatch(t -> "UAAC1".equalsIgnoreCase(PaccRules.tags(t).get("v")));

        List<String> problems = new ArrayList<>();
        ProbeHttp.Response r = null;
        String failure = null;
        boolean unreachable = false;
        try {
            r = http.get(PATH);
            if (r.status() != 200) {
                failure = "HTTP " + r.status() + ", expected 200";
            }
        } catch (IOException | RuntimeException e) {
            failure = "no answer: " + e.getMessage();
            unreachable = e instanceof ProbeHttp.ConnectFailure;
        }
        if (failure != null && announced) {
            problems.add(failure + ": " + digests.describe() + " announces a PACC document (v=UAAC1 record)");
        }
        requests.accept(new RequestCheck("PACC document (" + http.hostHeader() + ")", "GET", PATH,
                r == null ? -1 : r.status(), r == null ? null : r.header("content-type"),
                r == null ? 0 : r.body().length, problems, null, null, List.of(), unreachable));
        String source = "https://" + http.hostHeader() + PATH;
        if (failure != null) {
            if (!announced) {
                clients.accept(new ClientVerdict(PaccRules.CLIENT, source, List.of(), List.of(), List.of(
                        "no PACC document (" + failure + ") and no v=UAAC1 record in " + digests.describe()
                                + ": PACC is not published for " + domain + "; clients use the other methods")));
            }
            return;
        }
        if (txt == null) {
            clients.accept(new ClientVerdict(PaccRules.CLIENT, source, List.of(), List.of(txtError), List.of()));
            return;
        }
        clients.accept(PaccRules.check(source, r.body(), r.header("content-type"),
                r.header("access-control-allow-origin"), txt, digests.describe(), address));
    }

    /** The digest from DNS, asked with dnsjava. */
    public static DigestSource dns(Resolver resolver, String description) {
        return new DigestSource() {
            @Override
            public List<String> txt(String name) throws IOException {
                Message m = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.TXT, DClass.IN)));
                if (m.getRcode() != Rcode.NOERROR && m.getRcode() != Rcode.NXDOMAIN) {
                    throw new IOException("DNS answered " + Rcode.string(m.getRcode()));
                }
                return strings(m.getSection(Section.ANSWER), name);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /** The digest from a zone snippet as {@code render} writes it to {@code conf/dns/} (or any zone file). */
    public static DigestSource zone(Path file) {
        return new DigestSource() {
            @Override
            public List<String> txt(String name) throws IOException {
                List<Record> records = new ArrayList<>();
                // The snippets give no TTL (the zone's default applies): supply one so the parser accepts them.
                try (InputStream in = Files.newInputStream(file); Master master = new Master(in, Name.root, 3600)) {
                    for (Record r; (r = master.nextRecord()) != null; ) {
                        records.add(r);
                    }
                }
                return strings(records, name);
            }

            @Override
            public String describe() {
                return file.toString();
            }
        };
    }

    private static List<String> strings(List<Record> records, String name) throws IOException {
        Name owner = Name.fromString(name);
        List<String> out = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof TXTRecord t && t.getName().equals(owner)) {
                out.add(String.join("", t.getStrings()));
            }
        }
        return out;
    }
}
