package dev.autogen.cli;

/** What {@code autogen}'s exit status means. Documented in the README; scripts depend on these numbers. */
public final class ExitCodes {
    private ExitCodes() {}

    /** Done; for {@code check}: no errors and no warnings. */
    public static final int OK = 0;
    /** An unexpected internal error (a bug: please report it with the stack trace printed by --verbose). */
    public static final int INTERNAL = 1;
    /** The command line is wrong (unknown option, missing argument). */
    public static final int USAGE = 2;
    /** The input is invalid (YAML errors, invalid database rows with --strict, ...). Nothing was written. */
    public static final int INVALID_INPUT = 3;
    /** The input could not be read (file missing, database unreachable, wrong credentials, missing tables). */
    public static final int SOURCE_UNAVAILABLE = 4;
    /** The site could not be written (disk full, permissions). The previous site is still complete and served. */
    public static final int PUBLISH_FAILED = 5;
    /** {@code check} found warnings (lints) but no errors. */
    public static final int WARNINGS = 6;
    /** {@code probe} found a deployment that some client would not accept. */
    public static final int PROBE_FAILED = 7;
    /** {@code probe} could not connect to the deployment (or the proxy) at all: refused, unknown host, timeout. */
    public static final int UNREACHABLE = 8;
    /** {@code render} published the new site, but {@code --reload-web-server} or {@code --post-publish} failed. */
    public static final int HOOK_FAILED = 9;
    /** {@code dns check}: some record is missing from DNS or differs from what the site needs. */
    public static final int DNS_MISMATCH = 10;
    /** {@code dns check}: some query got no usable answer (timeout, SERVFAIL, REFUSED): DNS could not be checked. */
    public static final int DNS_UNREACHABLE = 11;
}
