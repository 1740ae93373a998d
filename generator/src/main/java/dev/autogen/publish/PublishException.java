package dev.autogen.publish;

import java.io.IOException;

/** The site could not be written (disk full, permissions, a path that collides). The previous site is untouched. */
public class PublishException extends IOException {
    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }

    public PublishException(String message) {
        super(message);
    }
}
