package dev.autogen.probe;

/** A document or answer the probe cannot use at all; the message says what is wrong, for the report. */
public final class ProbeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProbeException(String message) {
        super(message);
    }
}
