package dev.autogen.render;

import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.MailServer.Authentication;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Microsoft Autodiscover (POX) responses with slots: the Outlook schema, the MobileSync schema and the two error
 * documents. The mapping from the model follows the "one model, three formats" tables of clients.md.
 */
public final class AutodiscoverRenderer {
    public static final String OUTLOOK_TEMPLATE = "autodiscover-outlook.ftlx";
    public static final String MOBILESYNC_TEMPLATE = "autodiscover-mobilesync.ftlx";
    public static final String ERROR_TEMPLATE = "autodiscover-error.ftlx";

    /** The error documents the responder needs, by code. */
    public static final Map<Integer, String> ERRORS = Map.of(
            600, "Invalid Request",
            601, "Provider not available");

    private final Templates templates;

    public AutodiscoverRenderer(Templates templates) {
        this.templates = templates;
    }

    /**
     * The Outlook-schema response: one {@code Protocol} per mail server, incoming servers first, each group in priority
     * order (clients use the first {@code Protocol} of each type).
     */
    public String outlook(Domain domain) {
        return templates.render(OUTLOOK_TEMPLATE, outlookModel(domain));
    }

    /** The MobileSync-schema response announcing the ActiveSync URL. */
    public String mobileSync(String activeSyncUrl) {
        return templates.render(MOBILESYNC_TEMPLATE, Map.of("url", Slots.requireLiteral(activeSyncUrl,
                "ActiveSync URL")));
    }

    /** An error response (HTTP 200 with {@code Response/Error}); {@code code} is a key of {@link #ERRORS}. */
    public String error(int code) {
        String message = ERRORS.get(code);
        if (message == null) {
            throw new IllegalArgumentException("no Autodiscover error document for code " + code);
        }
        return templates.render(ERROR_TEMPLATE, Map.of("code", Integer.toString(code), "message", message));
    }

    static Map<String, Object> outlookModel(Domain domain) {
        List<MailServer> servers = new ArrayList<>(domain.serversByPriority());
        servers.sort(Comparator.comparing(s -> !s.protocol().incoming())); // stable: keeps priority order
        // SMTP may share the incoming server's credentials only if both use the same login template.
        String incomingLogin = servers.stream().filter(s -> s.protocol().incoming()).map(MailServer::username)
                .findFirst().orElse(null);
        List<Map<String, Object>> protocols = new ArrayList<>(servers.size());
        for (MailServer server : servers) {
            Authentication auth = outlookAuthentication(server.authentication());
            boolean authRequired = !(auth == Authentication.NONE || auth == Authentication.CLIENT_IP_ADDRESS
                    || auth == Authentication.SMTP_AFTER_POP);
            Map<String, Object> protocol = new HashMap<>();
            protocol.put("type", server.protocol().name()); // IMAP, POP3, SMTP
            protocol.put("server", Slots.requireLiteral(server.hostname(), "hostname"));
            protocol.put("port", Integer.toString(server.port()));
            protocol.put("loginName", Slots.login(server.username()));
            // Outlook and Thunderbird read SPA=on as NTLM; absent means on, so it is always written.
            protocol.put("spa", onOff(auth == Authentication.NTLM));
            // SSL=off would make Thunderbird ignore Encryption=TLS and connect in cleartext: off only for none.
            protocol.put("ssl", onOff(server.security() != MailServer.Security.NONE));
            protocol.put("encryption", switch (server.security()) {
                case SSL -> "SSL"; // implicit TLS; "TLS" here would make Outlook try STARTTLS on 993/465
                case STARTTLS -> "TLS";
                case NONE -> "None";
            });
            protocol.put("authRequired", onOff(authRequired));
            if (server.protocol() == MailServer.Protocol.SMTP) {
                protocol.put("usePopAuth", onOff(authRequired && server.username().equals(incomingLogin)));
                protocol.put("smtpLast", onOff(auth == Authentication.SMTP_AFTER_POP));
            }
            protocols.add(protocol);
        }
        return Map.of("protocols", protocols);
    }

    /**
     * The method Outlook is told about: the first one it can express. OAuth2 has no POX setting, so a server listing
     * OAuth2 first is described by its password fallback (or as a password server when it has none).
     */
    static Authentication outlookAuthentication(List<Authentication> methods) {
        for (Authentication method : methods) {
            if (method != Authentication.OAUTH2) {
                return method;
            }
        }
        return Authentication.PASSWORD_CLEARTEXT;
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }
}
