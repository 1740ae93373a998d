package dev.autogen.model;

/**
 * Site-wide settings of the PACC document (draft-ietf-mailmaint-pacc, "Automatic Configuration of Email, Calendar,
 * and Contact Server Settings"; docs/site-format.md says which revision and why).
 *
 * @param enabled  false: no PACC document and no PACC DNS records at all
 * @param revision the draft revision whose key names the document uses
 */
public record Pacc(boolean enabled, Revision revision) {
    /** What a site gets when its description says nothing about PACC. */
    public static final Pacc DEFAULT = new Pacc(true, Revision.DRAFT_03);

    /** The draft revisions autogen can write; they differ (as far as autogen's document goes) in the SMTP key. */
    public enum Revision {
        /** draft-ietf-mailmaint-pacc-02: SMTP submission under {@code smtp}. */
        DRAFT_02("02", "smtp"),
        /** draft-ietf-mailmaint-pacc-03: SMTP submission under {@code submit}. */
        DRAFT_03("03", "submit");

        private final String id;
        private final String submissionKey;

        Revision(String id, String submissionKey) {
            this.id = id;
            this.submissionKey = submissionKey;
        }

        /** As written in YAML ({@code revision: "03"}). */
        public String id() { return id; }

        /** The key of the SMTP submission server under {@code protocols}. */
        public String submissionKey() { return submissionKey; }
    }
}
