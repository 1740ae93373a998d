package dev.autogen.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autogen.pack.DocEncoding.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The document encoding (slots as the responder fills them) and the pack format around it. */
class DocEncodingTest {

    static final String XML = "<a>{{address}}|{{login:u-%EMAILLOCALPART%@%EMAILDOMAIN%/%EMAILADDRESS%}}|{{login:}}|"
            + "{{name}}|{{domain}}|{{uuid:mail}}|{{uuid:}}|{{time}}|{{requestid}}|caf\u00e9 \uD83D\uDE00</a>\n";
    static final String PAGE = "<p>{{domain}} {{domain:unicode}} {{qr:size}} {{qr:path}} {{other}} {{ {{domain}}}} {{</p>";

    private static String roundTrip(String text, Context c) {
        byte[] b = DocEncoding.encode(text, c);
        assertNull(DocEncoding.check(ByteBuffer.wrap(b), 0, b.length, c), text);
        return DocEncoding.text(ByteBuffer.wrap(b), 0, b.length);
    }

    @Test
    void encodingGivesBackTheText() {
        assertEquals(XML, roundTrip(XML, Context.XML));
        assertEquals("{\"a\":\"{{address}}\"}", roundTrip("{\"a\":\"{{address}}\"}", Context.JSON));
        assertEquals(PAGE, roundTrip(PAGE, Context.HTML));
        assertEquals("", roundTrip("", Context.XML));
        assertEquals("no slot at all", roundTrip("no slot at all", Context.JSON));
        // JSON (PACC) documents have no slots: compact JSON ends in "}}}", and the bytes must stay exactly as rendered.
        byte[] pacc = DocEncoding.encode("{\"a\":{\"b\":\"{{x}}\"}}", Context.JSON);
        assertEquals(List.of(1, 0, 0, 0, 19, 0, 0, 0, 0, 19), bytes(pacc).subList(0, 10));
    }

    @Test
    void bytesAndTextEncodeAlike() {
        String ascii = XML.replace("caf\u00e9 \uD83D\uDE00", "cafe");
        for (String t : List.of(XML, ascii, PAGE)) {
            Context c = t == PAGE ? Context.HTML : Context.XML;
            org.junit.jupiter.api.Assertions.assertArrayEquals(DocEncoding.encode(t, c),
                    DocEncoding.encode(t.getBytes(java.nio.charset.StandardCharsets.UTF_8), c), t);
        }
    }

    @Test
    void slotsAreOperationsAndLiteralsAreCounted() {
        byte[] b = DocEncoding.encode("ab{{domain}}c", Context.XML);
        // context, literal count 3, literal "ab", domain, literal "c"
        assertEquals(List.of(0, 0, 0, 0, 3, 0, 0, 0, 0, 2, (int) 'a', (int) 'b', 4, 0, 0, 0, 0, 1, (int) 'c'), bytes(b));
        byte[] page = DocEncoding.encode("{{address}}", Context.HTML);
        assertEquals("{{address}}", DocEncoding.text(ByteBuffer.wrap(page), 0, page.length), "not a page slot: text");
        assertEquals(11, DocEncoding.literalBytes(ByteBuffer.wrap(page), 0));
    }

    @Test
    void malformedSlotsAreRefusedByName() {
        assertTrue(message("<x>{{bogus}}</x>").contains("unknown slot {{bogus}}"));
        assertTrue(message("<x>{{login}}</x>").contains("{{login}}: needs an argument"));
        assertTrue(message("<x>{{domain:y}}</x>").contains("{{domain:y}}: takes no argument"));
        assertTrue(message("<x>{{address</x>").contains("unclosed slot at character 3"));
        assertTrue(message("<x>{{address}}}}</x>").contains("stray '}}'"));
        assertTrue(message("<x>{{qr:path}}</x>").contains("unknown slot {{qr:path}}"), "page slots only in pages");
    }

    private static String message(String text) {
        return assertThrows(IllegalArgumentException.class, () -> DocEncoding.encode(text, Context.XML)).getMessage();
    }

    @Test
    void checkFindsDamage() {
        byte[] b = DocEncoding.encode(XML, Context.XML);
        assertTrue(DocEncoding.check(ByteBuffer.wrap(b), 0, b.length, Context.JSON).contains("encoded as XML"));
        assertTrue(DocEncoding.check(ByteBuffer.wrap(b), 0, b.length - 1, Context.XML).contains("past the end"));
        assertTrue(DocEncoding.check(ByteBuffer.wrap(b), 0, 3, Context.XML).contains("shorter than its header"));
        byte[] c = b.clone();
        c[5] = 42;
        assertTrue(DocEncoding.check(ByteBuffer.wrap(c), 0, c.length, Context.XML).contains("bad operation 42 at byte 5"));
        c = b.clone();
        c[4]++;
        assertTrue(DocEncoding.check(ByteBuffer.wrap(c), 0, c.length, Context.XML).contains("literal count"));
        byte[] page = DocEncoding.encode("{{qr:size}}", Context.HTML);
        page[0] = (byte) Context.XML.code;
        assertTrue(DocEncoding.check(ByteBuffer.wrap(page), 0, page.length, Context.XML).contains("bad operation 9"));
    }

