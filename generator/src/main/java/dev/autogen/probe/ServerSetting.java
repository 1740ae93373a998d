package dev.autogen.probe;

/**
 * What a client concluded about one server. {@code security} is {@code SSL} (implicit TLS), {@code STARTTLS} or
 * {@code none}; {@code authentication} uses the client's own vocabulary (e.g. {@code password-cleartext}, {@code SPA},
 * {@code EmailAuthPassword}); {@code username} is null when the client would ask the user.
 */
public record ServerSetting(String role, String protocol, String hostname, int port, String security,
                            String authentication, String username) {

    /** One line for the text report, e.g. {@code incoming IMAP imap.example.com:993 SSL password-cleartext user alice@example.com}. */
    public String describe() {
        return role + " " + protocol + " " + hostname + ":" + port + " " + security + " " + authentication
                + (username == null ? " (asks for the username)" : " user " + username);
    }
}
