package dev.autogen.publish;

import dev.autogen.site.DocEncoding;
import dev.autogen.site.DocPack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Tests' reader of a rendered site's documents: {@code docs/<sha256>.<ext>} out of {@code private/docs/<xx>.pack}. */
public final class PackedDocs {
    private PackedDocs() {}

    /** The document's text, as rendered (slots as {@code {{…}}}); null when its pack does not hold it. */
    public static String text(Path privateDir, String name) throws IOException {
        try (FileChannel ch = FileChannel.open(privateDir.resolve(DocPack.fileName(DocPack.shardOf(name))), StandardOpenOption.READ)) {
            DocPack.Index index = DocPack.readIndex(ch, DocPack.shardOf(name));
            DocPack.checkDocuments(ch, index);
            int i = index.find(name);
            if (i < 0) return null;
            ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            return DocEncoding.text(b, index.offset(i), index.offset(i) + index.length(i));
        } catch (DocPack.CorruptPackException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    /** True when the site's packs hold the document. */
    public static boolean has(Path privateDir, String name) throws IOException {
        try {
            return text(privateDir, name) != null;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }
}
