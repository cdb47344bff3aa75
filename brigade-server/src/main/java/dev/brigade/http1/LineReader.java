package dev.brigade.http1;

import java.nio.ByteBuffer;

/**
 * Finds the next CRLF-terminated line at a buffer's position and copies it out, without consuming
 * anything: the caller advances the position past the line only once it has accepted the line.
 * Shared by the head parser and the chunked decoder so that both follow the same buffer contract.
 *
 * <ol>
 *   <li>{@link #next} answers the line's length (CRLF excluded) and leaves its bytes in
 *       {@link #line()}, or one of the negative codes below.</li>
 *   <li>On {@link #NEED_MORE} it remembers how far into the incomplete line it has scanned, so a
 *       line arriving one byte per call costs O(length), not O(length²). That memory is an offset
 *       from the line's start, valid because the caller hands the same unconsumed bytes back, at
 *       whatever buffer offset. It is only an optimisation: the line parsers re-check every byte
 *       of a complete line, including CR and LF, so a caller breaking the contract gets a 400,
 *       never an unchecked byte.</li>
 *   <li>A complete line or an error forgets that offset; {@link #reset()} forgets it too, for a
 *       caller that starts over on other bytes.</li>
 * </ol>
 *
 * <p>Lines end in CRLF only (RFC 9112 §2.2): a bare LF, or a CR followed by anything but LF, is an
 * error found as soon as the byte after it is seen. A line longer than the limit is an error as
 * soon as its limit+1-th content byte arrives, so the caller never needs more than limit+2 bytes.
 */
final class LineReader {

    /** The line is not complete yet; scan again with more bytes. */
    static final int NEED_MORE = -1;
    /** The line has more content bytes than allowed. */
    static final int TOO_LONG = -2;
    /** A CR followed by something other than LF. */
    static final int BARE_CR = -3;
    /** An LF not preceded by CR. */
    static final int BARE_LF = -4;

    /** Bytes of the incomplete line already scanned (never counting a trailing CR). */
    private int scannedBytes;
    /** The last complete line's content; grows to the longest line seen, at most the limit. */
    private byte[] line = new byte[256];

    /**
     * Looks for a complete line starting at {@code in.position()}; reads up to {@code in.limit()}
     * and changes neither. Returns its content length, or a negative code.
     */
    int next(ByteBuffer in, int contentBytesMax) {
        int start = in.position();
        int limit = in.limit();
        if (scannedBytes > limit - start) {
            scannedBytes = 0; // the caller handed back fewer bytes than before: rescan them all
        }
        for (int i = start + scannedBytes; i < limit; i++) {
            byte b = in.get(i);
            if (b == Tokens.CR) {
                if (i + 1 == limit) {
                    scannedBytes = i - start; // the CR is scanned again, with its successor
                    return NEED_MORE;
                }
                scannedBytes = 0;
                return in.get(i + 1) == Tokens.LF ? copyOut(in, start, i - start) : BARE_CR;
            }
            if (b == Tokens.LF) {
                scannedBytes = 0;
                return BARE_LF;
            }
            if (i - start >= contentBytesMax) {
                scannedBytes = 0;
                return TOO_LONG;
            }
        }
        scannedBytes = limit - start;
        return NEED_MORE;
    }

    private int copyOut(ByteBuffer in, int start, int length) {
        if (line.length < length) {
            line = new byte[Math.max(length, line.length * 2)];
        }
        in.get(start, line, 0, length);
        return length;
    }

    /** The content of the line last returned by {@link #next}; valid until the next call. */
    byte[] line() {
        return line;
    }

    /** Forget any incomplete line: call between messages (a complete line or an error forgets it already). */
    void reset() {
        scannedBytes = 0;
    }
}
