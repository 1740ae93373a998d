package dev.autogen.dns;

import dev.autogen.probe.PaccRules;
import dev.autogen.render.DnsZoneRenderer.Expected;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Compares the records a domain needs ({@link Expected}, from the same renderer as {@code conf/dns/}) with what DNS
 * answers, using dnsjava. The queries run in parallel (at most {@link #MAX_IN_FLIGHT} at once, so a resolver is not
 * flooded; the domains are taken a window at a time and reported as their answers come in, so a million domains fit
 * in memory), and the whole check ends at a deadline: what has not been answered by then is an
 * {@code ERROR}. The outcome per record is {@link Status#PASS}, {@code MISSING}, {@code DRIFT} (expected and found
 * named) or {@code ERROR} (timeout, SERVFAIL, REFUSED, network error).
 */
public final class DnsCheck {
    /** Queries in flight at once: enough to keep a resolver busy, few enough not to lose UDP answers. */
    static final int MAX_IN_FLIGHT = 256;

    public enum Status { PASS, MISSING, DRIFT, ERROR }

    /** The outcome for one expected record set. {@code detail} says what was found (or the error). */
    public record Result(String domain, Expected expected, Status status, String detail) {}

    /**
     * One domain's MX and what Thunderbird's MX step would make of it.
     *
     * @param mx       the most preferred MX host (absolute, lower case), or null when the domain has none
     * @param detail   a sentence for people
     */
    public record MxInfo(String domain, String mx, String detail) {}

    public record Report(List<Result> results, List<MxInfo> mx, int queries, long nanos) {}

    /** One domain's outcome, reported as soon as its answers are in: its records' results, then its MX. */
    public record DomainReport(String domain, List<Result> results, MxInfo mx) {}

    /** What {@link #run(Iterator, Consumer)} keeps of a whole check: counts. */
    public record Summary(int domains, int records, int queries, long nanos) {}

    /** The domains to check, each with its expected records. */
    public record Target(String domain, List<Expected> records) {}

    /**
     * Domains whose questions are out at once. The questions of the domains ahead are asked while the oldest one's
     * answers are awaited, so the {@link #MAX_IN_FLIGHT} slots stay busy; only these domains' answers are held.
     */
    static final int WINDOW = 512;

    private final Resolver resolver;
    private final Duration total;
    private final Predicate<String> servedHere;

    /**
     * @param resolver   where to ask (its own timeout bounds each query)
     * @param total      the whole check's time limit
     * @param servedHere whether a domain (lower case, no final dot) is one of this site's: Thunderbird's MX step
     *                   then finds our autoconfig at {@code autoconfig.<that domain>}
     */
    public DnsCheck(Resolver resolver, Duration total, Predicate<String> servedHere) {
        this.resolver = resolver;
        this.total = total;
        this.servedHere = servedHere;
    }

    /** Checks {@code targets} and returns every result: for a few domains (tests, one --domain). */
    public Report run(List<Target> targets) {
        List<Result> results = new ArrayList<>();
        List<MxInfo> mx = new ArrayList<>();
        Summary summary = run(targets.iterator(), d -> {
            results.addAll(d.results());
            mx.add(d.mx());
        });
        return new Report(results, mx, summary.queries(), summary.nanos());
    }

    /**
     * Checks {@code targets}, taken one at a time, and hands each domain's outcome to {@code each} in order as soon
     * as its answers are in. Memory is bounded by {@link #WINDOW} domains whatever their number: a question and
     * its answer are dropped once the domains asking it are reported (a question shared by domains far apart is
     * asked again; {@link Summary#queries} counts the questions).
     */
    public Summary run(Iterator<Target> targets, Consumer<DomainReport> each) {
        long start = System.nanoTime();
        long deadline = start + total.toNanos();
        Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
        Map<String, Question> questions = new HashMap<>();
        ArrayDeque<Target> window = new ArrayDeque<>();
        int domains = 0;
        int records = 0;
        int[] sent = {0};
        while (targets.hasNext() || !window.isEmpty()) {
            if (targets.hasNext() && window.size() < WINDOW) {
                Target t = targets.next();
                window.add(t);
                ask(questions, slots, t.domain() + ".", Type.MX, deadline, sent);
                for (Expected e : t.records()) {
                    for (int type : types(e)) {
                        ask(questions, slots, e.name(), type, deadline, sent);
                    }
                }
                continue;
            }
            Target t = window.poll();
            List<Result> results = new ArrayList<>(t.records().size());
            for (Expected e : t.records()) {
                results.add(evaluate(t.domain(), e, questions, deadline));
            }
            MxInfo mx = mx(t.domain(), await(questions.get(key(t.domain() + ".", Type.MX)).answer, deadline));
            release(questions, t.domain() + ".", Type.MX);
            for (Expected e : t.records()) {
                for (int type : types(e)) {
                    release(questions, e.name(), type);
                }
            }
            domains++;
            records += results.size();
            each.accept(new DomainReport(t.domain(), results, mx));
        }
        return new Summary(domains, records, sent[0], System.nanoTime() - start);
    }

    /** A question asked once for all the domains in the window that need it; dropped when the last is reported. */
    private static final class Question {
        final CompletableFuture<Answer> answer = new CompletableFuture<>();
        int users;
    }

    private static void release(Map<String, Question> questions, String name, int type) {
        String key = key(name, type);
        Question q = questions.get(key);
        if (q != null && --q.users == 0) {
            questions.remove(key);
        }
    }

    /** A DNS answer: the response code and its answer section, or why there is none. */
    record Answer(int rcode, List<Record> records, String error) {
        static Answer failed(String error) {
            return new Answer(-1, List.of(), error);
        }
    }

    private static int[] types(Expected e) {
        return switch (e.type()) {
            case "SRV" -> new int[] {Type.SRV};
            case "TXT" -> new int[] {Type.TXT};
            default -> new int[] {Type.A, Type.AAAA}; // CNAME and A/AAAA: does the name resolve (and via what)?
        };
    }

    private static String key(String name, int type) {
        return name.toLowerCase(Locale.ROOT) + " " + type;
    }

    private void ask(Map<String, Question> questions, Semaphore slots, String name, int type, long deadline,
                     int[] sent) {
        String key = key(name, type);
        Question asked = questions.get(key);
        if (asked != null) {
            asked.users++;
            return;
        }
        Question question = new Question();
        question.users = 1;
        questions.put(key, question);
        sent[0]++;
        CompletableFuture<Answer> future = question.answer;
        Message query;
        try {
            query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        } catch (TextParseException e) {
            future.complete(Answer.failed("not a DNS name: " + name));
            return;
        }
        try {
            long wait = deadline - System.nanoTime();
            if (wait <= 0 || !slots.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                future.complete(Answer.failed("not asked: the time limit of " + seconds(total) + " was reached"));
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.complete(Answer.failed("interrupted"));
            return;
        }
        resolver.sendAsync(query).whenComplete((response, failure) -> {
            slots.release();
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                future.complete(Answer.failed(cause instanceof java.net.SocketTimeoutException
                        || cause instanceof TimeoutException ? "no answer (timeout)" : describe(cause)));
            } else {
                future.complete(new Answer(response.getRcode(), response.getSection(Section.ANSWER), null));
            }
        });
    }

    private Answer await(CompletableFuture<Answer> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Answer.failed("no answer within the time limit of " + seconds(total));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.failed("interrupted");
        } catch (ExecutionException e) {
            return Answer.failed(describe(e.getCause()));
        }
    }

    private Result evaluate(String domain, Expected e, Map<String, Question> queries, long deadline) {
        if (e.type().equals("SRV") || e.type().equals("TXT")) {
            int type = e.type().equals("SRV") ? Type.SRV : Type.TXT;
            Answer a = await(queries.get(key(e.name(), type)).answer, deadline);
            if (a.error() != null || (a.rcode() != Rcode.NOERROR && a.rcode() != Rcode.NXDOMAIN)) {
                return new Result(domain, e, Status.ERROR, error(a));
            }
            return type == Type.SRV ? srv(domain, e, a) : txt(domain, e, a);
        }
        Answer v4 = await(queries.get(key(e.name(), Type.A)).answer, deadline);
        Answer v6 = await(queries.get(key(e.name(), Type.AAAA)).answer, deadline);
        for (Answer a : List.of(v4, v6)) {
            if (a.error() != null || (a.rcode() != Rcode.NOERROR && a.rcode() != Rcode.NXDOMAIN)) {
                return new Result(domain, e, Status.ERROR, error(a));
            }
        }
        return address(domain, e, v4, v6);
    }

    private static Result srv(String domain, Expected e, Answer a) {
        Set<String> found = new TreeSet<>();
        for (Record r : a.records()) {
            if (r instanceof SRVRecord s && s.getName().equals(name(e.name()))) {
                found.add(s.getPriority() + " " + s.getWeight() + " " + s.getPort() + " "
                        + s.getTarget().toString().toLowerCase(Locale.ROOT));
            }
        }
        Set<String> expected = new TreeSet<>(e.values());
        if (found.equals(expected)) {
            return new Result(domain, e, Status.PASS, String.join(", ", found));
        }
        if (found.isEmpty()) {
            return new Result(domain, e, Status.MISSING, a.rcode() == Rcode.NXDOMAIN ? "no such name" : "no SRV record");
        }
        return new Result(domain, e, Status.DRIFT, "expected " + String.join(", ", expected) + "; found "
                + String.join(", ", found));
    }

    private static Result txt(String domain, Expected e, Answer a) {
        List<String> found = new ArrayList<>();
        for (Record r : a.records()) {
            if (r instanceof TXTRecord t && t.getName().equals(name(e.name()))) {
                found.add(String.join("", t.getStrings())); // a long TXT record is split into strings of 255
            }
        }
        String want = e.values().get(0);
        boolean digest = want.startsWith("v=UAAC1;");
        List<String> relevant = found.stream().filter(digest ? s -> PaccRules.tags(s).containsKey("v")
                && "UAAC1".equalsIgnoreCase(PaccRules.tags(s).get("v")) : s -> s.startsWith("path=")).toList();
        if (digest) {
            String expectedDigest = PaccRules.tags(want).get("d");
            for (String s : relevant) {
                Map<String, String> tags = PaccRules.tags(s);
                if ("sha256".equalsIgnoreCase(tags.get("a")) && PaccRules.sameDigest(expectedDigest, tags.get("d"))) {
                    return new Result(domain, e, Status.PASS, "d=" + tags.get("d")
                            + (relevant.size() > 1 ? " (and " + (relevant.size() - 1) + " other UAAC1 records)" : ""));
                }
            }
        } else if (relevant.contains(want)) {
            return new Result(domain, e, Status.PASS, want);
        }
        if (relevant.isEmpty()) {
            return new Result(domain, e, Status.MISSING, found.isEmpty()
                    ? (a.rcode() == Rcode.NXDOMAIN ? "no such name" : "no TXT record")
                    : "no " + (digest ? "v=UAAC1" : "path=") + " record among " + found.size() + " TXT records");
        }
        return new Result(domain, e, Status.DRIFT, "expected " + want + "; found " + String.join(" | ", relevant)
                + (digest ? " (the document changed since this TXT record was published, or DNS was not updated)"
                : ""));
    }

    private static Result address(String domain, Expected e, Answer v4, Answer v6) {
        Name owner = name(e.name());
        String cname = null;
        List<String> addresses = new ArrayList<>();
        for (Answer a : List.of(v4, v6)) {
            for (Record r : a.records()) {
                if (r instanceof CNAMERecord c && c.getName().equals(owner) && cname == null) {
                    cname = c.getTarget().toString().toLowerCase(Locale.ROOT);
                } else if (r instanceof ARecord ar) {
                    addresses.add(ar.getAddress().getHostAddress());
                } else if (r instanceof AAAARecord ar) {
                    addresses.add(ar.getAddress().getHostAddress());
                }
            }
        }
        String resolved = addresses.isEmpty() ? "" : " (" + String.join(", ", new TreeSet<>(addresses)) + ")";
        if (e.type().equals("CNAME")) {
            String want = e.values().get(0);
            if (cname != null && !cname.equals(want)) {
                return new Result(domain, e, Status.DRIFT, "expected CNAME " + want + "; found CNAME " + cname);
            }
            if (cname != null) {
                return new Result(domain, e, Status.PASS, "CNAME " + cname + resolved);
            }
            if (!addresses.isEmpty()) {
                return new Result(domain, e, Status.PASS, "addresses instead of the CNAME" + resolved);
            }
        } else if (!addresses.isEmpty()) {
            return new Result(domain, e, Status.PASS, (cname != null ? "CNAME " + cname + " " : "") + resolved.trim());
        }
        if (cname != null) {
            return new Result(domain, e, Status.MISSING, "CNAME " + cname + " resolves to no address");
        }
        return new Result(domain, e, Status.MISSING, v4.rcode() == Rcode.NXDOMAIN ? "no such name"
                : "no A or AAAA record");
    }

    private MxInfo mx(String domain, Answer a) {
        if (a.error() != null || (a.rcode() != Rcode.NOERROR && a.rcode() != Rcode.NXDOMAIN)) {
            return new MxInfo(domain, null, "MX lookup failed: " + error(a));
        }
        MXRecord best = null;
        for (Record r : a.records()) {
            if (r instanceof MXRecord m && (best == null || m.getPriority() < best.getPriority())) {
                best = m;
            }
        }
        if (best == null) {
            return new MxInfo(domain, null, "no MX record: Thunderbird's MX step has nothing to try");
        }
        String host = best.getTarget().toString().toLowerCase(Locale.ROOT);
        String bare = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        int dot = bare.indexOf('.');
        String parent = dot < 0 ? "" : bare.substring(dot + 1);
        String mx = "MX " + best.getPriority() + " " + host;
        if (parent.isEmpty() || parent.equals(domain) || !parent.contains(".")) {
            return new MxInfo(domain, host, mx + " (in the domain itself: Thunderbird's MX step adds nothing)");
        }
        return new MxInfo(domain, host, mx + "; Thunderbird's MX step tries autoconfig." + parent + ": "
                + (servedHere.test(parent) ? "served by this site, clients would find it"
                : "not a domain of this site (Thunderbird also tries the MX's registrable domain)"));
    }

    private static String error(Answer a) {
        return a.error() != null ? a.error() : Rcode.string(a.rcode());
    }

    private static Name name(String absolute) {
        try {
            return Name.fromString(absolute);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + absolute, e);
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? "network error" : m;
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1e3);
    }
}
