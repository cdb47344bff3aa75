package dev.brigade.http1;

import static dev.brigade.http1.RequestParserVectorsTest.bytes;
import static dev.brigade.http1.RequestParserVectorsTest.concat;
import static dev.brigade.http1.RequestParserVectorsTest.framed;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Chunked bodies (RFC 9112 §7.1) as a table: each body is decoded whole, split at every byte
 * position, and byte by byte, and must give the same bytes, trailers, end position or error.
 * The last tests cover {@link BodyDecoder#of} and the Content-Length decoder, which share the
 * contract.
 */
class ChunkedDecoderTest {

    /** Small limits: 32-byte lines, 4 trailer fields, 10-byte bodies. */
    static final Limits SMALL = new Limits(32, 32, 4, 10);

    private static final String NEXT = "GET / HTTP/1.1\r\n";

    /** A body on the wire, and what decoding it must give: data and trailers, or a status, or NEED_MORE. */
    record Vector(String rule, String wire, Limits limits, BodyDecoder.Event end, String data, String trailers,
            int status, String rest) {
        @Override
        public String toString() {
            return rule;
        }
    }

    /** What one decoding produced; equal across all ways of splitting the same input. */
    record Outcome(BodyDecoder.Event end, String data, String trailers, ParseError error, int consumed) {
    }

    static Vector ok(String rule, String wire, String data, String trailers, String rest) {
        return new Vector(rule, wire, Limits.DEFAULT, BodyDecoder.Event.END, data, trailers, 0, rest);
    }

    static Vector ok(String rule, Limits limits, String wire, String data, String trailers) {
        return new Vector(rule, wire, limits, BodyDecoder.Event.END, data, trailers, 0, "");
    }

    static Vector bad(String rule, Limits limits, String wire, int status) {
        return new Vector(rule, wire, limits, BodyDecoder.Event.ERROR, null, null, status, null);
    }

    static Vector bad(String rule, String wire, int status) {
        return bad(rule, Limits.DEFAULT, wire, status);
    }

    static Vector incomplete(String rule, String wire, String dataSoFar) {
        return new Vector(rule, wire, Limits.DEFAULT, BodyDecoder.Event.NEED_MORE, dataSoFar, null, 0, null);
    }

    static Stream<Vector> vectors() {
        List<Vector> v = new ArrayList<>();
        v.add(ok("one chunk", "5\r\nhello\r\n0\r\n\r\n", "hello", "[]", ""));
        v.add(ok("two chunks", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world", "[]", ""));
        v.add(ok("empty body: last-chunk only", "0\r\n\r\n", "", "[]", ""));
        v.add(ok("hex digits in both cases", "a\r\n0123456789\r\nA\r\nabcdefghij\r\n0\r\n\r\n", "0123456789abcdefghij", "[]", ""));
        v.add(ok("leading zeros in sizes, last-chunk of several zeros", "0005\r\nhello\r\n000\r\n\r\n", "hello", "[]", ""));
        v.add(ok("exactly 16 hex digits", "0000000000000005\r\nhello\r\n0000000000000000\r\n\r\n", "hello", "[]", ""));
        v.add(ok("chunk data holding CRLFs is data", "4\r\n\r\n\r\n\r\n0\r\n\r\n", "\r\n\r\n", "[]", ""));
        v.add(ok("chunk data holding any byte", "3\r\n\u0000\u00ff\n\r\n0\r\n\r\n", "\u0000\u00ff\n", "[]", ""));
        v.add(ok("extension name only", "5;foo\r\nhello\r\n0\r\n\r\n", "hello", "[]", ""));
        v.add(ok("extension with token value", "5;foo=bar\r\nhello\r\n0\r\n\r\n", "hello", "[]", ""));
        v.add(ok("extension with quoted value and quoted-pair", "5;foo=\"b a\\\"r;x\"\r\nhello\r\n0\r\n\r\n", "hello", "[]", ""));
        v.add(ok("several extensions with BWS", "5 ; a = 1\t;b;c=\"\"\r\nhello\r\n0\r\n\r\n", "hello", "[]", ""));
        v.add(ok("extension on the last chunk", "0;done=yes\r\n\r\n", "", "[]", ""));
        v.add(ok("trailer fields collected, OWS trimmed", "5\r\nhello\r\n0\r\nX-Sum: abc\r\nX-Other: \t v \r\n\r\n",
                "hello", "[X-Sum: abc, X-Other: v]", ""));
        v.add(ok("bytes after the body are left: pipelined request", "5\r\nhello\r\n0\r\n\r\n" + NEXT, "hello", "[]", NEXT));
        v.add(ok("trailers then pipelined request", "0\r\nX: 1\r\n\r\n" + NEXT, "", "[X: 1]", NEXT));
        v.add(ok("limit (small): body of exactly 10 bytes", SMALL, "4\r\n0123\r\n6\r\n456789\r\n0\r\n\r\n", "0123456789", "[]"));
        v.add(ok("limit (small): 4 trailers", SMALL, "0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", "", "[A: 1, B: 2, C: 3, D: 4]"));
        v.add(ok("limit (small): chunk-size line of exactly 32 bytes", SMALL, "1;" + "e".repeat(30) + "\r\nx\r\n0\r\n\r\n", "x", "[]"));
        v.add(ok("limit (small): trailer line of exactly 32 bytes", SMALL, "0\r\nX: " + "t".repeat(29) + "\r\n\r\n", "", "[X: " + "t".repeat(29) + "]"));
        v.add(bad("size that is not hex → 400", "g\r\nhello\r\n0\r\n\r\n", 400));
        v.add(bad("empty size line → 400", "\r\nhello\r\n", 400));
        v.add(bad("17 hex digits → 400", "00000000000000005\r\nhello\r\n0\r\n\r\n", 400));
        v.add(bad("signed size → 400", "-5\r\nhello\r\n0\r\n\r\n", 400));
        v.add(bad("0x prefix → 400", "0x5\r\nhello\r\n0\r\n\r\n", 400));
        v.add(bad("whitespace after size without extension → 400", "5 \r\nhello\r\n0\r\n\r\n", 400));
        v.add(bad("whitespace before size → 400", " 5\r\nhello\r\n0\r\n\r\n", 400));
        v.add(bad("extension with empty name → 400", "5;\r\nhello\r\n0\r\n\r\n", 400));
        v.add(bad("extension with empty value → 400", "5;a=\r\nhello\r\n0\r\n\r\n", 400));
        v.add(bad("extension with unterminated quote → 400", "5;a=\"x\r\nhello\r\n0\r\n\r\n", 400));
        v.add(bad("extension with two names → 400", "5;a b\r\nhello\r\n0\r\n\r\n", 400));
        v.add(bad("control char in extension → 400", "5;a=\"\u0001\"\r\nhello\r\n0\r\n\r\n", 400));
        v.add(bad("data longer than its size → 400", "5\r\nhelloX\r\n0\r\n\r\n", 400));
        v.add(bad("data followed by bare LF → 400", "5\r\nhello\n0\r\n\r\n", 400));
        v.add(bad("data followed by CR and not LF → 400", "5\r\nhello\rX0\r\n\r\n", 400));
        v.add(bad("size line ending in bare LF → 400", "5\nhello\r\n0\r\n\r\n", 400));
        v.add(bad("size line with bare CR → 400", "5\rhello\r\n0\r\n\r\n", 400));
        v.add(bad("trailer line ending in bare LF → 400", "0\r\nX: 1\n\r\n", 400));
        v.add(bad("bare LF ending the trailer section → 400", "0\r\n\n", 400));
        v.add(bad("obs-fold in trailers → 400", "0\r\nX: 1\r\n 2\r\n\r\n", 400));
        v.add(bad("trailer without colon → 400", "0\r\nX 1\r\n\r\n", 400));
        v.add(bad("trailer with space before colon → 400", "0\r\nX : 1\r\n\r\n", 400));
        v.add(bad("NUL in trailer value → 400", "0\r\nX: \u0000\r\n\r\n", 400));
        v.add(bad("16 hex digits beyond any limit → 413", "ffffffffffffffff\r\n", 413));
        v.add(bad("size beyond a long, in 16 digits → 413", "8000000000000000\r\n", 413));
        v.add(bad("limit (small): one chunk of 11 bytes → 413 before its data", SMALL, "b\r\n", 413));
        v.add(bad("limit (small): chunks adding up to 11 bytes → 413", SMALL, "6\r\n012345\r\n5\r\n", 413));
        v.add(bad("limit (small): 5 trailers → 431", SMALL, "0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n", 431));
        v.add(bad("limit (small): trailer line of 33 bytes → 431", SMALL, "0\r\nX: " + "t".repeat(30) + "\r\n\r\n", 431));
        v.add(bad("limit (small): chunk-size line of 33 bytes → 400", SMALL, "1;" + "e".repeat(31) + "\r\nx\r\n0\r\n\r\n", 400));
        v.add(bad("endless chunk-size line → 400 before its end", "1;" + "e".repeat(9000), 400));
        v.add(incomplete("partial chunk data is delivered", "5\r\nhel", "hel"));
        v.add(incomplete("data without its CRLF", "5\r\nhello", "hello"));
        v.add(incomplete("data and CR only", "5\r\nhello\r", "hello"));
        v.add(incomplete("last-chunk without the trailer section's end", "5\r\nhello\r\n0\r\n", "hello"));
        v.add(incomplete("incomplete trailer line", "0\r\nX-Sum: a", ""));
        return v.stream();
    }

    @Test
    void tableHasDistinctRules() {
        assertThat(vectors().map(Vector::rule).toList()).hasSizeGreaterThanOrEqualTo(50).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void wholeInputGivesTheExpectedBody(Vector v) {
        byte[] wire = bytes(v.wire());
        Outcome outcome = decode(BodyFraming.CHUNKED, v.limits(), wire, new int[0], false);
        assertThat(outcome.end()).as("final event (error %s)", outcome.error()).isEqualTo(v.end());
        switch (v.end()) {
            case ERROR -> assertThat(outcome.error().status()).as("status (%s)", outcome.error().reason()).isEqualTo(v.status());
            case NEED_MORE -> assertThat(outcome.data()).isEqualTo(v.data());
            default -> {
                assertThat(outcome.data()).isEqualTo(v.data());
                assertThat(outcome.trailers()).isEqualTo(v.trailers());
                assertThat(new String(wire, outcome.consumed(), wire.length - outcome.consumed(), StandardCharsets.ISO_8859_1))
                        .as("unconsumed bytes").isEqualTo(v.rest());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everySplitPointGivesTheSameBody(Vector v) {
        byte[] wire = bytes(v.wire());
        Outcome whole = decode(BodyFraming.CHUNKED, v.limits(), wire, new int[0], false);
        for (int k = 1; k < wire.length; k++) {
            assertThat(decode(BodyFraming.CHUNKED, v.limits(), wire, new int[] {k}, false)).as("split at %d", k).isEqualTo(whole);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void byteByByteGivesTheSameBody(Vector v) {
        byte[] wire = bytes(v.wire());
        int[] cuts = new int[Math.max(0, wire.length - 1)];
        Arrays.setAll(cuts, i -> i + 1);
        assertThat(decode(BodyFraming.CHUNKED, v.limits(), wire, cuts, true))
                .isEqualTo(decode(BodyFraming.CHUNKED, v.limits(), wire, new int[0], false));
    }

    @Test
    void dataIsASliceOfTheCallersBufferNotACopy() {
        ByteBuffer in = ByteBuffer.wrap(bytes("5\r\nhello\r\n0\r\n\r\n"));
        BodyDecoder decoder = BodyDecoder.of(BodyFraming.CHUNKED, Limits.DEFAULT);
        assertThat(decoder.next(in)).isEqualTo(BodyDecoder.Event.DATA);
        ByteBuffer data = decoder.data();
        assertThat(data.remaining()).isEqualTo(5);
        in.put(3, (byte) 'J');
        assertThat(data.get(0)).as("shares memory with the input").isEqualTo((byte) 'J');
        assertThat(in.position()).isEqualTo(8);
        assertThat(decoder.next(in)).isEqualTo(BodyDecoder.Event.END);
        assertThat(in.hasRemaining()).isFalse();
        assertThat(decoder.bodyBytesSoFar()).isEqualTo(5);
        assertThat(decoder.next(in)).as("END is sticky").isEqualTo(BodyDecoder.Event.END);
    }

    @Test
    void noneFramingIsAtEndAtOnceAndConsumesNothing() {
        BodyDecoder decoder = BodyDecoder.of(BodyFraming.NONE, Limits.DEFAULT);
        ByteBuffer in = ByteBuffer.wrap(bytes(NEXT));
        assertThat(decoder.next(in)).isEqualTo(BodyDecoder.Event.END);
        assertThat(in.position()).isZero();
        assertThat(decoder.trailers().size()).isZero();
    }

    @Test
    void lengthFramingDeliversExactlyTheLengthAtEverySplit() {
        byte[] wire = bytes("hello world" + NEXT);
        Outcome whole = decode(new BodyFraming.Length(11), Limits.DEFAULT, wire, new int[0], false);
        assertThat(whole).isEqualTo(new Outcome(BodyDecoder.Event.END, "hello world", "[]", null, 11));
        for (int k = 1; k < wire.length; k++) {
            assertThat(decode(new BodyFraming.Length(11), Limits.DEFAULT, wire, new int[] {k}, true)).isEqualTo(whole);
        }
        assertThat(decode(new BodyFraming.Length(11), Limits.DEFAULT, bytes("hello"), new int[0], false))
                .isEqualTo(new Outcome(BodyDecoder.Event.NEED_MORE, "hello", null, null, 5));
    }

    @Test
    void lengthBeyondTheBodyLimitIsRejectedWithoutReading() {
        BodyDecoder decoder = BodyDecoder.of(new BodyFraming.Length(11), SMALL);
        ByteBuffer in = ByteBuffer.wrap(bytes("hello world"));
        assertThat(decoder.next(in)).isEqualTo(BodyDecoder.Event.ERROR);
        assertThat(decoder.error().status()).isEqualTo(413);
        assertThat(in.position()).isZero();
    }

    /**
     * Decodes {@code wire} in pieces ending at {@code cuts} and at the end, keeping unconsumed
     * bytes after NEED_MORE as a connection would, and checks the buffer contract at every call.
     */
    static Outcome decode(BodyFraming framing, Limits limits, byte[] wire, int[] cuts, boolean direct) {
        BodyDecoder decoder = BodyDecoder.of(framing, limits);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] pending = new byte[0];
        int consumed = 0;
        int fed = 0;
        for (int c = 0; c <= cuts.length; c++) {
            int end = c < cuts.length ? cuts[c] : wire.length;
            pending = concat(pending, Arrays.copyOfRange(wire, fed, end));
            fed = end;
            ByteBuffer in = framed(pending, direct);
            int start = in.position();
            int limit = in.limit();
            BodyDecoder.Event event;
            do {
                int before = in.position();
                event = decoder.next(in);
                assertThat(in.limit()).as("limit untouched").isEqualTo(limit);
                assertThat(in.position()).as("position within [before, limit]").isBetween(before, limit);
                if (event == BodyDecoder.Event.DATA) {
                    ByteBuffer slice = decoder.data();
                    assertThat(slice.remaining()).as("DATA is never empty").isPositive();
                    assertThat(slice.isDirect()).as("a slice of the input").isEqualTo(direct);
                    byte[] piece = new byte[slice.remaining()];
                    slice.duplicate().get(piece);
                    data.writeBytes(piece);
                }
            } while (event == BodyDecoder.Event.DATA);
            consumed += in.position() - start;
            assertThat(decoder.bodyBytesSoFar()).isEqualTo(data.size());
            String bytes = data.toString(StandardCharsets.ISO_8859_1);
            switch (event) {
                case END -> {
                    return new Outcome(event, bytes, decoder.trailers().toString(), null, consumed);
                }
                case ERROR -> {
                    return new Outcome(event, null, null, decoder.error(), consumed);
                }
                default -> {
                    pending = Arrays.copyOfRange(pending, in.position() - start, pending.length);
                    assertThat(pending.length).as("kept bytes fit the caller's buffer").isLessThanOrEqualTo(limits.fieldBytesMax() + 1);
                }
            }
        }
        return new Outcome(BodyDecoder.Event.NEED_MORE, data.toString(StandardCharsets.ISO_8859_1), null, null, consumed);
    }
}
