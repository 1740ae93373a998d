package dev.autogen.responder;

import dev.autogen.text.IoErrors;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/**
 * Answers every client request from the loaded {@link Site}: a map lookup, a template fill, one write. No file
 * I/O happens here; Host headers and paths are only ever map keys.
 */
final class Responder extends Handler.Abstract {

    static final int MAX_BODY = 64 * 1024;
    static final int MAX_NAME = 256;

    static final String JSON = "application/json; charset=utf-8", NO_STORE = "private, no-store";
    private static final String XML = "text/xml; charset=utf-8", HTML = "text/html; charset=utf-8",
            TEXT = "text/plain; charset=utf-8", PROFILE = "application/x-apple-aspen-config",
            PACC = "application/json"; // by identity in send(): the one answer readable from any origin
    private static final String PUBLIC = "public, max-age=3600";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    /** What to send. {@code logDomain} is the mail domain (or address with --log-addresses) for the access log. */
    record Answer(int status, String contentType, String cacheControl, byte[] body, String disposition, String allow,
                  String location, String csp) {
        Answer(int status, String contentType, String cacheControl, byte[] body, String disposition, String allow) {
            this(status, contentType, cacheControl, body, disposition, allow, null, null);
        }

        static Answer text(int status, String message) {
            return new Answer(status, TEXT, NO_STORE, (message + "\n").getBytes(StandardCharsets.UTF_8), null, null);
        }
    }

    /** One request in progress, and the facts the access log wants besides the answer. */
    private static final class Exchange {
        final Site site; // read once per request: a reload never mixes two versions in one answer
        final Request request;
        final Response response;
        final Callback callback;
        final long start = System.nanoTime();
        String route = "other";
        String domain;
        EmailAddress address;
        boolean inline = true; // may be on Jetty's I/O thread: must not block
        boolean signer;        // on a thread of the signing pool: may sign
        byte[] body;           // the Autodiscover request body, once read
        int bodyStatus;        // 413 or 400 when reading it failed

        Exchange(Site site, Request request, Response response, Callback callback) {
            this.site = site;
            this.request = request;
            this.response = response;
            this.callback = callback;
        }
    }

    /**
     * Thrown (without a stack trace) when answering would block: reading a request body, asking LDAP. Routing is
     * free of side effects, so the request is simply routed again on a worker thread.
     */
    private static final RuntimeException WOULD_BLOCK = new RuntimeException("would block", null, false, false) {};
    /** Thrown like {@link #WOULD_BLOCK} when a profile is to be signed: routed again on the signing pool. */
    private static final RuntimeException MUST_SIGN = new RuntimeException("must sign", null, false, false) {};
    private static final Answer BUSY = Answer.text(503, "Busy signing profiles; try again in a moment");

    /** Signing is CPU work: a few threads of its own, so it never takes every core from the other routes. */
    private final java.util.concurrent.ExecutorService signing = ProfileSigner.pool();

    private volatile Site site;
    private final Metrics metrics;
    private final AccessLog log;
    private final SiteStatus status;

    /**
     * NON_BLOCKING lets Jetty run {@link #handle} directly on the I/O thread, without a hand-off to a worker: that
     * halves the CPU per request. The few requests that would block are handed to the thread pool.
     */
    Responder(Site site, Metrics metrics, AccessLog log, SiteStatus status) {
        super(InvocationType.NON_BLOCKING);
        this.site = site;
        this.metrics = metrics;
        this.log = log;
        this.status = status;
        metrics.site(this::site);
    }

    Site site() { return site; }

