package dev.autogen.responder;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a tab-separated index a line at a time, splitting it at tabs in place: columns are byte ranges of one
 * buffer, so a million lines cost no String or array per column (String.split made a dozen objects per line).
 */
final class TsvReader implements Closeable {
    private static final int MAX_COLUMNS = 16;

    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int start, end, next, limit; // the current line is buf[start, end), the next starts at next; read up to limit
    private boolean eof;
    private final int[] from = new int[MAX_COLUMNS], to = new int[MAX_COLUMNS];
    int columns;
    int line;

    TsvReader(Path file) throws IOException {
        in = Files.newInputStream(file);
    }

    /** Advances to the next line (a final line without LF counts; a CR before the LF is dropped); false at the end. */
    boolean next() throws IOException {
        start = next;
        int nl;
        while ((nl = indexOf((byte) '\n', start, limit)) < 0) {
            if (eof) {
                if (start >= limit) return false;
                nl = limit;
                break;
            }
            fill();
        }
        end = nl;
        next = nl + 1;
        line++;
        int lineEnd = end > start && buf[end - 1] == '\r' ? end - 1 : end;
        columns = 0;
        int col = start;
        for (int i = start; i <= lineEnd; i++) {
            if (i == lineEnd || buf[i] == '\t') {
                if (columns < MAX_COLUMNS) {
                    from[columns] = col;
                    to[columns] = i;
                }
                columns++;
                col = i + 1;
            }
        }
        return true;
    }

    /** True when the line is empty. */
    boolean empty() { return columns == 1 && from[0] == to[0]; }

    byte[] buf() { return buf; }

    int from(int column) { return from[column]; }

    int to(int column) { return to[column]; }

    String string(int column) {
        return new String(buf, from[column], to[column] - from[column], StandardCharsets.UTF_8);
    }

    /** True when the column holds exactly {@code ascii}. */
    boolean is(int column, String ascii) {
        return to[column] - from[column] == ascii.length() && at(from[column], ascii);
    }

    /** True when the line holds {@code ascii} at buffer position {@code pos} (within the line). */
    boolean at(int pos, String ascii) {
        if (pos + ascii.length() > end) return false;
        for (int i = 0; i < ascii.length(); i++) if (buf[pos + i] != ascii.charAt(i)) return false;
        return true;
    }

    /** Moves the current partial line to the buffer's start (growing it when the line fills it) and reads more. */
    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, limit - start);
            limit -= start;
            start = 0;
        }
        if (limit == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) eof = true; else limit += n;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) if (buf[i] == b) return i;
        return -1;
    }

    @Override
    public void close() throws IOException { in.close(); }
}
