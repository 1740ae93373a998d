package dev.autogen.publish;

import java.nio.file.Path;

/** The site belongs to another user than the one rendering (and that one is not root); nothing was written. */
public final class WrongUserException extends PublishException {
    private final String owner;
    private final String user;

    WrongUserException(Path out, String owner, String user) {
        super(out + " belongs to user " + owner + ", but this render runs as " + user
                + ": the responder could not read the new version, nor could " + owner + " replace it later");
        this.owner = owner;
        this.user = user;
    }

    /** The name of the site's owner, for the message that says which command to run instead. */
    public String owner() {
        return owner;
    }

    /** The user this render runs as. */
    public String user() {
        return user;
    }
}
