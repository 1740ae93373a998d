package dev.autogen.responder;

import java.util.HashMap;
import java.util.Map;

/**
 * The responder's JSON answers, written with Jackson ({@link Json}). The Autodiscover v2 answers of a site are
 * written when it is loaded: they depend on the URL only (one per provider, not per domain or address), so the
 * request path just looks one up. The error answers echo the request and are written when sent.
 */
final class JsonAnswers {
    private final Map<String, Responder.Answer> autodiscover = new HashMap<>(), activeSync = new HashMap<>();

    JsonAnswers(Site site) {
        for (Site.Domain d : site.domains().values()) {
            autodiscover.computeIfAbsent(d.autodiscoverUrl(), url -> v2("AutodiscoverV1", url));
            if (d.activeSyncUrl() != null) activeSync.computeIfAbsent(d.activeSyncUrl(), url -> v2("ActiveSync", url));
        }
    }

    /** {@code {"Protocol":"AutodiscoverV1","Url":"..."}} (or ActiveSync) for this URL. */
    Responder.Answer get(boolean v1, String url) {
        Responder.Answer a = (v1 ? autodiscover : activeSync).get(url);
        // A request that read the previous site while the answers were swapped: written now, once.
        return a != null ? a : v2(v1 ? "AutodiscoverV1" : "ActiveSync", url);
    }

    private static Responder.Answer v2(String protocol, String url) {
        return json(200, Json.object(g -> {
            g.writeStringField("Protocol", protocol);
            g.writeStringField("Url", url);
        }));
    }

    static final Responder.Answer INVALID_USER = json(400, Json.object(g -> {
        g.writeStringField("ErrorCode", "InvalidUser");
        g.writeStringField("ErrorMessage", "The given email address is invalid");
    }));

    /** Exchange's answer to an unknown {@code Protocol}, quoting it (escaped). */
    static Responder.Answer invalidProtocol(String protocol) {
        String p = protocol == null ? "" : protocol;
        return json(400, Json.object(g -> {
            g.writeStringField("ErrorCode", "InvalidProtocol");
            g.writeStringField("ErrorMessage", "The given protocol value '" + p + "' is invalid. Supported values are 'AutodiscoverV1'");
        }));
    }

    /** {@code /health}: {@code {"status":"ok","version":"...","domains":N}}. */
    static Responder.Answer health(Site s) {
        return json(200, Json.object(g -> {
            g.writeStringField("status", "ok");
            g.writeStringField("version", s.version());
            g.writeNumberField("domains", s.domains().size());
        }));
    }

    private static Responder.Answer json(int status, byte[] body) {
        return new Responder.Answer(status, Responder.JSON, Responder.NO_STORE, body, null, null);
    }
}
