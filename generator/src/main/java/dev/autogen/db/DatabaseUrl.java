package dev.autogen.db;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a database is: parsed from a JDBC URL ({@code jdbc:sqlite:}, {@code jdbc:postgresql:}, {@code jdbc:mariadb:},
 * {@code jdbc:mysql:}) or from automx2's SQLAlchemy URL ({@code sqlite:////abs/path},
 * {@code postgresql+psycopg2://user:pass@host/db}, {@code mysql+pymysql://...}). The password never appears in
 * {@link #toString()}; {@link #redact(String)} removes it from any message (driver messages included).
 */
public final class DatabaseUrl {
    /** The database products autogen can read. MySQL is read with the MariaDB driver. */
    public enum Dialect { SQLITE, POSTGRESQL, MARIADB }

    // SQLAlchemy's URL grammar: dialect[+driver]://[user[:password]@][host|[ipv6]][:port][/database][?query]
    private static final Pattern SQLALCHEMY = Pattern.compile("([A-Za-z][A-Za-z0-9]*)(?:\\+[A-Za-z0-9_]+)?://(.*)",
            Pattern.DOTALL);
    private static final Pattern SERVER_PART = Pattern.compile(
            "(?:([^:/@]*)(?::([^@]*))?@)?(?:\\[([^\\]/?]+)\\]|([^/:?\\[]*))(?::([0-9]*))?(?:/([^?]*))?(?:\\?(.*))?",
            Pattern.DOTALL);
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)((?:password|pass|pwd)=)[^&;]*");
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^:/@]*:)[^@/]*@");

    private final Dialect dialect;
    private final String jdbcUrl;
    private final Properties properties;
    private final String display;
    private final Optional<Path> sqliteFile;
    private final Optional<String> password;

    private DatabaseUrl(Dialect dialect, String jdbcUrl, Properties properties, String display,
                        Optional<Path> sqliteFile, Optional<String> password) {
        this.dialect = dialect;
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
        this.display = display;
        this.sqliteFile = sqliteFile;
        this.password = password.filter(p -> !p.isEmpty());
    }

    /**
     * @throws DatabaseUrlException when the URL is not one of the accepted forms (the message never shows a password)
     */
    public static DatabaseUrl parse(String url) throws DatabaseUrlException {
        if (url == null || url.isBlank()) {
            throw new DatabaseUrlException("empty database URL");
        }
        String trimmed = url.strip();
        if (trimmed.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return parseJdbc(trimmed);
        }
        Matcher m = SQLALCHEMY.matcher(trimmed);
        if (!m.matches()) {
            throw new DatabaseUrlException("not a database URL: " + redactUrl(trimmed)
                    + " (expected e.g. sqlite:////var/lib/automx2/db.sqlite, postgresql://user@host/db,"
                    + " mysql://user@host/db or a jdbc: URL)");
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        String rest = m.group(2);
        return switch (scheme) {
            case "sqlite" -> sqlite(rest, trimmed);
            case "postgresql", "postgres" -> server(Dialect.POSTGRESQL, "postgresql", rest, trimmed);
            case "mysql", "mariadb" -> server(Dialect.MARIADB, scheme, rest, trimmed);
            default -> throw new DatabaseUrlException("unsupported database '" + scheme + "' in " + redactUrl(trimmed)
                    + " (supported: sqlite, postgresql, mysql, mariadb)");
        };
    }

    public Dialect dialect() { return dialect; }

    /** The URL given to the JDBC driver (may contain a password: never print it). */
    String jdbcUrl() { return jdbcUrl; }

    /** User, password and driver settings for the connection (a copy). */
    Properties connectionProperties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /** The SQLite database file, when the URL names one. */
    public Optional<Path> sqliteFile() { return sqliteFile; }

    /** Removes the password (when there is one) from {@code message}, e.g. a driver's error text. */
    public String redact(String message) {
        if (message == null) {
            return "";
        }
        String out = redactUrl(message);
        if (password.isPresent()) {
            out = out.replace(password.get(), "****");
        }
        return out;
    }

    /** A short form for messages: {@code postgresql://user@host:port/db}, {@code sqlite:/path}; never a password. */
    @Override
    public String toString() { return display; }

    // ---- SQLAlchemy URLs ----

    private static DatabaseUrl sqlite(String rest, String original) throws DatabaseUrlException {
        int q = rest.indexOf('?');
        if (q >= 0) {
            throw new DatabaseUrlException("SQLite URL parameters are not supported: " + original);
        }
        // sqlite:///relative/path → "/relative/path"; sqlite:////absolute/path → "//absolute/path"
        if (rest.isEmpty() || rest.equals("/") || rest.equals("/:memory:")) {
            throw new DatabaseUrlException(original + " is an in-memory database: it holds no data to read");
        }
        if (!rest.startsWith("/")) {
            throw new DatabaseUrlException("SQLite URL needs three slashes (sqlite:///relative/path) or four"
                    + " (sqlite:////absolute/path): " + original);
        }
        Path file = Path.of(rest.substring(1)).toAbsolutePath().normalize();
        return sqliteFileUrl(file);
    }

    private static DatabaseUrl sqliteFileUrl(Path file) {
        return new DatabaseUrl(Dialect.SQLITE, "jdbc:sqlite:" + file, new Properties(), "sqlite:" + file,
                Optional.of(file), Optional.empty());
    }

    private static DatabaseUrl server(Dialect dialect, String displayScheme, String rest, String original)
            throws DatabaseUrlException {
        Matcher m = SERVER_PART.matcher(rest);
        if (!m.matches()) {
            throw new DatabaseUrlException("malformed database URL: " + redactUrl(original));
        }
        String user = m.group(1) == null ? null : percentDecode(m.group(1), original);
        String pass = m.group(2) == null ? null : percentDecode(m.group(2), original);
        String host = m.group(3) != null ? "[" + m.group(3) + "]" : m.group(4);
        String port = m.group(5);
        String database = m.group(6) == null ? "" : percentDecode(m.group(6), original);
        Map<String, String> query = query(m.group(7), original);
        if (host == null || host.isEmpty()) {
            host = "localhost";
        }
        if (database.isEmpty()) {
            throw new DatabaseUrlException("no database name in " + redactUrl(original));
        }
        if (port != null && port.isEmpty()) {
            port = null;
        }
        Properties props = new Properties();
        if (user != null && !user.isEmpty()) {
            props.setProperty("user", user);
        }
        if (pass != null) {
            props.setProperty("password", pass);
        }
        driverOptions(dialect, query, props, original);
        String hostPort = host + (port == null ? "" : ":" + port);
        String jdbcScheme = dialect == Dialect.POSTGRESQL ? "postgresql" : "mariadb";
        String jdbc = "jdbc:" + jdbcScheme + "://" + hostPort + "/" + encodePathSegment(database);
        String display = displayScheme + "://" + (user == null || user.isEmpty() ? "" : user
                + (pass == null || pass.isEmpty() ? "" : ":****") + "@") + hostPort + "/" + database;
        return new DatabaseUrl(dialect, jdbc, props, display, Optional.empty(), Optional.ofNullable(pass));
    }

    /** The few Python-driver URL options that have a JDBC equivalent; anything else is refused, never ignored. */
    private static void driverOptions(Dialect dialect, Map<String, String> query, Properties props, String original)
            throws DatabaseUrlException {
        for (Map.Entry<String, String> e : query.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (dialect == Dialect.POSTGRESQL) {
                switch (key) {
                    case "sslmode", "sslrootcert", "sslcert", "sslkey" -> props.setProperty(key, value);
                    case "connect_timeout" -> props.setProperty("connectTimeout", value);
                    case "application_name" -> props.setProperty("ApplicationName", value);
                    case "host" -> throw new DatabaseUrlException("Unix-domain sockets are not supported ("
                            + redactUrl(original) + "): use host:port, e.g. postgresql://user@127.0.0.1/db");
                    default -> throw unsupportedOption(key, original);
                }
            } else {
                switch (key) {
                    case "charset" -> { /* the MariaDB driver always speaks utf8mb4 */ }
                    case "unix_socket" -> props.setProperty("localSocket", value);
                    case "connect_timeout" -> props.setProperty("connectTimeout", seconds(value, original) + "000");
                    default -> throw unsupportedOption(key, original);
                }
            }
        }
    }

    private static String seconds(String value, String original) throws DatabaseUrlException {
        if (!value.matches("[0-9]{1,6}")) {
            throw new DatabaseUrlException("connect_timeout must be a number of seconds in " + redactUrl(original));
        }
        return value;
    }

    private static DatabaseUrlException unsupportedOption(String key, String original) {
        return new DatabaseUrlException("unsupported URL option '" + key + "' in " + redactUrl(original)
                + "; use a jdbc: URL to pass driver options");
    }

    private static Map<String, String> query(String query, String original) throws DatabaseUrlException {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = percentDecode(eq < 0 ? pair : pair.substring(0, eq), original);
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), original);
            out.put(key, value);
        }
        return out;
    }

    // ---- JDBC URLs ----

    private static DatabaseUrl parseJdbc(String url) throws DatabaseUrlException {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:sqlite:")) {
            String rest = url.substring("jdbc:sqlite:".length());
            if (rest.isEmpty() || rest.startsWith(":memory:") || rest.contains("mode=memory")) {
                throw new DatabaseUrlException(url + " is an in-memory database: it holds no data to read");
            }
            if (rest.startsWith("file:") || rest.startsWith(":resource:")) {
                return new DatabaseUrl(Dialect.SQLITE, url, new Properties(), "sqlite:" + rest, Optional.empty(),
                        Optional.empty());
            }
            return sqliteFileUrl(Path.of(rest).toAbsolutePath().normalize());
        }
        Dialect dialect;
        String rest;
        String displayScheme;
        String jdbc = url;
        if (lower.startsWith("jdbc:postgresql:")) {
            dialect = Dialect.POSTGRESQL;
            displayScheme = "postgresql";
            rest = url.substring("jdbc:postgresql:".length());
        } else if (lower.startsWith("jdbc:mariadb:")) {
            dialect = Dialect.MARIADB;
            displayScheme = "mariadb";
            rest = url.substring("jdbc:mariadb:".length());
        } else if (lower.startsWith("jdbc:mysql:")) {
            // MariaDB Connector/J speaks the MySQL protocol but accepts only its own scheme by default.
            dialect = Dialect.MARIADB;
            displayScheme = "mysql";
            rest = url.substring("jdbc:mysql:".length());
            jdbc = "jdbc:mariadb:" + rest;
        } else {
            int colon = url.indexOf(':', 5);
            throw new DatabaseUrlException("unsupported JDBC URL " + (colon < 0 ? "jdbc:..." : url.substring(0, colon + 1)
                    + "...") + " (supported: jdbc:sqlite:, jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql:)");
        }
        Optional<String> password = Optional.empty();
        String display = displayScheme + ":" + redactUrl(rest);
        if (rest.startsWith("//")) {
            Matcher m = SERVER_PART.matcher(rest.substring(2));
            if (m.matches()) {
                Map<String, String> query;
                try {
                    query = query(m.group(7), url);
                } catch (DatabaseUrlException e) {
                    query = Map.of();
                }
                String user = m.group(1) != null ? m.group(1) : query.get("user");
                password = Optional.ofNullable(m.group(2) != null ? m.group(2) : query.get("password"));
                String host = m.group(3) != null ? "[" + m.group(3) + "]" : m.group(4);
                display = displayScheme + "://" + (user == null || user.isEmpty() ? "" : user
                        + (password.filter(p -> !p.isEmpty()).isPresent() ? ":****" : "") + "@")
                        + (host == null ? "" : host) + (m.group(5) == null ? "" : ":" + m.group(5))
                        + "/" + (m.group(6) == null ? "" : m.group(6));
            }
        }
        return new DatabaseUrl(dialect, jdbc, new Properties(), display, Optional.empty(), password);
    }

    // ---- helpers ----

    /** Hides passwords in URL-like text: {@code //user:secret@} and {@code password=secret}. */
    static String redactUrl(String text) {
        String out = USERINFO_PASSWORD.matcher(text).replaceAll("$1****@");
        return PASSWORD_PARAM.matcher(out).replaceAll("$1****");
    }

    /** RFC 3986 percent-decoding as SQLAlchemy does it ({@code +} stays a plus sign). */
    private static String percentDecode(String s, String original) throws DatabaseUrlException {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new DatabaseUrlException("malformed %-escape in " + redactUrl(original));
                }
                bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String encodePathSegment(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.' || c == '~' || c == '$') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
