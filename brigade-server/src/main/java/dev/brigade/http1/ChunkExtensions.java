package dev.brigade.http1;

/**
 * Checks the chunk extensions of a chunk-size line against RFC 9112 §7.1.1, so that a line we
 * accept is one any conforming parser reads the same way; the extensions themselves are ignored.
 *
 * <pre>
 *   chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
 *   chunk-ext-name = token
 *   chunk-ext-val  = token / quoted-string
 * </pre>
 */
final class ChunkExtensions {

    private ChunkExtensions() {
    }

    /** True if {@code line[from, to)} is a valid (possibly empty) chunk-ext. */
    static boolean valid(byte[] line, int from, int to) {
        int i = from;
        while (i < to) {
            i = skipBws(line, i, to);
            if (i == to || line[i] != ';') {
                return false; // trailing whitespace, or anything but ";" after the size
            }
            i = skipBws(line, i + 1, to);
            int nameEnd = skipToken(line, i, to);
            if (nameEnd == i) {
                return false;
            }
            i = nameEnd;
            int afterBws = skipBws(line, i, to);
            if (afterBws < to && line[afterBws] == '=') {
                int valueStart = skipBws(line, afterBws + 1, to);
                i = valueStart < to && line[valueStart] == '"'
                        ? skipQuotedString(line, valueStart, to)
                        : skipToken(line, valueStart, to);
                if (i <= valueStart) {
                    return false; // empty or unterminated value
                }
            }
        }
        return true;
    }

    private static int skipBws(byte[] line, int i, int to) {
        while (i < to && Tokens.isOws(line[i])) {
            i++;
        }
        return i;
    }

    private static int skipToken(byte[] line, int i, int to) {
        while (i < to && Tokens.isTchar(line[i])) {
            i++;
        }
        return i;
    }

    /** The index after the closing quote of the quoted-string at {@code i}, or -1 if invalid. */
    private static int skipQuotedString(byte[] line, int i, int to) {
        for (i++; i < to; i++) {
            byte b = line[i];
            if (b == '"') {
                return i + 1;
            }
            if (b == '\\') {
                i++; // quoted-pair: the next byte must be HTAB, SP, VCHAR or obs-text
                if (i == to || !Tokens.isFieldValueByte(line[i])) {
                    return -1;
                }
            } else if (!Tokens.isFieldValueByte(b)) {
                return -1;
            }
        }
        return -1;
    }
}
