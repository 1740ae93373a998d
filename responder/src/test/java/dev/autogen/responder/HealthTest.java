package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autogen.text.IoErrors;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health} says which version is served and which one {@code current} names; "degraded" with HTTP 503 and
 * the reason while they differ (the web server serves the new static files, the responder the old documents), "ok"
 * again once a good version is current. {@code /metrics} shows the same.
 */
class HealthTest {

    @TempDir Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode health(TestServer s, int expectedStatus) throws Exception {
        HttpResponse<String> r = s.get("/health");
        assertEquals(expectedStatus, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    private static JsonNode awaitHealth(TestServer s, String status) throws Exception {
        JsonNode h = null;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = s.get("/health");
            h = JSON.readTree(r.body());
            if (h.path("status").asText().equals(status)) break;
            Thread.sleep(100);
        }
        return h;
    }

    @Test
    void degradedWithTheReasonWhileCurrentIsRefusedOkAgainAfterAGoodVersion() throws Exception {
        ReloadTest.withImapHost("imap1.example.com").publish(dir, "1111111111111111");
        try (TestServer s = new TestServer(dir)) {
            JsonNode ok = health(s, 200);
            assertEquals("ok", ok.path("status").asText());
            assertEquals("1111111111111111", ok.path("version").asText());
            assertEquals("1111111111111111", ok.path("current").asText());
            assertFalse(ok.has("reason"));

            // A version whose index names a document that is not there: refused, the old one keeps serving.
            HandBuiltSite broken = ReloadTest.withImapHost("imap2.example.com");
            String missing = "docs/" + "0".repeat(64) + ".xml";
            broken.line("broken.example", "x", missing, missing, "-", "docs/" + "0".repeat(64) + ".plist", "-",
                    "https://x.example/autodiscover/autodiscover.xml", "-");
            broken.publish(dir, "2222222222222222");
            JsonNode degraded = awaitHealth(s, "degraded");
            assertEquals("degraded", degraded.path("status").asText(), degraded.toString());
            assertEquals(503, s.get("/health").statusCode());
            assertEquals("1111111111111111", degraded.path("version").asText());
            assertEquals("2222222222222222", degraded.path("current").asText());
            String reason = degraded.path("reason").asText();
            assertTrue(reason.startsWith("refused site 2222222222222222: "), reason);
            assertTrue(reason.contains("docs/00.pack: missing"), reason);
            assertFalse(reason.matches(".*\\b(java|Exception)\\b.*"), reason);
            String metrics = s.get("/metrics").body();
            assertTrue(metrics.contains("\nautogen_site_degraded 1.0\n"), metrics);
            assertTrue(metrics.contains("autogen_site_current_info{version=\"2222222222222222\"} 1"), metrics);
            // Still answering from the old version meanwhile.
            assertEquals(200, s.get("/mail/config-v1.1.xml?emailaddress=u@example.com").statusCode());

            ReloadTest.withImapHost("imap3.example.com").publish(dir, "3333333333333333");
            JsonNode back = awaitHealth(s, "ok");
            assertEquals("ok", back.path("status").asText(), back.toString());
            assertEquals(200, s.get("/health").statusCode());
            assertEquals("3333333333333333", back.path("version").asText());
            assertEquals("3333333333333333", back.path("current").asText());
            assertTrue(s.get("/metrics").body().contains("\nautogen_site_degraded 0.0\n"));
        }
    }

    @Test
    void pointingCurrentBackAtTheServedVersionIsOkAgain() throws Exception {
        ReloadTest.withImapHost("imap1.example.com").publish(dir, "1111111111111111");
        try (TestServer s = new TestServer(dir)) {
            new HandBuiltSite().rawIndex("not an index\n").publish(dir, "2222222222222222");
            JsonNode degraded = awaitHealth(s, "degraded");
            assertTrue(degraded.path("reason").asText().contains("domains.tsv:1: first line must be"), degraded.toString());
            HandBuiltSite.switchTo(dir, "1111111111111111");
            JsonNode ok = awaitHealth(s, "ok");
            assertEquals("1111111111111111", ok.path("current").asText(), ok.toString());
        }
    }

    @Test
    void aLostCurrentLinkIsDegradedWithTheCause() throws Exception {
        ReloadTest.withImapHost("imap1.example.com").publish(dir, "1111111111111111");
        try (TestServer s = new TestServer(dir)) {
            Files.delete(dir.resolve("current"));
            JsonNode degraded = awaitHealth(s, "degraded");
            assertTrue(degraded.path("reason").asText().endsWith("current: no such file or directory"), degraded.toString());
            assertEquals("1111111111111111", degraded.path("version").asText());
            HandBuiltSite.switchTo(dir, "1111111111111111");
            assertEquals("ok", awaitHealth(s, "ok").path("status").asText());
        }
    }

    /** Tests run as root on CI, where a mode cannot deny a read: the wording of the cause is checked directly. */
    @Test
    void causesAreWordsNotClassNames() {
        assertEquals("permission denied", IoErrors.reason(new AccessDeniedException("/x")));
        assertEquals("/x: permission denied", IoErrors.describe(new AccessDeniedException("/x")));
        assertEquals("is a directory", IoErrors.describe(new java.io.IOException("Is a directory")));
    }
}
