package dev.autogen.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a PACC client (draft-ietf-mailmaint-pacc) concludes from a document and the {@code _ua-auto-config} TXT
 * records: the document counts only when the SHA-256 of its exact bytes matches one {@code v=UAAC1; a=sha256; d=}
 * record (tag order, spaces, a final {@code ;} and unknown tags do not matter). Then: IMAP on 993, POP3 on 995 and
 * submission on 465, all implicit TLS, login with the whole address. Pure: the fetching is {@link PaccProbe}'s.
 */
public final class PaccRules {
    private PaccRules() {}

    public static final String CLIENT = "PACC client (draft-ietf-mailmaint-pacc)";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param source       the URL the document came from, for the report
     * @param body         the document's exact bytes
     * @param contentType  its Content-Type header, or null
     * @param cors         its Access-Control-Allow-Origin header, or null
     * @param txt          the TXT strings found at {@code _ua-auto-config.<domain>} (each record's strings joined)
     * @param digestSource where {@code txt} came from, for messages (e.g. "DNS" or a zone file)
     * @param address      the address the client sets up (its login)
     */
    public static ClientVerdict check(String source, byte[] body, String contentType, String cors, List<String> txt,
                                      String digestSource, String address) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<ServerSetting> servers = new ArrayList<>();
        String mime = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json")) {
            problems.add("Content-Type is " + (contentType == null ? "missing" : "'" + contentType + "'")
                    + ", expected application/json");
        }
        if (!"*".equals(cors)) {
            notes.add("no Access-Control-Allow-Origin: * header: web-based mail clients cannot read the document");
        }

        String digest = sha256(body);
        List<Map<String, String>> uaac = new ArrayList<>();
        for (String record : txt) {
            Map<String, String> tags = tags(record);
            if ("UAAC1".equalsIgnoreCase(tags.get("v"))) {
                uaac.add(tags);
            }
        }
        boolean matched = uaac.stream().anyMatch(t -> "sha256".equalsIgnoreCase(t.get("a")) && sameDigest(digest, t.get("d")));
        if (uaac.isEmpty()) {
            problems.add("no v=UAAC1 TXT record at _ua-auto-config in " + digestSource
                    + ": clients reject the document (its digest is d=" + digest + ")");
        } else if (!matched) {
            problems.add("the document's SHA-256 d=" + digest + " matches no UAAC1 record in " + digestSource + " ("
                    + String.join(" | ", uaac.stream().map(t -> "d=" + t.get("d")).toList())
                    + "): the document changed and DNS was not updated, or the bytes were altered on the way");
        }

        JsonNode doc;
        try {
            doc = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            problems.add("not valid JSON: " + e.getOriginalMessage());
            return new ClientVerdict(CLIENT, source, servers, problems, notes);
        } catch (IOException e) {
            problems.add("not readable: " + e.getMessage());
            return new ClientVerdict(CLIENT, source, servers, problems, notes);
        }
        if (doc == null || !doc.isObject() || !doc.path("protocols").isObject()) {
            problems.add("not a JSON object with 'protocols'");
            return new ClientVerdict(CLIENT, source, servers, problems, notes);
        }
        JsonNode protocols = doc.get("protocols");
        host(protocols, "imap", "incoming", "IMAP", 993, address, servers, problems);
        host(protocols, "pop3", "incoming", "POP3", 995, address, servers, problems);
        if (protocols.has("submit") && protocols.has("smtp")) {
            notes.add("both 'submit' (draft -03) and 'smtp' (draft -02) are present");
        }
        host(protocols, "submit", "outgoing", "SMTP", 465, address, servers, problems);
        host(protocols, "smtp", "outgoing", "SMTP", 465, address, servers, problems);
        for (String key : List.of("jmap", "caldav", "carddav", "webdav")) {
            JsonNode n = protocols.get(key);
            if (n != null) {
                String url = n.path("url").asText("");
                if (!url.startsWith("https://")) {
                    problems.add("protocols." + key + ".url '" + url + "' is not an https:// URL");
                } else {
                    notes.add(key + " " + url);
                }
            }
        }
        boolean incoming = protocols.has("imap") || protocols.has("pop3") || protocols.has("jmap");
        boolean outgoing = protocols.has("submit") || protocols.has("smtp") || protocols.has("jmap");
        if (!incoming || !outgoing) {
            problems.add("no " + (!incoming ? "incoming (imap, pop3, jmap)" : "outgoing (submit, smtp, jmap)")
                    + " server: nothing a mail client can set up");
        }
        JsonNode auth = doc.path("authentication");
        if (!auth.path("password").asBoolean(false) && !auth.path("oauth-public").path("issuer").isTextual()) {
            problems.add("authentication offers neither password: true nor oauth-public.issuer");
        }
        JsonNode provider = doc.path("info").path("provider");
        if (provider.path("name").asText("").length() > 60 || provider.path("shortName").asText("").length() > 20) {
            notes.add("info.provider name over 60 or shortName over 20 characters: clients may cut them");
        }
        return new ClientVerdict(CLIENT, source, servers, problems, notes);
    }

    private static void host(JsonNode protocols, String key, String role, String protocol, int port, String address,
                             List<ServerSetting> servers, List<String> problems) {
        JsonNode n = protocols.get(key);
        if (n == null) {
            return;
        }
        String host = n.path("host").asText("");
        if (host.isEmpty() || !host.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
            problems.add("protocols." + key + ".host '" + host + "' is not a host name");
            return;
        }
        servers.add(new ServerSetting(role, protocol, host, port, "SSL", "password", address));
    }

    /**
     * The tags of a UAAC1 TXT record, keys lower-cased; the first of a repeated tag wins. Order, spaces around
     * {@code ;}, a final {@code ;} and unknown tags do not matter. Also used by {@code autogen dns check}.
     */
    public static Map<String, String> tags(String record) {
        Map<String, String> tags = new HashMap<>();
        for (String part : record.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                tags.putIfAbsent(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
            }
        }
        return tags;
    }

    /** Whether two base64 digests are the same bytes (a malformed one never matches). */
    public static boolean sameDigest(String digest, String found) {
        if (found == null) {
            return false;
        }
        try {
            return Arrays.equals(Base64.getDecoder().decode(digest), Base64.getDecoder().decode(found));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String sha256(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide SHA-256", e);
        }
    }
}
