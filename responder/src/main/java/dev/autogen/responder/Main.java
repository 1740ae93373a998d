package dev.autogen.responder;

/** The {@code autogen-responder} command. (Stub until implemented.) */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
