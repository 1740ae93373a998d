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
 * {@code /health}, the Autodiscover v2 answers and their errors ({@link JsonAnswers}). Values filled into pre-split
 * JSON documents go through the shared {@code Escape.json} instead, straight into the response buffer. Both escape,
 * besides what JSON requires, {@code < > &} and U+2028/U+2029 (so no answer can be read as markup or break a
 * JavaScript consumer), with lower-case hex: the same bytes for the same value.
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
                paragraphSeparator = new SerializedString("\\u2029"), backspace = new SerializedString("\\u0008"),
                formFeed = new SerializedString("\\u000c");

        MarkupSafe() {
            ascii['<'] = ascii['>'] = ascii['&'] = CharacterEscapes.ESCAPE_STANDARD;
            ascii['\b'] = ascii['\f'] = CharacterEscapes.ESCAPE_CUSTOM; // hex escapes as Escape.json writes them, not the short forms
        }

        @Override public int[] getEscapeCodesForAscii() { return ascii; }

        @Override public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case 0x2028 -> lineSeparator;
                case 0x2029 -> paragraphSeparator;
                case '\b' -> backspace;
                case '\f' -> formFeed;
                default -> null;
            };
        }
    }

    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .characterEscapes(new MarkupSafe())
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE) // \u003c, as Escape.json writes it
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8) // a pair as its 4 UTF-8 bytes, not two escapes
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

    /**
     * {@code s} with lone surrogates (which UTF-8 cannot encode, and Jackson refuses to write) as U+FFFD, as the
     * shared {@code Escape.json} does: for values a request supplied.
     */
    static String scalars(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                if (b != null) b.append(c).append(s.charAt(i + 1));
                i++;
                continue;
            }
            boolean lone = Character.isSurrogate(c);
            if (lone && b == null) b = new StringBuilder(s.length()).append(s, 0, i);
            if (b != null) b.append(lone ? '\uFFFD' : c);
        }
        return b == null ? s : b.toString();
    }
}
