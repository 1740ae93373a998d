package dev.autogen.render;

import dev.autogen.model.Domain;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;

/**
 * Renders every document of a site (see docs/site-format.md). Pure: the same site gives the same bytes.
 * (Owned by the render work: stub until implemented.)
 */
public final class SiteRenderer {
    public SiteRenderer(RenderSettings settings) {
    }

    // FileSink may receive the same content-addressed path (private/docs/<sha>) from many domains.

    /** Files that exist once per site: error documents, LDAP settings, NGINX config. */
    public void renderSiteFiles(Site site, FileSink sink) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Every file of one domain: public autoconfig and profile, private documents, DNS snippet. */
    public void renderDomain(Site site, Provider provider, Domain domain, FileSink sink) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The {@code private/domains.tsv} line of one domain (without the line end). */
    public String indexLine(Provider provider, Domain domain) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
