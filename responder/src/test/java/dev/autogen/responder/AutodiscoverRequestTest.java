package dev.autogen.responder;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The canonical-form fast path against the full StAX parser: same answers, and it only answers what it must. */
class AutodiscoverRequestTest {

    private static final String OUTLOOK = AutodiscoverRequest.OUTLOOK_REQUEST;

    private static final List<String> CLIENT_BODIES = List.of(
            // Outlook
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n".replace("\r", "") + "<Autodiscover xmlns=\"" + OUTLOOK + "\">\n"
                    + "  <Request>\n    <EMailAddress>user@example.com</EMailAddress>\n"
                    + "    <AcceptableResponseSchema>" + AutodiscoverRequest.OUTLOOK_RESPONSE + "</AcceptableResponseSchema>\n"
                    + "  </Request>\n</Autodiscover>\n",
            // the new Outlook / mobile clients: MobileSync, single quotes, no declaration, upper-case encoding
            "<?xml version='1.0' encoding='UTF-8'?><Autodiscover xmlns='" + AutodiscoverRequest.MOBILESYNC_REQUEST
                    + "'><Request><EMailAddress> jane@example.com </EMailAddress><AcceptableResponseSchema>"
                    + AutodiscoverRequest.MOBILESYNC_RESPONSE + "</AcceptableResponseSchema></Request></Autodiscover>",
            "<Autodiscover xmlns=\"" + OUTLOOK + "\"><Request><EMailAddress>a@b.example</EMailAddress></Request></Autodiscover>",
            "\uFEFF<Autodiscover xmlns=\"" + OUTLOOK + "\" ><Request ><EMailAddress/><Other>x</Other></Request ></Autodiscover >",
            "<Autodiscover xmlns=\"" + OUTLOOK + "\"><Request/></Autodiscover>");

