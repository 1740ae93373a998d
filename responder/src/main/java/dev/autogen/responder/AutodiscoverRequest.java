package dev.autogen.responder;

import java.io.ByteArrayInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The two fields of an Autodiscover POX request body that matter. Parsed with a StAX reader that refuses any
 * DOCTYPE outright (no DTD is ever read, no entity is ever expanded, nothing external is fetched).
 *
 * @param emailAddress             {@code Request/EMailAddress}, trimmed; null when absent
 * @param acceptableResponseSchema {@code Request/AcceptableResponseSchema}, trimmed; null when absent
 * @param mobileSync               the request used the MobileSync request schema
 */
record AutodiscoverRequest(String emailAddress, String acceptableResponseSchema, boolean mobileSync) {

    static final String OUTLOOK_REQUEST = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
    static final String OUTLOOK_RESPONSE = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
    static final String MOBILESYNC_REQUEST = "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006";
    static final String MOBILESYNC_RESPONSE = "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006";

    /** A body that is not a well-formed Autodiscover request (answered with error 600). */
    static final class BadRequestException extends Exception {
        BadRequestException(String message) { super(message, null, false, false); }
    }

    private static final XMLInputFactory FACTORY = factory();

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setXMLResolver((publicId, systemId, baseUri, ns) -> { throw new XMLStreamException("external resource refused"); });
        return f;
    }

    static AutodiscoverRequest parse(byte[] body) throws BadRequestException {
        XMLStreamReader r = null;
        try {
            r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            String ns = null, email = null, schema = null;
            int depth = 0;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.DTD) throw new BadRequestException("DOCTYPE refused");
                if (event == XMLStreamConstants.ENTITY_REFERENCE) throw new BadRequestException("entity reference refused");
                if (event == XMLStreamConstants.END_ELEMENT) depth--;
                if (event != XMLStreamConstants.START_ELEMENT) continue;
                depth++;
                String name = r.getLocalName(), elementNs = r.getNamespaceURI();
                if (depth == 1) {
                    if (!name.equals("Autodiscover")) throw new BadRequestException("root element is not Autodiscover");
                    ns = elementNs;
                    if (!OUTLOOK_REQUEST.equals(ns) && !MOBILESYNC_REQUEST.equals(ns)) throw new BadRequestException("unknown request schema");
                } else if (depth == 3 && ns.equals(elementNs)) {
                    if (name.equals("EMailAddress")) { email = r.getElementText().trim(); depth--; }
                    else if (name.equals("AcceptableResponseSchema")) { schema = r.getElementText().trim(); depth--; }
                }
            }
            if (ns == null) throw new BadRequestException("empty body");
            return new AutodiscoverRequest(email, schema, MOBILESYNC_REQUEST.equals(ns));
        } catch (XMLStreamException e) {
            throw new BadRequestException("not well-formed XML");
        } finally {
            if (r != null) try { r.close(); } catch (XMLStreamException ignored) { /* nothing to release */ }
        }
    }
}
