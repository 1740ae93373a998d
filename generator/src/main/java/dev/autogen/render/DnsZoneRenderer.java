package dev.autogen.render;

import dev.autogen.model.DavServer;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.MailServer.Protocol;
import dev.autogen.model.MailServer.Security;
import dev.autogen.model.Pacc;
import dev.autogen.model.Provider;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The DNS records a domain needs for mail-client discovery, as a zone-file snippet ({@code conf/dns/<domain>.zone},
 * template {@code dns-zone.ftl}). Every owner name and target is absolute (trailing dot), so the snippet means the
 * same in any zone file whatever its {@code $ORIGIN}; no TTL is given, so the zone's default applies.
 * <ul>
 *   <li>{@code autoconfig.<d>} and {@code autodiscover.<d>}: a CNAME to the domain's Autodiscover host (the web
 *       server that runs autogen's config and serves both names); the name that <em>is</em> that host gets commented
 *       A/AAAA examples instead, since the model does not know the web server's addresses;</li>
 *   <li>{@code _autodiscover._tcp} SRV to the Autodiscover host, port 443;</li>
 *   <li>RFC 6186/8314 SRV for IMAP, POP3 and submission: STARTTLS and unencrypted servers under the plain names,
 *       implicit-TLS servers under the {@code s} names, server priority as SRV priority, weight 0, and the
 *       "not offered" record {@code 0 0 0 .} for each service without a server;</li>
 *   <li>RFC 6764 SRV plus TXT {@code path=} for CalDAV and CardDAV ({@code s} names for https), the first server per
 *       name (one TXT path per name cannot describe several), {@code 0 0 0 .} when not offered;</li>
 *   <li>when the domain has a PACC document ({@link PaccRenderer}): {@code ua-auto-config.<d>} like
 *       {@code autoconfig.<d>}, and the TXT record {@code _ua-auto-config.<d>} with the digest of exactly the
 *       document's bytes, rendered in the same run as the document.</li>
 * </ul>
 * The same model also gives the records as data ({@link #records}): what {@code autogen dns records} prints and
 * {@code autogen dns check} looks up. Pure, thread-safe and deterministic.
 */
public final class DnsZoneRenderer {
    private DnsZoneRenderer() {}

    public static final String TEMPLATE = "dns-zone.ftl";

    /** Letters, digits, hyphen, underscore, dot: anything else would break or change the zone file's syntax. */
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    /** An owner name that is an alias of {@code target}, or has no target (the admin adds A/AAAA records). */
    public record HostName(String name, String cnameTarget) {
        public boolean cname() { return cnameTarget != null; }
    }

    public record Srv(int priority, int weight, int port, String target) {}

    /** One SRV owner name; {@code records} empty means "not offered"; {@code notes} explain skipped servers. */
    public record SrvSet(String name, String description, List<Srv> records, List<String> notes) {}

    /**
     * One RFC 6764 owner name: {@code record} null means "not offered".
     *
     * @param txtPath the TXT record's quoted zone-file string; {@code path} the same unquoted
     */
    public record DavSet(String name, String description, Srv record, String txtPath, List<String> notes,
                         String path) {
        public boolean offered() { return record != null; }
    }

    /**
     * The PACC records: {@code host} like autoconfig's, the TXT record at {@code txtName} (absolute, no final dot).
     *
     * @param revision     the draft revision the document follows, for the comment
     * @param txt          the TXT record's quoted zone-file string; {@code digestRecord} the same unquoted
     */
    public record PaccRecords(HostName host, String txtName, String txt, String digestRecord, String revision) {}

    /** @param pacc null when the domain has no PACC document */
    public record Model(String domain, String providerName, String autodiscoverHost, List<HostName> hosts,
                        List<SrvSet> mail, List<DavSet> dav, int nameWidth, PaccRecords pacc) {}

    /**
     * One expected DNS record set, as {@code autogen dns records --format json} prints it and {@code dns check}
     * compares it.
     *
     * @param name   absolute owner name with the final dot
     * @param type   {@code CNAME} (the name must resolve; a CNAME, if there is one, to the first value),
     *               {@code A/AAAA} (the name must resolve to an address the model does not know), {@code SRV}
     *               (values: {@code "priority weight port target."}, all of them, in any order; {@code "0 0 0 ."}
     *               means "not offered"), {@code TXT} (one of the TXT strings at the name must equal the value)
     * @param values what the record set holds
     * @param what   a short description for people
     */
    public record Expected(String name, String type, List<String> values, String what) {
        public Expected {
            values = List.copyOf(values);
        }
    }

    public static byte[] render(Templates templates, Provider provider, Domain domain) {
        return render(templates, provider, domain, Optional.empty(), null);
    }

    /**
     * @param paccDocument the bytes of the domain's PACC document, empty when it has none
     * @param revision     the PACC revision the document follows (ignored without a document)
     */
    public static byte[] render(Templates templates, Provider provider, Domain domain, Optional<byte[]> paccDocument,
                                Pacc.Revision revision) {
        return templates.render(TEMPLATE, model(provider, domain, paccDocument, revision))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The records of {@link #render} as data, in the order the zone snippet lists them. */
    public static List<Expected> records(Provider provider, Domain domain, Optional<byte[]> paccDocument,
                                         Pacc.Revision revision) {
        Model m = model(provider, domain, paccDocument, revision);
        List<Expected> out = new ArrayList<>();
        for (HostName h : m.hosts()) {
            out.add(host(h, h.name().startsWith("autoconfig.") ? "autoconfig name (Thunderbird and others)"
                    : "autodiscover name (Outlook)"));
        }
        out.add(new Expected("_autodiscover._tcp." + m.domain() + ".", "SRV",
                List.of("0 0 443 " + m.autodiscoverHost() + "."), "Autodiscover SRV (Outlook)"));
        for (SrvSet s : m.mail()) {
            out.add(new Expected(s.name() + "." + m.domain() + ".", "SRV", s.records().isEmpty() ? List.of("0 0 0 .")
                    : s.records().stream().map(DnsZoneRenderer::srv).toList(), s.description()));
        }
        for (DavSet s : m.dav()) {
            String owner = s.name() + "." + m.domain() + ".";
            out.add(new Expected(owner, "SRV", List.of(s.offered() ? srv(s.record()) : "0 0 0 ."), s.description()));
            if (s.offered()) {
                out.add(new Expected(owner, "TXT", List.of(s.path()), s.description() + ", path"));
            }
        }
        if (m.pacc() != null) {
            out.add(host(m.pacc().host(), "PACC document host"));
            out.add(new Expected(m.pacc().txtName() + ".", "TXT", List.of(m.pacc().digestRecord()),
                    "PACC document digest"));
        }
        return List.copyOf(out);
    }

    private static Expected host(HostName h, String what) {
        return h.cname() ? new Expected(h.name() + ".", "CNAME", List.of(h.cnameTarget() + "."), what)
                : new Expected(h.name() + ".", "A/AAAA", List.of(), what + ", the web server's own name");
    }

    private static String srv(Srv r) {
        return r.priority() + " " + r.weight() + " " + r.port() + " " + r.target() + ".";
    }

    static Model model(Provider provider, Domain domain) {
        return model(provider, domain, Optional.empty(), null);
    }

    static Model model(Provider provider, Domain domain, Optional<byte[]> paccDocument, Pacc.Revision revision) {
        String d = name(domain, domain.name());
        String adHost = name(domain, domain.autodiscoverHost());
        List<HostName> hosts = new ArrayList<>();
        for (String prefix : List.of("autoconfig.", "autodiscover.")) {
            String n = prefix + d;
            hosts.add(new HostName(n, n.equals(adHost) ? null : adHost));
        }

        List<SrvSet> mail = List.of(
                mailSet(domain, "_imap._tcp", "IMAP with STARTTLS", Protocol.IMAP, false),
                mailSet(domain, "_imaps._tcp", "IMAP over TLS", Protocol.IMAP, true),
                mailSet(domain, "_pop3._tcp", "POP3 with STARTTLS", Protocol.POP3, false),
                mailSet(domain, "_pop3s._tcp", "POP3 over TLS", Protocol.POP3, true),
                mailSet(domain, "_submission._tcp", "SMTP submission with STARTTLS", Protocol.SMTP, false),
                mailSet(domain, "_submissions._tcp", "SMTP submission over TLS", Protocol.SMTP, true));
        List<DavSet> dav = List.of(
                davSet(domain, "_caldav._tcp", "CalDAV over http", DavServer.Type.CALDAV, false),
                davSet(domain, "_caldavs._tcp", "CalDAV over https", DavServer.Type.CALDAV, true),
                davSet(domain, "_carddav._tcp", "CardDAV over http", DavServer.Type.CARDDAV, false),
                davSet(domain, "_carddavs._tcp", "CardDAV over https", DavServer.Type.CARDDAV, true));

        int width = ("_autodiscover._tcp." + d + ".").length();
        for (HostName h : hosts) {
            width = Math.max(width, h.name().length() + 1);
        }
        for (SrvSet s : mail) {
            width = Math.max(width, (s.name() + "." + d + ".").length());
        }
        for (DavSet s : dav) {
            width = Math.max(width, (s.name() + "." + d + ".").length());
        }
        PaccRecords pacc = paccDocument.map(bytes -> {
            String n = PaccRenderer.HOST_PREFIX + d;
            String record = PaccRenderer.digestRecord(bytes);
            return new PaccRecords(new HostName(n, n.equals(adHost) ? null : adHost), PaccRenderer.TXT_PREFIX + d,
                    txt(record), record, revision.id());
        }).orElse(null);
        if (pacc != null) {
            width = Math.max(width, Math.max(pacc.host().name().length(), pacc.txtName().length()) + 1);
        }
        return new Model(d, oneLine(provider.name()), adHost, hosts, mail, dav, width, pacc);
    }

    private static SrvSet mailSet(Domain domain, String name, String description, Protocol protocol,
                                  boolean implicitTls) {
        Set<Srv> records = new LinkedHashSet<>(); // a server listed twice is announced once
        List<String> notes = new ArrayList<>();
        for (MailServer s : domain.servers(protocol)) {
            if ((s.security() == Security.SSL) != implicitTls) {
                continue;
            }
            if (IP_LITERAL.matcher(s.hostname()).matches()) {
                notes.add(s.hostname() + " is an address, not a host name: SRV cannot point at it");
                continue;
            }
            records.add(new Srv(priority(domain, s), 0, s.port(), name(domain, s.hostname())));
        }
        return new SrvSet(name, description, List.copyOf(records), notes);
    }

    private static DavSet davSet(Domain domain, String name, String description, DavServer.Type type, boolean tls) {
        List<DavServer> servers = domain.davServers().stream()
                .filter(s -> s.type() == type && s.tls() == tls).toList();
        List<String> notes = new ArrayList<>();
        for (DavServer extra : servers.stream().skip(1).toList()) {
            notes.add(extra.url() + " not announced: RFC 6764 gives one server path per name");
        }
        if (servers.isEmpty()) {
            return new DavSet(name, description, null, null, notes, null);
        }
        DavServer s = servers.get(0);
        String host = s.url().getHost();
        if (host == null || IP_LITERAL.matcher(host).matches()) {
            notes.add(0, s.url() + " has no host name: SRV cannot point at it");
            return new DavSet(name, description, null, null, notes, null);
        }
        return new DavSet(name, description, new Srv(0, 0, s.port(), name(domain, host)), txt("path=" + s.path()),
                notes, "path=" + s.path());
    }

    private static int priority(Domain domain, MailServer s) {
        if (s.priority() < 0 || s.priority() > 65535) {
            throw new IllegalArgumentException("domain " + domain.name() + ": server " + s.hostname()
                    + " has priority " + s.priority() + ", DNS SRV allows 0 to 65535");
        }
        return s.priority();
    }

    /** A host name for the zone file, without a trailing dot (the template adds it). */
    private static String name(Domain domain, String host) {
        if (host == null || !DNS_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("domain " + domain.name() + ": '" + host
                    + "' is not a host name that can be written to a zone file");
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** A quoted zone-file character string: {@code "} and {@code \} escaped, non-printables as {@code \DDD}. */
    static String txt(String value) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\%03d", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.append('"').toString();
    }

    /** Provider names go into a comment: no line breaks. */
    private static String oneLine(String s) {
        return s.replaceAll("[\\p{Cntrl}]", " ");
    }
}