    @TempDir Path dir;

    /** Every name of a big index is found by its hashed lookup, names that are absent or malformed are not. */
    @Test
    void packIndexFindsEveryNameAndNothingElse() throws Exception {
        java.util.Random random = new java.util.Random(15);
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        while (names.size() < 20_000) {
            StringBuilder hex = new StringBuilder("docs/ab");
            // Half the names share the hashed digits with another (same digits 7-14): probing must compare names.
            String shared = names.isEmpty() || random.nextBoolean() ? null : names.last().substring(7, 15);
            for (int i = 0; i < 62; i++) hex.append(shared != null && i < 8 ? shared.charAt(i) : Character.forDigit(random.nextInt(16), 16));
            names.add(hex + (random.nextBoolean() ? ".xml" : ".plist"));
        }
        List<String> sorted = names.stream().sorted(DocPack.ORDER).toList();
        byte[] doc = DocEncoding.encode(XML, Context.XML);
        int[] lengths = new int[sorted.size()];
        java.util.Arrays.fill(lengths, doc.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(DocPack.header(sorted, lengths));
        for (int i = 0; i < sorted.size(); i++) out.writeBytes(doc);
        Path file = dir.resolve("ab.pack");
        Files.write(file, out.toByteArray());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            DocPack.Index index = DocPack.readIndex(ch, "ab");
            for (int i = 0; i < sorted.size(); i++) assertEquals(i, index.find(sorted.get(i)), sorted.get(i));
            String first = sorted.get(0);
            assertEquals(-1, index.find(first.replace(".xml", ".json").replace(".plist", ".json")));
            assertEquals(-1, index.find(first.substring(0, 68) + (first.charAt(68) == '0' ? '1' : '0') + first.substring(69)));
            assertEquals(-1, index.find("docs/abzzzzzzzz" + first.substring(15)));
            assertEquals(-1, index.find("docs/ab"));
            assertEquals(-1, index.find(""));
        }
    }

    @Test
    void packIndexIsSortedAndCheckedEndToEnd() throws Exception {
        String a = "docs/ab" + "0".repeat(62) + ".xml", b = "docs/ab" + "1".repeat(62) + ".json";
        byte[] da = DocEncoding.encode(XML, Context.XML), db = DocEncoding.encode("{\"x\":1}", Context.JSON);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(DocPack.header(List.of(a, b), new int[] {da.length, db.length}));
        out.writeBytes(da);
        out.writeBytes(db);
        Path file = dir.resolve("ab.pack");
        Files.write(file, out.toByteArray());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            DocPack.Index index = DocPack.readIndex(ch, "ab");
            DocPack.checkDocuments(ch, index);
            assertEquals(2, index.size());
            assertEquals(1, index.find(b));
            assertEquals(-1, index.find("docs/ab" + "2".repeat(62) + ".xml"));
            assertTrue(index.sameNames(List.of(a, b)));
            ByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            assertEquals(XML, DocEncoding.text(map, index.offset(0), index.offset(0) + index.length(0)));
        }
        assertTrue(corrupt(out.toByteArray(), "cd").contains("is not a docs/cd….<ext> name"));
        // Pack order is by kind first: an XML document named after a JSON one is still in order, the other way not.
        String c = "docs/ab" + "2".repeat(62) + ".xml";
        ByteArrayOutputStream kinds = new ByteArrayOutputStream();
        kinds.writeBytes(DocPack.header(List.of(b, c), new int[] {db.length, da.length}));
        kinds.writeBytes(db);
        kinds.writeBytes(da);
        assertTrue(corrupt(kinds.toByteArray(), "ab").contains("index entry 2: " + c + " out of order"));
        assertEquals(List.of(a, c, b), java.util.stream.Stream.of(b, c, a).sorted(DocPack.ORDER).toList());
        byte[] swapped = out.toByteArray();
        swapped[12 + 1 + 69] = 'j'; // the dot before the extension: not a name a pack can hold
        assertTrue(corrupt(swapped, "ab").contains("is not a docs/ab….<ext> name"));
        byte[] longer = java.util.Arrays.copyOf(out.toByteArray(), out.size() + 1);
        assertTrue(corrupt(longer, "ab").contains("bytes after the last document"));
        byte[] wrongType = out.toByteArray();
        wrongType[wrongType.length - db.length] = (byte) Context.XML.code;
        assertTrue(corrupt(wrongType, "ab").contains(b + ": encoded as XML, its name says JSON"));
    }

    private String corrupt(byte[] pack, String shard) throws IOException {
        Path file = dir.resolve("x.pack");
        Files.write(file, pack);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return assertThrows(DocPack.CorruptPackException.class, () -> DocPack.checkDocuments(ch, DocPack.readIndex(ch, shard))).getMessage();
        }
    }

    private static List<Integer> bytes(byte[] b) {
        List<Integer> l = new java.util.ArrayList<>();
        for (byte x : b) l.add((int) x);
        return l;
    }
}