    /** Requests already running keep the Site they read; new ones see the new one. */
    void swap(Site next) { site = next; }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        run(new Exchange(site, request, response, callback));
        return true;
    }

    /**
     * Answers; or, when answering would block, hands the exchange to a worker thread and routes it again there (to
     * the signing pool when a profile is to be signed).
     */
    private void run(Exchange x) {
        Answer a;
        try {
            a = route(x.site, x.request, x);
        } catch (RuntimeException e) {
            if (e == WOULD_BLOCK || e == MUST_SIGN) {
                x.inline = false;
                x.signer |= e == MUST_SIGN;
                if (handOff(e == MUST_SIGN ? signing : x.request.getContext(), x)) return;
                a = BUSY;
            } else {
                // Malformed query strings and similar come here from Jetty's parsers; everything else is a bug.
                boolean bad = e instanceof IllegalArgumentException || e instanceof org.eclipse.jetty.http.BadMessageException;
                if (!bad) System.err.println("autogen-responder: internal error on " + x.route + " (please report it): "
                        + IoErrors.describe(e) + " at " + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?"));
                a = bad ? Answer.text(400, "Bad request") : Answer.text(500, "Internal error");
            }
        }
        if (a == null) return; // the request body is still arriving: run(x) is called again once it is complete
        long nanos = System.nanoTime() - x.start;
        metrics.request(x.route, a.status, nanos);
        log.log(x.request, x.route, a.status, x.domain, x.address, nanos);
        send(x.response, a, x.callback);
    }

    /** Routes {@code x} again on {@code executor}; false when its queue is full. */
    private boolean handOff(java.util.concurrent.Executor executor, Exchange x) {
        try {
            executor.execute(() -> run(x));
            return true;
        } catch (java.util.concurrent.RejectedExecutionException full) {
            return false;
        }
    }

    private static void send(Response response, Answer a, Callback callback) {
        response.setStatus(a.status);
        HttpFields.Mutable h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, a.contentType);
        h.put(HttpHeader.CACHE_CONTROL, a.cacheControl);
        h.put("X-Content-Type-Options", "nosniff");
        if (a.disposition != null) h.put("Content-Disposition", a.disposition);
        if (a.allow != null) h.put(HttpHeader.ALLOW, a.allow);
        if (a.contentType == PACC) h.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        if (a.location != null) h.put(HttpHeader.LOCATION, a.location);
        if (a.csp != null) {
            h.put("Content-Security-Policy", a.csp);
            h.put("Referrer-Policy", "no-referrer");
        }
        if (a.status == 413) h.put(HttpHeader.CONNECTION, "close");
        h.put(HttpHeader.CONTENT_LENGTH, a.body.length);
        response.write(true, ByteBuffer.wrap(a.body), callback);
    }

    private Answer route(Site s, Request request, Exchange x) {
        String path = request.getHttpURI().getDecodedPath();
        if (path == null) return Answer.text(400, "Bad request");
        String lower = path.toLowerCase(Locale.ROOT);
        String method = request.getMethod();
        boolean get = method.equals("GET") || method.equals("HEAD");
        switch (lower) {
            case "/mail/config-v1.1.xml", "/.well-known/autoconfig/mail/config-v1.1.xml" -> {
                x.route = "autoconfig";
                return get ? autoconfig(s, request, x) : notAllowed("GET, HEAD");
            }
            case "/autodiscover/autodiscover.xml" -> {
                x.route = "autodiscover";
                if (method.equals("POST")) return autodiscoverPost(s, request, x);
                return get ? autodiscoverGet(s, request, x) : notAllowed("GET, HEAD, POST");
            }
            case "/mobileconfig", "/mobileconfig/" -> {
                x.route = "mobileconfig";
                return get ? mobileconfig(s, request, x) : notAllowed("GET, HEAD");
            }
            case "/.well-known/user-agent-configuration.json" -> { // PACC: the same bytes as the static file
                x.route = "pacc";
                if (!get) return notAllowed("GET, HEAD");
                Site.Domain d = seen(byHost(s, request, "ua-auto-config."), null, x);
                Template doc = PaccDocuments.of(s, d);
                return doc == null ? UNKNOWN_DOMAIN : new Answer(200, PACC, PUBLIC, fill(doc, d, null, null, x), null, null);
            }
            case "/" -> {
                x.route = "setup-page";
                return get ? setupPage(s, request, x) : notAllowed("GET, HEAD");
            }
            case "/health" -> {
                x.route = "health";
                return JsonAnswers.health(s, status);
            }
            case "/metrics" -> {
                x.route = "metrics";
                if (x.inline) throw WOULD_BLOCK; // a scrape reads JVM state: not on the I/O thread
                return new Answer(200, Metrics.CONTENT_TYPE, NO_STORE, metrics.render(), null, null);
            }
            case "/.well-known/caldav", "/.well-known/carddav" -> {
                // Any method: CalDAV/CardDAV clients ask with PROPFIND as well as GET.
                x.route = "well-known";
                String h = host(request);
                String target = h == null || h.isEmpty() ? null : s.hosting().wellKnown(s, h, lower.endsWith("caldav") ? 0 : 1);
                if (target == null) return Answer.text(404, "Not found");
                return new Answer(301, TEXT, PUBLIC, ("Moved to " + target + "\n").getBytes(StandardCharsets.UTF_8), null, null, target, null);
            }
            default -> {
                if (lower.startsWith("/mobileconfig/") && lower.endsWith(".mobileconfig")) {
                    x.route = "mobileconfig";
                    return get ? addresslessProfile(s, path.substring(14, path.length() - 13), x) : notAllowed("GET, HEAD");
                }
                String v1 = "/autodiscover/autodiscover.json/v1.0/";
                if (lower.equals("/autodiscover/autodiscover.json") || lower.startsWith(v1)) {
                    x.route = "autodiscover-json";
                    if (!get) return notAllowed("GET, HEAD");
                    Fields q = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
                    String email = lower.startsWith(v1) ? path.substring(v1.length()) : param(q, "Email");
                    return autodiscoverJson(s, email, param(q, "Protocol"), x);
                }
                return Answer.text(404, "Not found");
            }
        }
    }

    private static Answer notAllowed(String allow) {
        return new Answer(405, TEXT, NO_STORE, "Method not allowed\n".getBytes(StandardCharsets.UTF_8), null, allow);
    }

    /** Query parameter by case-insensitive name (clients differ: Email/email, Protocol/protocol). */
    private static String param(Fields q, String name) {
        for (Fields.Field f : q) if (f.getName().equalsIgnoreCase(name)) return f.getValue();
        return null;
    }

    /** Stands for "the Host header is a name IDNA2008 rejects": a 400, like a malformed address. */
    private static final Site.Domain BAD_HOST = new Site.Domain(null, null);

    /**
     * The Host header as a lower-case A-label host name (port already stripped); null when absent or an IP literal,
     * "" when IDNA2008 rejects it.
     */
    private static String host(Request request) {
        String host = request.getHttpURI().getHost();
        if (host == null || host.startsWith("[")) return null;
        String h = EmailAddress.asciiDomain(host);
        return h == null ? "" : h;
    }

    /**
     * Domain from the Host header: {@code <prefix>.<domain>} or {@code <domain>} (see {@link Hosting#byHost}); null
     * when unknown (IP literals included), {@link #BAD_HOST} when the name is invalid under IDNA2008.
     */
    private static Site.Domain byHost(Site s, Request request, String prefix) {
        String h = host(request);
        if (h == null) return null;
        return h.isEmpty() ? BAD_HOST : s.hosting().byHost(s, h, prefix);
    }

    /** Records the answered domain and address for the access log; returns {@code d} (null: unknown domain). */
    private static Site.Domain seen(Site.Domain d, EmailAddress a, Exchange x) {
        if (d != null && d != BAD_HOST) {
            x.domain = d.name();
            x.address = a;
        }
        return d;
    }

    private static final Answer UNKNOWN_DOMAIN = Answer.text(404, "No configuration for this domain");
    private static final Answer BAD_ADDRESS = Answer.text(400, "Malformed email address");

    private Answer autoconfig(Site s, Request request, Exchange x) {
        String raw = param(Request.extractQueryParameters(request, StandardCharsets.UTF_8), "emailaddress");
        EmailAddress a = null;
        if (raw != null && !raw.isEmpty()) {
            a = EmailAddress.parse(raw);
            if (a == null) return BAD_ADDRESS;
        }
        Site.Domain d = a == null ? byHost(s, request, "autoconfig.") : s.listed(a.domain());
        if (d == null && a != null) d = s.find(a.domain(), host(request)); // a hoster's MX name or the default provider
        seen(d, a, x);
        if (d == BAD_HOST) return Answer.text(400, "Malformed host name");
        if (d == null) return UNKNOWN_DOMAIN;
        // Without an address the answer is the same for everyone: cacheable. With one it is per user.
        return new Answer(200, XML, a == null ? PUBLIC : NO_STORE, fill(d.autoconfig(), d, a, null, x), null, null);
    }

    private Answer autodiscoverGet(Site s, Request request, Exchange x) {
        // Delta Chat and a few others ask with a body-less GET: answer like autoconfig without an address.
        String raw = param(Request.extractQueryParameters(request, StandardCharsets.UTF_8), "emailaddress");
        EmailAddress a = null;
        if (raw != null && !raw.isEmpty()) {
            a = EmailAddress.parse(raw);
            if (a == null) return error(s, s.error600());
        }
        Site.Domain d = seen(a != null ? s.find(a.domain(), null) : byHost(s, request, "autodiscover."), a, x);
        if (d == BAD_HOST) return error(s, s.error600());
        if (d == null) return UNKNOWN_DOMAIN;
        return new Answer(200, XML, NO_STORE, fill(d.outlook(), d, a, null, x), null, null);
    }

    private Answer autodiscoverPost(Site s, Request request, Exchange x) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type != null) {
            String mime = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!mime.equals("text/xml") && !mime.equals("application/xml")) return Answer.text(415, "Content-Type must be text/xml or application/xml");
        }
        if (request.getLength() > MAX_BODY) return TOO_LARGE;
        if (x.body == null && x.bodyStatus == 0) {
            // Without blocking: usually the body came with the headers and this completes at once, on this thread.
            Content.Source.asByteArrayAsync(request, MAX_BODY).whenComplete((body, failure) -> {
                if (failure == null) x.body = body;
                else x.bodyStatus = tooLarge(failure) ? 413 : 400;
                run(x);
            });
            return null;
        }
        if (x.bodyStatus != 0) return x.bodyStatus == 413 ? TOO_LARGE : Answer.text(400, "Could not read the request body");
        byte[] body = x.body;
        AutodiscoverRequest r;
        try {
            r = AutodiscoverRequest.parse(body);
        } catch (AutodiscoverRequest.BadRequestException e) {
            return error(s, s.error600());
        }
        EmailAddress a = EmailAddress.parse(r.emailAddress());
        if (a == null) return error(s, s.error600());
        Site.Domain d = seen(s.find(a.domain(), null), a, x);
        if (d == null) return UNKNOWN_DOMAIN;
        String wanted = r.acceptableResponseSchema() != null ? r.acceptableResponseSchema()
                : r.mobileSync() ? AutodiscoverRequest.MOBILESYNC_RESPONSE : AutodiscoverRequest.OUTLOOK_RESPONSE;
        Template t = switch (wanted) {
            case AutodiscoverRequest.OUTLOOK_RESPONSE -> d.outlook();
            case AutodiscoverRequest.MOBILESYNC_RESPONSE -> d.mobileSync();
            default -> null;
        };
        if (t == null) return error(s, s.error601());
        return new Answer(200, XML, NO_STORE, fill(t, d, a, null, x), null, null);
    }

    private static final Answer TOO_LARGE = Answer.text(413, "Request body too large");

    /** Jetty 12.0 fails the read with {@code IOException("accumulation too large")} when the body exceeds the limit. */
    private static boolean tooLarge(Throwable failure) {
        Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return t instanceof IllegalArgumentException || String.valueOf(t.getMessage()).contains("too large");
    }

    /** Autodiscover errors are HTTP 200 with an error document, as Exchange answers them. */
    private static Answer error(Site s, Template t) {
        Bytes out = new Bytes(t.literalLength() + 64);
        String id = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        t.render(new Template.Fill(null, null, null, "", null, null, LocalTime.now(ZoneOffset.UTC).format(TIME), id), out);
        return new Answer(200, XML, NO_STORE, out.toByteArray(), null, null);
    }

    private Answer autodiscoverJson(Site s, String email, String protocol, Exchange x) {
        boolean v1 = "AutodiscoverV1".equalsIgnoreCase(protocol), eas = "ActiveSync".equalsIgnoreCase(protocol);
        if (!v1 && !eas) return JsonAnswers.invalidProtocol(protocol);
        EmailAddress a = EmailAddress.parse(email);
        if (a == null) return JsonAnswers.INVALID_USER;
        Site.Domain d = seen(s.find(a.domain(), null), a, x);
        if (d == null) return UNKNOWN_DOMAIN;
        String url = v1 ? d.autodiscoverUrl() : d.activeSyncUrl();
        if (url == null) return JsonAnswers.invalidProtocol(protocol);
        return JsonAnswers.v2(v1 ? "AutodiscoverV1" : "ActiveSync", url);
    }

    private Answer mobileconfig(Site s, Request request, Exchange x) {
        Fields q = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        String raw = param(q, "emailaddress");
        if (raw == null || raw.isEmpty()) return Answer.text(400, "The emailaddress parameter is required");
        EmailAddress a = EmailAddress.parse(raw);
        if (a == null) return BAD_ADDRESS;
        String name = param(q, "name");
        if (name != null && name.isEmpty()) name = null; // "&name=" is no name
        if (name != null && (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl))) {
            return Answer.text(400, "Malformed name");
        }
        Site.Domain d = seen(s.find(a.domain(), null), a, x);
        if (d == null) return UNKNOWN_DOMAIN;
        byte[] profile = signed(s, d, fill(d.profile(), d, a, name, x), x);
        // The domain is a validated host name from the index: safe inside a quoted filename.
        return new Answer(200, PROFILE, NO_STORE, profile, "attachment; filename=\"" + d.name() + ".mobileconfig\"", null);
    }

    /** The profile signed when its provider signs (recently signed answers are reused), else as it is. */
    private static byte[] signed(Site s, Site.Domain d, byte[] profile, Exchange x) {
        ProfileSigner signer = s.signers().get(d.provider());
        if (signer == null) return profile;
        byte[] signed = signer.recent(profile);
        if (signed == null && !x.signer) throw MUST_SIGN; // CPU work: on the signing pool, not an I/O thread
        return signed != null ? signed : signer.sign(profile);
    }

    /**
     * {@code /mobileconfig/<domain>.mobileconfig}: a listed domain's address-less profile (column 10 of domains.tsv),
     * else, for a domain nobody lists, the default provider's.
     */
    private Answer addresslessProfile(Site s, String rawDomain, Exchange x) {
        String domain = EmailAddress.asciiDomain(rawDomain);
        if (domain == null) return Answer.text(404, "Not found");
        Site.Domain d = s.listed(domain);
        Template t = d != null ? d.entry().addressless() : s.hosting().addressless();
        if (d == null) d = s.hosting().addresslessFor(s, domain);
        if (seen(d, null, x) == null || t == null) return UNKNOWN_DOMAIN;
        return new Answer(200, PROFILE, PUBLIC, signed(s, d, fill(t, d, null, null, x), x), null, null);
    }

    /**
     * {@code GET /} on {@code autoconfig.<domain>} or {@code autodiscover.<domain>}: the listed domain's setup page
     * (column 11 of domains.tsv, docs/setup-page.md), the same bytes as the tree layout's {@code index.html}.
     */
    private Answer setupPage(Site s, Request request, Exchange x) {
        String h = host(request);
        String domain = h == null ? null : h.startsWith("autoconfig.") ? h.substring(11)
                : h.startsWith("autodiscover.") ? h.substring(13) : null;
        Site.Domain d = domain == null ? null : seen(s.listed(domain), null, x);
        if (d == null || d.entry().setupPage() == null) return UNKNOWN_DOMAIN;
        return new Answer(200, HTML, PUBLIC, fill(d.entry().setupPage(), d, null, null, x), null, null, null, s.setupPageCsp());
    }

    /** Fills a document for one domain and (possibly absent) address, asking LDAP when the domain has a directory. */
    private static byte[] fill(Template t, Site.Domain d, EmailAddress a, String name, Exchange x) {
        LdapDirectory.Person p = LdapDirectory.Person.NONE;
        if (a != null && d.directory() != null) {
            p = d.directory().withoutWaiting(a);
            if (p == null) {
                if (x.inline) throw WOULD_BLOCK;
                p = d.directory().lookup(a);
            }
        }
        Bytes out = new Bytes(t.literalLength() + 256);
        t.render(new Template.Fill(a == null ? null : a.address(), a == null ? null : a.localPart(), a == null ? null : a.domain(),
                d.name(), p.uid(), name != null ? name : p.cn(), null, null), out);
        return out.toByteArray();
    }

}
