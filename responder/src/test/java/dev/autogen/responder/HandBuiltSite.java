package dev.autogen.responder;

import dev.autogen.pack.DocEncoding;
import dev.autogen.pack.DocPack;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a small site by hand, exactly as docs/site-format.md describes it, for edge cases the real generator
 * would never produce (and for tests that need an LDAP directory at a test-chosen URL).
 *
 * Domains: example.com (ActiveSync, no LDAP), example.net (same documents, no ActiveSync), corp.example
 * (LDAP directory "corp").
 */
final class HandBuiltSite {

    static final String AUTOCONFIG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <clientConfig version="1.1">
              <emailProvider id="example.com">
                <domain>{{domain}}</domain>
                <displayName>Example &amp; Co</displayName>
                <incomingServer type="imap">
                  <hostname>imap.example.com</hostname>
                  <port>993</port>
                  <socketType>SSL</socketType>
                  <authentication>password-cleartext</authentication>
                  <username>{{login:%EMAILADDRESS%}}</username>
                </incomingServer>
                <outgoingServer type="smtp">
                  <hostname>smtp.example.com</hostname>
                  <port>465</port>
                  <socketType>SSL</socketType>
                  <authentication>password-cleartext</authentication>
                  <username>{{login:%EMAILLOCALPART%+%EMAILDOMAIN%}}</username>
                </outgoingServer>
              </emailProvider>
            </clientConfig>
            """;

    static final String OUTLOOK = """
            <?xml version="1.0" encoding="utf-8"?>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
              <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
                <User><DisplayName>{{name}}</DisplayName></User>
                <Account>
                  <AccountType>email</AccountType>
                  <Action>settings</Action>
                  <Protocol>
                    <Type>IMAP</Type><Server>imap.example.com</Server><Port>993</Port>
                    <LoginName>{{login:%EMAILADDRESS%}}</LoginName>
                    <DomainRequired>off</DomainRequired><SPA>off</SPA><SSL>on</SSL><Encryption>SSL</Encryption><AuthRequired>on</AuthRequired>
                  </Protocol>
                </Account>
              </Response>
            </Autodiscover>
            """;

    static final String MOBILESYNC = """
            <?xml version="1.0" encoding="utf-8"?>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
              <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006">
                <Culture>en:us</Culture>
                <User><DisplayName>{{name}}</DisplayName><EMailAddress>{{address}}</EMailAddress></User>
                <Action><Settings><Server><Type>MobileSync</Type><Url>https://eas.example.com/Microsoft-Server-ActiveSync</Url><Name>https://eas.example.com/Microsoft-Server-ActiveSync</Name></Server></Settings></Action>
              </Response>
            </Autodiscover>
            """;

    static final String PROFILE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">
            <dict>
              <key>PayloadContent</key>
              <array>
                <dict>
                  <key>EmailAccountType</key><string>EmailTypeIMAP</string>
                  <key>EmailAccountName</key><string>{{name}}</string>
                  <key>EmailAddress</key><string>{{address}}</string>
                  <key>IncomingMailServerHostName</key><string>imap.example.com</string>
                  <key>IncomingMailServerPortNumber</key><integer>993</integer>
                  <key>IncomingMailServerUseSSL</key><true/>
                  <key>IncomingMailServerAuthentication</key><string>EmailAuthPassword</string>
                  <key>IncomingMailServerUsername</key><string>{{login:%EMAILADDRESS%}}</string>
                  <key>OutgoingMailServerHostName</key><string>smtp.example.com</string>
                  <key>OutgoingMailServerAuthentication</key><string>EmailAuthPassword</string>
                  <key>PayloadType</key><string>com.apple.mail.managed</string>
                  <key>PayloadVersion</key><integer>1</integer>
                  <key>PayloadIdentifier</key><string>com.example.autogen.{{domain}}.mail</string>
                  <key>PayloadUUID</key><string>{{uuid:mail}}</string>
                </dict>
              </array>
              <key>PayloadIdentifier</key><string>com.example.autogen.{{domain}}</string>
              <key>PayloadType</key><string>Configuration</string>
              <key>PayloadUUID</key><string>{{uuid:profile}}</string>
              <key>PayloadVersion</key><integer>1</integer>
            </dict>
            </plist>
            """;

