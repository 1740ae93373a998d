package dev.autogen.db;

import java.io.IOException;

/**
 * The database could not be read at all: unreachable, wrong credentials, no such database, tables missing. The
 * message is one line that names the database (password removed) and the cause. An {@link IOException}, like a
 * missing YAML file, so the command line reports both as "source unavailable" (exit code 4).
 */
public class DatabaseUnavailableException extends IOException {
    public DatabaseUnavailableException(String message) {
        super(message);
    }

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
