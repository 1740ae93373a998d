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

    /**
     * {@code /health}: {@code {"status":"ok","version":"<served>","current":"<what current names>","domains":N}};
     * HTTP 503 with {@code "status":"degraded"} and {@code "reason"} while {@code current} names a version that is
     * not served ({@link SiteStatus}).
     */
    static Responder.Answer health(Site s, SiteStatus status) {
        SiteStatus.State st = status.state();
        boolean ok = st.problem() == null;
        return json(ok ? 200 : 503, Json.object(g -> {
            g.writeStringField("status", ok ? "ok" : "degraded");
            g.writeStringField("version", s.version());
            if (st.current() != null) g.writeStringField("current", st.current());
            g.writeNumberField("domains", s.domains().size());
            if (!ok) g.writeStringField("reason", st.problem());
        }));
    }

    private static Responder.Answer json(int status, byte[] body) {
        return new Responder.Answer(status, Responder.JSON, Responder.NO_STORE, body, null, null);
    }
}