    static String error(int code, String message) {
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
                  <Response>
                    <Error Time="{{time}}" Id="{{requestid}}">
                      <ErrorCode>%d</ErrorCode>
                      <Message>%s</Message>
                      <DebugData />
                    </Error>
                  </Response>
                </Autodiscover>
                """.formatted(code, message);
    }

    private final Map<String, String> docs = new LinkedHashMap<>(); // relative path under private/ -> content
    private final StringBuilder index = new StringBuilder(SiteLoader.HEADER + "\n");
    private final Map<String, String> ldap = new LinkedHashMap<>();

    /** The standard three-domain site; {@code ldapUrl} null gives corp.example a directory nobody listens on. */
    static HandBuiltSite standard(String ldapUrl, String extraLdapProperties) {
        HandBuiltSite s = new HandBuiltSite();
        String ac = s.doc(AUTOCONFIG, "xml"), ol = s.doc(OUTLOOK, "xml"), ms = s.doc(MOBILESYNC, "xml"), pl = s.doc(PROFILE, "plist");
        s.line("corp.example", "corp.example", ac, ol, "-", pl, "corp", "https://autodiscover.corp.example/autodiscover/autodiscover.xml", "-");
        s.line("example.com", "example.com", ac, ol, ms, pl, "-", "https://autodiscover.example.com/autodiscover/autodiscover.xml", "https://eas.example.com/Microsoft-Server-ActiveSync");
        s.line("example.net", "example.com", ac, ol, "-", pl, "-", "https://autodiscover.example.com/autodiscover/autodiscover.xml", "-");
        s.ldap.put("corp", "url=" + (ldapUrl == null ? "ldap://127.0.0.1:1" : ldapUrl) + "\nstartTls=false\nbaseDn=dc=corp,dc=example\n"
                + "filter=(&(objectClass=inetOrgPerson)(mail=%EMAILADDRESS%))\nuidAttribute=uid\ncnAttribute=cn\n"
                + "bindDn=cn=reader,dc=corp,dc=example\nbindPassword=s3cret\nconnectTimeoutMillis=500\n"
                + "responseTimeoutMillis=500\ncacheTtlSeconds=60\n" + (extraLdapProperties == null ? "" : extraLdapProperties));
        return s;
    }

    String doc(String content, String ext) {
        String path = "docs/" + sha256(content) + "." + ext;
        docs.put(path, content);
        return path;
    }

    /** Any other file under {@code private/} (e.g. {@code ldap/corp.ca.pem}), written as given. */
    HandBuiltSite privateFile(String path, String content) {
        docs.put(path, content);
        return this;
    }

    HandBuiltSite line(String... columns) {
        index.append(String.join("\t", columns)).append('\n');
        return this;
    }

    HandBuiltSite rawIndex(String content) {
        index.setLength(0);
        index.append(content);
        return this;
    }

    /** Writes {@code out/v-<version>/...} and points {@code out/current} at it atomically. */
    Path publish(Path out, String version) throws IOException {
        Path v = out.resolve("v-" + version);
        Path priv = v.resolve("private");
        Files.createDirectories(priv.resolve("docs"));
        Files.createDirectories(priv.resolve("errors"));
        Files.createDirectories(priv.resolve("ldap"));
        Map<String, java.util.TreeMap<String, String>> packs = new java.util.TreeMap<>();
        for (var e : docs.entrySet()) {
            if (e.getKey().startsWith("docs/")) {
                packs.computeIfAbsent(DocPack.shardOf(e.getKey()), k -> new java.util.TreeMap<>()).put(e.getKey(), e.getValue());
            } else {
                Files.writeString(priv.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            }
        }
        for (var p : packs.entrySet()) Files.write(priv.resolve(DocPack.fileName(p.getKey())), pack(p.getValue()));
        Files.writeString(priv.resolve("errors/autodiscover-600.xml"), error(600, "Invalid Request"));
        Files.writeString(priv.resolve("errors/autodiscover-601.xml"), error(601, "Provider is not available"));
        for (var e : ldap.entrySet()) Files.writeString(priv.resolve("ldap/" + e.getKey() + ".properties"), e.getValue());
        Files.writeString(priv.resolve("domains.tsv"), index.toString(), StandardCharsets.UTF_8);
        switchTo(out, version);
        return v;
    }

    /** A document pack of these documents (name → text), in pack order, as docs/site-format.md describes it. */
    static byte[] pack(java.util.SortedMap<String, String> docs) {
        List<String> names = new ArrayList<>(docs.keySet());
        names.sort(DocPack.ORDER);
        List<byte[]> encoded = new ArrayList<>();
        for (String name : names) encoded.add(DocEncoding.encode(docs.get(name), DocEncoding.Context.ofName(name)));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(DocPack.header(names, encoded.stream().mapToInt(b -> b.length).toArray()));
        encoded.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static void switchTo(Path out, String version) throws IOException {
        Path tmp = out.resolve(".current-" + version);
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, Path.of("v-" + version));
        Files.move(tmp, out.resolve("current"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
