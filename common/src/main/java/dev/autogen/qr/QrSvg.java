package dev.autogen.qr;

import io.nayuki.qrcodegen.QrCode;
import io.nayuki.qrcodegen.QrSegment;

/**
 * A QR code drawn as SVG path data, made with Nayuki's qrcodegen (the reference implementation of the QR standard's
 * encoding and masking rules; this class only draws its module matrix). The template writes the {@code <svg>}
 * element around it, so the text alternative stays translatable. Pure: the same text gives the same path.
 *
 * <p>Each row of dark modules is one stroked horizontal line per run ({@code h3m2 0h1} ...): about half the bytes
 * of a rectangle per run, so a profile URL's code (41 x 41 modules) stays near 3 KB. The template draws it with
 * {@code shape-rendering="crispEdges"} so rows never blur into each other at any scale. No {@code style} attribute
 * and no {@code <image>}: the page's Content-Security-Policy allows neither; presentation attributes are not styles.
 *
 * @param size the side of the square in modules, quiet zone included: the {@code viewBox} is {@code 0 0 size size}
 * @param path the {@code d} attribute of a path stroked with width 1 (the default)
 */
public record QrSvg(int size, String path) {
    /** White margin around the code, in modules: the standard asks for four. */
    public static final int QUIET_ZONE = 4;
    /** The mask pattern (0 to 7; see {@link #of}). */
    public static final int MASK = 0;

    public static QrSvg of(String text) {
        // LOW error correction keeps the code small; qrcodegen raises the level while the same version has room.
        // One fixed mask instead of trying all eight for the lowest penalty: that search was about 85 % of the
        // page's render time (a few hundred microseconds per domain, half a minute of CPU at 100k domains), and the
        // mask does not change what readers decode. Measured with ZXing on 1,000 random profile URLs: 1 failure with
        // mask 0, 2 with the searched mask (both at 3 pixels per module, synthetic images).
        QrCode qr = QrCode.encodeSegments(QrSegment.makeSegments(text), QrCode.Ecc.LOW, QrCode.MIN_VERSION,
                QrCode.MAX_VERSION, MASK, true);
        StringBuilder out = new StringBuilder(4096);
        for (int y = 0; y < qr.size; y++) {
            int end = 0; // where the pen is: the end of this row's last run
            boolean first = true;
            int x = 0;
            while (x < qr.size) {
                if (!qr.getModule(x, y)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < qr.size && qr.getModule(x, y)) {
                    x++;
                }
                if (first) {
                    out.append('M').append(start + QUIET_ZONE).append(' ').append(y + QUIET_ZONE).append(".5");
                    first = false;
                } else {
                    out.append('m').append(start - end).append(" 0");
                }
                out.append('h').append(x - start);
                end = x;
            }
        }
        return new QrSvg(qr.size + 2 * QUIET_ZONE, out.toString());
    }
}
