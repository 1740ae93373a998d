package dev.autogen.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.w3c.dom.Element;

import java.io.IOException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How Outlook reads an Autodiscover (POX, Outlook schema) answer, per clients.md: {@code SSL} and {@code SPA} default
 * to on when absent, {@code Encryption} overrides {@code SSL}, errors come as HTTP 200 with {@code Response/Error}.
 * Also flags the documents Thunderbird (which reads this format too) would turn into a cleartext connection.
 */
public final class AutodiscoverRules {
    private AutodiscoverRules() {}

    static final String OUTLOOK = "Outlook";
    static final String RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
    static final String OUTLOOK_RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
    private static final Set<Integer> IMPLICIT_TLS_PORTS = Set.of(993, 995, 465);

    public static ClientVerdict outlook(String source, byte[] body) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<ServerSetting> servers = new ArrayList<>();
        try {
            evaluate(body, servers, problems, notes);
        } catch (ProbeException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            servers.clear();
        }
        return new ClientVerdict(OUTLOOK, source, servers, problems, notes);
    }

    private static void evaluate(byte[] body, List<ServerSetting> servers, List<String> problems, List<String> notes) {
        Element root = SafeXml.parse(body).getDocumentElement();
        if (!"Autodiscover".equals(root.getLocalName()) || !RESPONSE_NS.equals(root.getNamespaceURI())) {
            throw new ProbeException("the root element is not <Autodiscover> in " + RESPONSE_NS);
        }
        if (root.getPrefix() != null) {
            problems.add("the root element is prefixed (<" + root.getTagName() + ">): Thunderbird does not understand it");
        }
        Element response = SafeXml.child(root, "Response");
        if (response == null) {
            throw new ProbeException("<Autodiscover> has no <Response>");
        }
        Element error = SafeXml.child(response, "Error");
        if (error != null) {
            throw new ProbeException("Autodiscover error " + SafeXml.text(error, "ErrorCode") + ": "
                    + SafeXml.text(error, "Message"));
        }
        if (!OUTLOOK_RESPONSE_NS.equals(response.getNamespaceURI())) {
            throw new ProbeException("<Response> is in namespace " + response.getNamespaceURI() + ", not the Outlook"
                    + " response schema " + OUTLOOK_RESPONSE_NS);
        }
        Element account = SafeXml.child(response, "Account");
        if (account == null) {
            throw new ProbeException("<Response> has no <Account>");
        }
        String accountType = text(account, "AccountType");
        if (!"email".equals(accountType)) {
            problems.add("AccountType is \"" + accountType + "\", not email");
        }
        String action = text(account, "Action");
        if ("redirectAddr".equals(action) || "redirectUrl".equals(action)) {
            throw new ProbeException("Action " + action + " (to " + text(account, "redirectAddr".equals(action)
                    ? "RedirectAddr" : "RedirectUrl") + "): current Thunderbird does not follow redirects; probe that target");
        }
        if (!"settings".equals(action)) {
            problems.add("Action is \"" + action + "\", not settings");
        }
        boolean incoming = false;
        boolean outgoing = false;
        for (Element protocol : SafeXml.children(account, "Protocol")) {
            ServerSetting s = protocol(protocol, problems, notes);
            if (s != null) {
                servers.add(s);
                incoming |= s.role().equals("incoming");
                outgoing |= s.role().equals("outgoing");
            }
        }
        if (!incoming) {
            problems.add("no IMAP or POP3 <Protocol>");
        }
        if (!outgoing) {
            problems.add("no SMTP <Protocol>");
        }
    }

    private static ServerSetting protocol(Element protocol, List<String> problems, List<String> notes) {
        String type = text(protocol, "Type");
        if (type == null || !Set.of("IMAP", "POP3", "SMTP").contains(type)) {
            notes.add("Protocol type " + type + " is not a mail protocol Outlook configures: ignored");
            return null;
        }
        String server = text(protocol, "Server");
        String portText = text(protocol, "Port");
        String where = type + " " + server + ": ";
        if (server == null || !AutoconfigRules.isHostname(server)) {
            problems.add(where + "<Server> is missing or not a host name");
            return null;
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            problems.add(where + "<Port> \"" + portText + "\" is not a number");
            return null;
        }
        String ssl = text(protocol, "SSL");
        String spa = text(protocol, "SPA");
        String encryption = text(protocol, "Encryption");
        if (ssl == null) {
            problems.add(where + "<SSL> is absent: Outlook assumes on; write it explicitly");
        }
        if (spa == null) {
            problems.add(where + "<SPA> is absent: Outlook assumes on (NTLM); write it explicitly");
        }
        String security;
        if (encryption != null) {
            security = switch (encryption.toLowerCase(Locale.ROOT)) {
                case "ssl" -> "SSL";
                case "tls" -> "STARTTLS";
                case "none" -> "none";
                case "auto" -> "auto";
                default -> {
                    problems.add(where + "<Encryption> \"" + encryption + "\" is not SSL, TLS, None or Auto");
                    yield "unknown";
                }
            };
        } else {
            security = "off".equalsIgnoreCase(ssl) ? "none" : "SSL";
        }
        if (security.equals("STARTTLS") && IMPLICIT_TLS_PORTS.contains(port)) {
            problems.add(where + "Encryption TLS (STARTTLS) on implicit-TLS port " + port + ": Outlook cannot connect");
        }
        if ("off".equalsIgnoreCase(ssl) && encryption != null && !encryption.equalsIgnoreCase("none")) {
            problems.add(where + "SSL off with Encryption " + encryption + ": Thunderbird obeys SSL off and connects"
                    + " in cleartext");
        }
        String auth;
        if ("on".equalsIgnoreCase(spa) || spa == null) {
            auth = "SPA (NTLM)";
        } else if ("off".equalsIgnoreCase(text(protocol, "AuthRequired"))) {
            auth = "none";
        } else {
            auth = "password";
        }
        String login = text(protocol, "LoginName");
        if (login == null) {
            notes.add(where + "no <LoginName>: Outlook logs in with the email address");
        }
        String role = type.equals("SMTP") ? "outgoing" : "incoming";
        return new ServerSetting(role, type, server, port, security, auth, login);
    }

    /** Strict: a repeated key or anything after the object is an error, as it would be for a careful client. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * What Outlook needs from an Autodiscover v2 answer ({@code {"Protocol":"AutodiscoverV1","Url":"https://..."}}):
     * the problems, empty when it would use the answer.
     */
    public static List<String> v2Json(byte[] body) {
        List<String> problems = new ArrayList<>();
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            problems.add("not JSON: " + e.getOriginalMessage().lines().findFirst().orElse("") + where);
            return problems;
        } catch (IOException e) {
            problems.add("not JSON: " + e.getMessage());
            return problems;
        }
        if (json == null || !json.isObject()) {
            problems.add("the answer is not a JSON object");
            return problems;
        }
        JsonNode protocol = json.get("Protocol");
        if (protocol == null || !protocol.isTextual() || !"AutodiscoverV1".equals(protocol.textValue())) {
            problems.add("Protocol is " + protocol + ", expected \"AutodiscoverV1\"");
        }
        JsonNode url = json.get("Url");
        if (url == null || !url.isTextual() || !url.textValue().startsWith("https://")) {
            problems.add("Url " + url + " is not an https:// URL");
        }
        return problems;
    }

    private static String text(Element parent, String name) {
        String value = SafeXml.text(parent, name);
        return value == null ? null : value.strip();
    }
}
