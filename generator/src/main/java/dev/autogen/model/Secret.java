package dev.autogen.model;

/** A secret value whose {@code toString} never shows it, so it cannot leak through logs or error messages. */
public record Secret(String value) {
    @Override
    public String toString() {
        return "Secret[****]";
    }
}
