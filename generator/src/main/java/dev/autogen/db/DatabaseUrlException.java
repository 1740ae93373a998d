package dev.autogen.db;

/** The database URL is not one autogen understands (the message never contains a password). */
public final class DatabaseUrlException extends DatabaseUnavailableException {
    public DatabaseUrlException(String message) {
        super(message);
    }
}
