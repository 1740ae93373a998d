package dev.autogen.responder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The responder's JSON, written by Jackson's streaming generator (jackson-core: no databind, no reflection):
 * {@code /health}, the Autodiscover v2 answers (built once per URL, see {@link Responder}) and values filled into
 * JSON documents. Besides what JSON requires, {@code < > &} and U+2028/U+2029 are escaped so that no answer can be
 * read as markup or break a JavaScript consumer.
 */
final class Json {

    private Json() {}

    /** What one object holds: fields written with the generator. */
    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static final class MarkupSafe extends CharacterEscapes {
        private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();
        private final SerializedString lineSeparator = new SerializedString("\\u2028"),
                paragraphSeparator = new SerializedString("\\u2029");

        MarkupSafe() {
            ascii['<'] = ascii['>'] = ascii['&'] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override public int[] getEscapeCodesForAscii() { return ascii; }

        @Override public SerializableString getEscapeSequence(int ch) {
            return ch == 0x2028 ? lineSeparator : ch == 0x2029 ? paragraphSeparator : null;
        }
    }

    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .characterEscapes(new MarkupSafe())
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE) // \u003c, as before and as most writers do
            .build();

    /** One JSON object and a newline, UTF-8. */
    static byte[] object(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** {@code s} as the content of a JSON string (no quotes), UTF-8: for a value filled into a JSON document. */
    static byte[] stringContent(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 8);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] quoted = out.toByteArray();
        return java.util.Arrays.copyOfRange(quoted, 1, quoted.length - 1);
    }
}
