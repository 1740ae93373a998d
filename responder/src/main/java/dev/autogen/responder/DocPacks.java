package dev.autogen.responder;

import dev.autogen.pack.DocPack;
import dev.autogen.text.IoErrors;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The document packs of one site load ({@code private/docs/<xx>.pack}, docs/site-format.md): each pack is opened
 * once, its index read and every document's encoding checked with one sequential read (not through the mapping, so
 * the check costs no resident memory), then mapped read-only. Templates point into the mapping: no
 * document byte is on the heap, and a page is resident only while answers use it.
 *
 * <p>A mapping lives as long as a template of the site references it (the GC unmaps it with the last one, after a
 * reload dropped the site). The generator deletes old version directories while they may still be mapped: on Linux
 * the file's pages stay valid until the mapping goes, so that is safe.
 */
final class DocPacks {
    private final Path priv;
    private final Map<String, Pack> packs = new HashMap<>();

    /** An opened pack; {@code templates} holds each document's template once it is asked for. */
    private record Pack(DocPack.Index index, MappedByteBuffer map, Template[] templates) {}

    /**
     * Opens every pack of {@code priv/docs} side by side (checking them is the bulk of a large site's start-up, and
     * reading the index files is one thread's work anyway).
     */
    DocPacks(Path priv) throws SiteLoader.InvalidSiteException {
        this.priv = priv;
        List<String> shards = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(priv.resolve("docs"), "[0-9a-f][0-9a-f].pack")) {
            for (Path f : dir) shards.add(f.getFileName().toString().substring(0, 2));
        } catch (NoSuchFileException e) {
            return; // no documents at all: a name in an index file will say what is missing
        } catch (IOException e) {
            throw new SiteLoader.InvalidSiteException(priv.resolve("docs") + ": " + IoErrors.reason(e));
        }
        List<Object> opened = shards.parallelStream().map(s -> {
            try {
                return (Object) open(s);
            } catch (SiteLoader.InvalidSiteException e) {
                return e;
            }
        }).toList();
        for (int i = 0; i < shards.size(); i++) {
            if (opened.get(i) instanceof SiteLoader.InvalidSiteException e) throw e;
            packs.put(shards.get(i), (Pack) opened.get(i));
        }
    }

    /** The document named {@code name} ({@code docs/<sha256>.<ext>}, checked by the caller); {@code where}: who names it. */
    Template get(String name, String where) throws SiteLoader.InvalidSiteException {
        String shard = DocPack.shardOf(name);
        Pack pack = packs.get(shard);
        if (pack == null) {
            throw new SiteLoader.InvalidSiteException(where + priv.resolve(DocPack.fileName(shard)) + ": missing (a site rendered before document packs? render it again)");
        }
        int i = pack.index.find(name);
        if (i < 0) throw new SiteLoader.InvalidSiteException(where + name + " is not in " + priv.resolve(DocPack.fileName(shard)));
        Template t = pack.templates[i];
        if (t == null) {
            int at = pack.index.offset(i);
            t = pack.templates[i] = new Template(pack.map, at, at + pack.index.length(i));
        }
        return t;
    }

    private Pack open(String shard) throws SiteLoader.InvalidSiteException {
        Path file = priv.resolve(DocPack.fileName(shard));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            DocPack.Index index = DocPack.readIndex(ch, shard);
            DocPack.checkDocuments(ch, index);
            // The mapping stays valid after the channel is closed.
            return new Pack(index, ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()), new Template[index.size()]);
        } catch (IOException e) {
            throw new SiteLoader.InvalidSiteException(file + ": " + IoErrors.reason(e));
        } catch (DocPack.CorruptPackException e) {
            throw new SiteLoader.InvalidSiteException(file + ": " + e.getMessage());
        }
    }
}
