package dev.autogen.publish;

import dev.autogen.text.IoErrors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Who the files of a new version belong to: always the owner (and group) of the site directory OUT, whoever renders.
 *
 * <ul>
 *   <li>The owner renders: nothing to do; files belong to it.</li>
 *   <li>root renders into a site owned by another user (a cron job or {@code sudo autogen render} into
 *       /var/lib/autogen/site, owned by {@code autogen}): every file and directory it creates is given to that user
 *       and group, so the responder (running as that user) can read {@code private/}, and later renders as that user
 *       can link and delete them. Without this, root's {@code private/} (0700) locked the responder out and it kept
 *       serving the previous version while the web server served the new one.</li>
 *   <li>Any other user: refused before anything is written ({@link WrongUserException}): its files could not be
 *       read by the responder nor removed by the owner's next render.</li>
 * </ul>
 */
final class Ownership {
    static final Ownership KEEP = new Ownership(-1, -1);

    private final int uid;
    private final int gid;

    private Ownership(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
    }

    /** Decides for a render into {@code dir} (which exists) by the user running this process. */
    static Ownership check(Path dir) throws PublishException {
        int me = effectiveUid();
        if (me < 0) {
            return KEEP; // not Linux: no /proc; the owner's own renders are the documented way
        }
        int owner;
        int group;
        try {
            owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            group = (Integer) Files.getAttribute(dir, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            if (e instanceof IOException io) {
                throw new PublishException("cannot read the owner of " + dir + ": " + IoErrors.describe(io), io);
            }
            return KEEP;
        }
        if (owner == me) {
            return KEEP;
        }
        if (me == 0) {
            return new Ownership(owner, group);
        }
        throw new WrongUserException(dir, name(dir, owner), System.getProperty("user.name", "uid " + me));
    }

    boolean changesOwner() {
        return uid >= 0;
    }

    /** Gives a file, directory or (with {@code link}) symlink just created by root to the site's owner. */
    void adopt(Path created, boolean link) throws IOException {
        if (uid < 0) {
            return;
        }
        LinkOption[] options = link ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        Files.setAttribute(created, "unix:uid", uid, options);
        Files.setAttribute(created, "unix:gid", gid, options);
    }

    private static String name(Path dir, int uid) {
        try {
            return Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (IOException e) {
            return "uid " + uid;
        }
    }

    /** The effective user id from /proc/self/status ("Uid: real effective saved fs"); -1 when unknown. */
    static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
