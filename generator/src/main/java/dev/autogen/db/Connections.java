package dev.autogen.db;

import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens JDBC connections and turns driver errors into one readable line without secrets. */
final class Connections {
    private Connections() {}

    static {
        // MariaDB Connector/J logs through SLF4J when present, else to stderr with its own console logger: a wrong
        // password printed a stray "[ WARN] (main) Error: 1698-28000: Access denied ..." before our own message.
        // The failure reaches the user once, as the SQLException below. An admin's -D setting wins.
        if (System.getProperty("mariadb.logging.disable") == null) {
            System.setProperty("mariadb.logging.disable", "true");
        }
    }

    /** Seconds to wait for a server before giving up: an unreachable host must not hang a cron job. */
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    /**
     * @param readOnly open for reading only (SQLite: the file is opened read-only and must exist)
     */
    static Connection open(DatabaseUrl url, boolean readOnly) throws DatabaseUnavailableException {
        Properties props = url.connectionProperties();
        switch (url.dialect()) {
            case SQLITE -> {
                if (readOnly && url.sqliteFile().isPresent() && !Files.isRegularFile(url.sqliteFile().get())) {
                    throw new DatabaseUnavailableException("cannot open " + url + ": no such file");
                }
                SQLiteConfig config = new SQLiteConfig();
                config.setReadOnly(readOnly);
                // automx2 may be writing at the same moment; wait for its lock instead of failing at once.
                config.setBusyTimeout(5000);
                props.putAll(config.toProperties());
            }
            case POSTGRESQL -> {
                props.putIfAbsent("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
                props.putIfAbsent("ApplicationName", "autogen");
            }
            case MARIADB -> props.putIfAbsent("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS * 1000));
        }
        try {
            Connection connection = DriverManager.getConnection(url.jdbcUrl(), props);
            if (readOnly && url.dialect() != DatabaseUrl.Dialect.SQLITE) {
                connection.setReadOnly(true);
            }
            return connection;
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot connect to " + url + ": " + describe(url, e), e);
        }
    }

    /** The driver's message reduced to its first line, without noise such as "FATAL:" or "(conn=12)". */
    static String describe(DatabaseUrl url, SQLException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = "the driver gave no reason (error code " + e.getErrorCode() + ")";
        }
        message = message.strip();
        int nl = message.indexOf('\n');
        if (nl >= 0) {
            message = message.substring(0, nl).strip();
        }
        message = message.replaceFirst("^(FATAL|ERROR):\\s+", "").replaceFirst("^\\(conn=\\d+\\)\\s*", "");
        return url.redact(message);
    }
}
