package dev.brigade.http1;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LineReader} against a byte-by-byte reference of its contract, on seeded random inputs:
 * CR and LF (alone and paired) at every offset of the first 40 bytes, limits on and around each
 * line's length, heap and direct buffers at odd positions, and lines fed in pieces (NEED_MORE,
 * then more bytes). Any difference in the answer, the line's bytes or the buffer's position and
 * limit fails with the input. (It guarded a word-at-a-time scan that JMH then showed no faster:
 * ParserBenchmark within noise, so the scan stayed byte by byte and this test stayed.)
 */
class LineReaderTest {

    private static final byte[] ALPHABET = {'a', 'Z', ' ', '\t', ':', '\r', '\n', (byte) 0x80, 0, (byte) 0xFF};

    @Test
    void answersAsTheByteByByteReferenceOnRandomLines() {
        Random random = new Random(20261130);
        for (int n = 0; n < 50_000; n++) {
            byte[] bytes = randomLine(random);
            int limitBytes = random.nextInt(bytes.length + 12);
            int offset = random.nextInt(9);
            boolean direct = random.nextBoolean();
            check(bytes, limitBytes, offset, direct);
        }
    }

    @Test
    void aLineFedInPiecesEndsAsTheWholeLineDoes() {
        Random random = new Random(7);
        for (int n = 0; n < 5_000; n++) {
            byte[] bytes = randomLine(random);
            int limitBytes = random.nextInt(bytes.length + 12);
            LineReader reader = new LineReader();
            int answer = LineReader.NEED_MORE;
            for (int end = 1; end <= bytes.length && answer == LineReader.NEED_MORE; end += 1 + random.nextInt(9)) {
                ByteBuffer in = ByteBuffer.allocateDirect(end);
                in.put(bytes, 0, end).flip();
                answer = reader.next(in, limitBytes);
                int expected = reference(bytes, 0, end, limitBytes);
                assertThat(answer).as("%s, %d bytes of it, limit %d", show(bytes), end, limitBytes).isEqualTo(expected);
            }
        }
    }

    @Test
    void crAndLfAreFoundAtEveryOffset() {
        for (int at = 0; at < 40; at++) {
            for (byte end : new byte[] {'\r', '\n'}) {
                byte[] bytes = new byte[48];
                Arrays.fill(bytes, (byte) 'x');
                bytes[at] = end;
                bytes[at + 1] = '\n';
                for (int limitBytes = Math.max(0, at - 9); limitBytes <= at + 9; limitBytes++) {
                    check(bytes, limitBytes, at % 8, true);
                    check(bytes, limitBytes, 3, false);
                }
            }
        }
    }

    private static void check(byte[] bytes, int limitBytes, int offset, boolean direct) {
        ByteBuffer in = direct ? ByteBuffer.allocateDirect(offset + bytes.length) : ByteBuffer.allocate(offset + bytes.length);
        in.position(offset);
        in.put(bytes).flip().position(offset);
        LineReader reader = new LineReader();
        int answer = reader.next(in, limitBytes);
        int expected = reference(bytes, 0, bytes.length, limitBytes);
        String what = show(bytes) + ", limit " + limitBytes + ", at " + offset + (direct ? ", direct" : ", heap");
        assertThat(answer).as(what).isEqualTo(expected);
        assertThat(in.position()).as("position untouched: " + what).isEqualTo(offset);
        assertThat(in.limit()).as("limit untouched: " + what).isEqualTo(offset + bytes.length);
        if (answer >= 0) {
            assertThat(Arrays.copyOf(reader.line(), answer)).as("the line: " + what).isEqualTo(Arrays.copyOf(bytes, answer));
        }
    }

    /** The contract, one byte at a time: CRLF ends a line, a lone CR or LF is an error, over the limit is too long. */
    private static int reference(byte[] b, int from, int to, int limitBytes) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\r') {
                if (i + 1 == to) {
                    return LineReader.NEED_MORE;
                }
                return b[i + 1] == '\n' ? i - from : LineReader.BARE_CR;
            }
            if (b[i] == '\n') {
                return LineReader.BARE_LF;
            }
            if (i - from >= limitBytes) {
                return LineReader.TOO_LONG;
            }
        }
        return LineReader.NEED_MORE;
    }

    /** Mostly plain bytes, CR and LF rare, so that long runs of whole words come before the end. */
    private static byte[] randomLine(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(70)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = random.nextInt(12) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : (byte) ('a' + random.nextInt(26));
        }
        if (random.nextBoolean()) {
            int end = random.nextInt(bytes.length);
            bytes[end] = '\r';
            if (end + 1 < bytes.length) {
                bytes[end + 1] = '\n';
            }
        }
        return bytes;
    }

    private static String show(byte[] bytes) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : bytes) {
            sb.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xFF));
        }
        return sb.append('"').toString();
    }
}
