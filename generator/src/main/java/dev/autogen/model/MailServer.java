package dev.autogen.model;

import java.util.List;

/**
 * An IMAP, POP3 or SMTP server as clients should use it.
 *
 * @param username login template; may contain {@code %EMAILADDRESS%}, {@code %EMAILLOCALPART%}, {@code %EMAILDOMAIN%}
 * @param authentication methods in order of preference (first is preferred)
 * @param priority lower is preferred
 */
public record MailServer(Protocol protocol, String hostname, int port, Security security,
                         List<Authentication> authentication, String username, int priority) {
    public MailServer {
        authentication = List.copyOf(authentication);
    }

    public enum Protocol {
        IMAP("imap"), POP3("pop3"), SMTP("smtp");

        private final String id;

        Protocol(String id) { this.id = id; }

        /** The spelling used in YAML and in autoconfig's {@code type} attribute. */
        public String id() { return id; }

        public boolean incoming() { return this != SMTP; }
    }

    /** How the connection is protected. */
    public enum Security {
        /** Implicit TLS from the first byte (993, 995, 465). */
        SSL("SSL"),
        /** Plain connection upgraded with STARTTLS (143, 110, 587). */
        STARTTLS("STARTTLS"),
        /** No protection at all. */
        NONE("none");

        private final String id;

        Security(String id) { this.id = id; }

        public String id() { return id; }
    }

    /** Authentication methods, spelled as autoconfig spells them. */
    public enum Authentication {
        PASSWORD_CLEARTEXT("password-cleartext"),
        PASSWORD_ENCRYPTED("password-encrypted"),
        NTLM("NTLM"),
        GSSAPI("GSSAPI"),
        OAUTH2("OAuth2"),
        NONE("none"),
        CLIENT_IP_ADDRESS("client-IP-address"),
        SMTP_AFTER_POP("smtp-after-pop");

        private final String id;

        Authentication(String id) { this.id = id; }

        public String id() { return id; }
    }
}
