package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a real responder, parsed strictly as Prometheus text format 0.0.4: every line is a HELP, a
 * TYPE or a sample of a declared family; label values are properly quoted; histogram buckets are cumulative and end
 * in {@code +Inf} equal to {@code _count}. Checks today's series names, the JVM series and the per-route histogram.
 */
class MetricsTest {

    @TempDir Path dir;

    /** One sample line: name, labels (in order), value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** One parsed exposition: family name to TYPE, and every sample. */
    record Exposition(Map<String, String> types, List<Sample> samples) {
        List<Sample> named(String name) {
            return samples.stream().filter(s -> s.name.equals(name)).toList();
        }

        double value(String name, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name.equals(name) && s.labels.equals(labels)).findFirst()
                    .orElseThrow(() -> new AssertionError("no sample " + name + labels)).value;
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    static Exposition parse(String text) {
        assertTrue(text.endsWith("\n"), "exposition must end with a newline");
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> helped = new java.util.HashSet<>();
        List<Sample> samples = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            String where = "line " + n + ": " + line;
            if (line.startsWith("# HELP ")) {
                String name = line.substring(7).split(" ", 2)[0];
                assertTrue(NAME.matcher(name).matches(), where);
                assertTrue(helped.add(name), "HELP twice: " + where);
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                assertEquals(2, parts.length, where);
                assertTrue(NAME.matcher(parts[0]).matches(), where);
                assertTrue(TYPES.contains(parts[1]), where);
                assertEquals(null, types.put(parts[0], parts[1]), "TYPE twice: " + where);
            } else if (line.startsWith("#") || line.isEmpty()) {
                assertFalse(line.isEmpty(), "empty line: " + where);
            } else {
                Matcher m = SAMPLE.matcher(line);
                assertTrue(m.matches(), "not a sample: " + where);
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(3) != null && !m.group(3).isEmpty()) {
                    Matcher l = LABEL.matcher(m.group(3));
                    int pos = 0;
                    while (pos < m.group(3).length()) {
                        assertTrue(l.find(pos) && l.start() == pos, "bad labels: " + where);
                        assertEquals(null, labels.put(l.group(1), l.group(2)), "label twice: " + where);
                        pos = l.end();
                    }
                }
                String value = m.group(4);
                double v = switch (value) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    case "NaN" -> Double.NaN;
                    default -> {
                        try {
                            yield Double.parseDouble(value);
                        } catch (NumberFormatException e) {
                            throw new AssertionError("not a number: " + where);
                        }
                    }
                };
                String family = family(m.group(1), types);
                assertNotNull(family, "sample of an undeclared family (no TYPE before it): " + where);
                samples.add(new Sample(m.group(1), labels, v));
            }
        }
        Exposition e = new Exposition(types, samples);
        types.forEach((name, type) -> {
            if (type.equals("histogram")) checkHistogram(e, name);
        });
        return e;
    }

    /** The declared family a sample belongs to: its own name, or a histogram/summary's with a suffix. */
    private static String family(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) return sample;
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket")) return base;
            }
        }
        return null;
    }

    /** Per label set: buckets ascending in le, counts non-decreasing, +Inf present and equal to _count. */
    private static void checkHistogram(Exposition e, String name) {
        Map<Map<String, String>, TreeMap<Double, Double>> series = new HashMap<>();
        for (Sample s : e.named(name + "_bucket")) {
            Map<String, String> rest = new LinkedHashMap<>(s.labels);
            String le = rest.remove("le");
            assertNotNull(le, name + " bucket without le");
            series.computeIfAbsent(rest, k -> new TreeMap<>())
                    .put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), s.value);
        }
        assertFalse(series.isEmpty(), name + " has no buckets");
        series.forEach((labels, buckets) -> {
            double previous = 0;
            for (double count : buckets.values()) {
                assertTrue(count >= previous, name + labels + " buckets are not cumulative: " + buckets);
                previous = count;
            }
            assertTrue(buckets.containsKey(Double.POSITIVE_INFINITY), name + labels + " has no +Inf bucket");
            assertEquals(buckets.get(Double.POSITIVE_INFINITY), e.value(name + "_count", labels), name + labels);
            e.value(name + "_sum", labels);
        });
    }

    @Test
    void metricsAreStrictPrometheusTextWithTodaysNamesJvmSeriesAndRequestHistograms() throws Exception {
        HandBuiltSite.standard(null, null).publish(dir, "0123456789abcdef");
        try (TestServer server = new TestServer(dir)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, server.get("/mail/config-v1.1.xml?emailaddress=secret-user@example.com").statusCode());
            }
            assertEquals(404, server.get("/mail/config-v1.1.xml?emailaddress=a@unknown.example").statusCode());
            assertEquals(200, server.get("/autodiscover/autodiscover.json?Email=a@example.com&Protocol=AutodiscoverV1").statusCode());
            assertEquals(200, server.get("/health").statusCode());

            HttpResponse<String> r = server.get("/metrics");
            assertEquals(200, r.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
            String body = r.body();
            assertFalse(body.contains("secret-user"), "addresses never appear in metrics");
            assertFalse(body.contains("@"));
            Exposition e = parse(body);

            // Today's series, same names and types.
            assertEquals("counter", e.types.get("autogen_requests_total"));
            assertEquals(3.0, e.value("autogen_requests_total", Map.of("route", "autoconfig", "status", "200")));
            assertEquals(1.0, e.value("autogen_requests_total", Map.of("route", "autoconfig", "status", "404")));
            assertEquals(1.0, e.value("autogen_requests_total", Map.of("route", "autodiscover-json", "status", "200")));
            assertEquals("counter", e.types.get("autogen_ldap_lookups_total"));
            assertEquals("counter", e.types.get("autogen_ldap_failures_total"));
            assertEquals("histogram", e.types.get("autogen_ldap_lookup_seconds"));
            assertEquals(0.0, e.value("autogen_ldap_lookup_seconds_count", Map.of()));
            assertEquals("gauge", e.types.get("autogen_site_info"));
            assertEquals(1.0, e.value("autogen_site_info", Map.of("version", "0123456789abcdef")));
            assertEquals("gauge", e.types.get("autogen_site_domains"));
            assertEquals(3.0, e.value("autogen_site_domains", Map.of()));
            assertEquals("counter", e.types.get("autogen_site_reloads_total"));
            assertEquals(0.0, e.value("autogen_site_reloads_total", Map.of()));
            assertEquals("counter", e.types.get("autogen_site_reload_failures_total"));

            // New: a request-duration histogram per route.
            assertEquals("histogram", e.types.get("autogen_request_duration_seconds"));
            assertEquals(4.0, e.value("autogen_request_duration_seconds_count", Map.of("route", "autoconfig")));
            assertEquals(1.0, e.value("autogen_request_duration_seconds_count", Map.of("route", "health")));
            assertTrue(e.value("autogen_request_duration_seconds_sum", Map.of("route", "autoconfig")) > 0);

            // New: the JVM's own series, what an operator looks at first.
            for (String jvm : new String[] {"jvm_memory_used_bytes", "jvm_threads_current", "jvm_gc_collection_seconds",
                    "jvm_runtime_info", "process_cpu_seconds_total"}) {
                assertTrue(e.types.containsKey(jvm), jvm + " missing; families: " + e.types.keySet());
            }
            assertFalse(e.named("jvm_memory_used_bytes").isEmpty());
        }
    }

    @Test
    void theParserRejectsWhatIsNotTheTextFormat() {
        for (String bad : new String[] {"foo 1\n", "# TYPE foo counter\nfoo{a=\"x} 1\n", "# TYPE foo counter\nfoo one\n",
                "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 0\n",
                "# TYPE foo counter\nfoo 1"}) {
            boolean rejected;
            try {
                parse(bad);
                rejected = false;
            } catch (AssertionError expected) {
                rejected = true;
            }
            assertTrue(rejected, "accepted: " + bad);
        }
    }
}