    @Test
    void clientBodiesTakeTheFastPathWithTheFullParsersAnswer() throws Exception {
        for (String body : CLIENT_BODIES) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            AutodiscoverRequest fast = AutodiscoverRequest.CanonicalForm.parse(bytes);
            assertNotNull(fast, body);
            assertEquals(AutodiscoverRequest.parseXml(bytes), fast, body);
        }
        AutodiscoverRequest outlook = AutodiscoverRequest.parse(CLIENT_BODIES.get(0).getBytes(StandardCharsets.UTF_8));
        assertEquals(new AutodiscoverRequest("user@example.com", AutodiscoverRequest.OUTLOOK_RESPONSE, false), outlook);
        AutodiscoverRequest mobile = AutodiscoverRequest.parse(CLIENT_BODIES.get(1).getBytes(StandardCharsets.UTF_8));
        assertEquals(new AutodiscoverRequest("jane@example.com", AutodiscoverRequest.MOBILESYNC_RESPONSE, true), mobile);
    }

    @Test
    void anythingOutsideTheCanonicalFormIsLeftToTheFullParser() throws Exception {
        String root = "<Autodiscover xmlns=\"" + OUTLOOK + "\">";
        String tail = "</Request></Autodiscover>";
        List<String> others = List.of(
                "<!DOCTYPE Autodiscover [<!ENTITY x \"y\">]>" + root + "<Request><EMailAddress>&x;</EMailAddress>" + tail,
                root + "<Request><EMailAddress>a&amp;b@example.com</EMailAddress>" + tail,
                root + "<Request><EMailAddress><![CDATA[a@example.com]]></EMailAddress>" + tail,
                root + "<!-- hi --><Request><EMailAddress>a@example.com</EMailAddress>" + tail,
                "<a:Autodiscover xmlns:a=\"" + OUTLOOK + "\"><a:Request><a:EMailAddress>a@example.com</a:EMailAddress></a:Request></a:Autodiscover>",
                root + "<Request><EMailAddress xmlns=\"urn:other\">a@example.com</EMailAddress>" + tail,
                root + "<Request><EMailAddress>a@example.com\r</EMailAddress>" + tail,
                root + "<Request><EMailAddress>jörg@example.com</EMailAddress>" + tail,
                root + "<Request><EMailAddress>a@<b/>example.com</EMailAddress>" + tail,
                root + "<Request><EMailAddress>a@example.com</EMailAddres>" + tail,
                root + "<Request><EMailAddress>a@example.com</EMailAddress>",
                root + "<Request></Request></Autodiscover><Autodiscover/>",
                "<?xml version=\"1.0\" encoding=\"utf-16\"?>" + root + "<Request/></Autodiscover>",
                "<?xml version=\"1.0\" standalone=\"yes\"?>" + root + "<Request/></Autodiscover>",
                " <?xml version=\"1.0\"?>" + root + "<Request/></Autodiscover>",
                "<Autodiscover xmlns=\"urn:unknown\"><Request/></Autodiscover>",
                "<Other xmlns=\"" + OUTLOOK + "\"><Request/></Other>",
                "<Autodiscover><Request/></Autodiscover>",
                "<Autodiscover xmlns=\"" + OUTLOOK + "\" a=\"b\"><Request/></Autodiscover>",
                "<Autodiscover xmlns=\"" + OUTLOOK + "\"/>",
                "",
                "   ");
        for (String body : others) {
            assertNull(AutodiscoverRequest.CanonicalForm.parse(body.getBytes(StandardCharsets.UTF_8)), body);
        }
        // The full parser still answers what is valid, and refuses the DOCTYPE.
        assertEquals("a&b@example.com", AutodiscoverRequest.parse(others.get(1).getBytes(StandardCharsets.UTF_8)).emailAddress());
        assertEquals("a@example.com", AutodiscoverRequest.parse(others.get(2).getBytes(StandardCharsets.UTF_8)).emailAddress());
        assertThrows(AutodiscoverRequest.BadRequestException.class,
                () -> AutodiscoverRequest.parse(others.get(0).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Random mutations of real bodies (bytes and constructs that matter to XML inserted, bytes deleted or replaced): whenever the fast path
     * answers, the full parser must accept the body and give the same answer. Seeded, so a failure repeats.
     */
    @Test
    void theFastPathNeverDisagreesWithTheFullParser() throws Exception {
        Random random = new Random(20261123);
        List<byte[]> tokens = new ArrayList<>();
        for (char c : "<>/=\"' \t\n\r&;]![?-:xaE@.\u00e9\u0001\u007f".toCharArray()) {
            tokens.add(String.valueOf(c).getBytes(StandardCharsets.ISO_8859_1));
        }
        for (String t : List.of("]]>", "<!--", "-->", "&amp;", "&#60;", "<![CDATA[", " xmlns:a=\"urn:x\"", "a:", "<?pi?>",
                "<b/>", "</b>", "\u00c3\u00a9", " a=\"b\"")) {
            tokens.add(t.getBytes(StandardCharsets.ISO_8859_1));
        }
        List<byte[]> seeds = new ArrayList<>();
        for (String body : CLIENT_BODIES) seeds.add(body.getBytes(StandardCharsets.UTF_8));
        int answered = 0;
        for (int round = 0; round < 60_000; round++) {
            byte[] mutated = seeds.get(random.nextInt(seeds.size())).clone();
            for (int m = 1 + random.nextInt(3); m > 0; m--) mutated = mutate(mutated, random, tokens);
            byte[] b = mutated;
            AutodiscoverRequest fast = AutodiscoverRequest.CanonicalForm.parse(b);
            if (fast == null) continue;
            answered++;
            AutodiscoverRequest full;
            try {
                full = AutodiscoverRequest.parseXml(b);
            } catch (AutodiscoverRequest.BadRequestException e) {
                throw new AssertionError("fast path accepted what the XML parser refuses: "
                        + new String(b, StandardCharsets.ISO_8859_1), e);
            }
            assertEquals(full, fast, () -> new String(b, StandardCharsets.ISO_8859_1));
        }
        assertTrue(answered > 1_000, "the mutations should leave many bodies in the canonical form: " + answered);
    }

    private static byte[] mutate(byte[] b, Random random, List<byte[]> tokens) {
        int at = random.nextInt(b.length + 1);
        byte[] token = tokens.get(random.nextInt(tokens.size()));
        byte c = token[0];
        return switch (random.nextInt(3)) {
            case 0 -> { // insert a token
                byte[] out = new byte[b.length + token.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(token, 0, out, at, token.length);
                System.arraycopy(b, at, out, at + token.length, b.length - at);
                yield out;
            }
            case 1 -> { // delete
                if (at == b.length) yield b;
                byte[] out = new byte[b.length - 1];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + 1, out, at, b.length - at - 1);
                yield out;
            }
            default -> { // replace
                if (at == b.length) yield b;
                byte[] out = b.clone();
                out[at] = c;
                yield out;
            }
        };
    }
}
