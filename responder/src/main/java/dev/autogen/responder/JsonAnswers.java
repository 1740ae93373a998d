package dev.autogen.responder;

/**
 * The responder's JSON answers, written with Jackson's streaming generator ({@link Json}) when sent. The Autodiscover
 * v2 answers are not kept per site: their URL is usually per domain, and 100 000 prepared answers cost about 30 MB
 * and a second of start-up (measured), for a route only Outlook asks, once per account set-up.
 */
final class JsonAnswers {
    private JsonAnswers() {}

    /** {@code {"Protocol":"AutodiscoverV1","Url":"..."}} (or ActiveSync). */
    static Responder.Answer v2(String protocol, String url) {
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
        String p = protocol == null ? "" : Json.scalars(protocol);
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
