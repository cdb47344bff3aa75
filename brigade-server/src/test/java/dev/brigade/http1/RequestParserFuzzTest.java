package dev.brigade.http1;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the head parser and the body decoders (STYLE habit 20). The input's
 * first byte chooses a split point (its fraction of 256 of the rest's length); the rest is the
 * bytes on the wire. Each input is parsed with the default limits and with tiny ones, whole and
 * split, and on HEAD_DONE the bytes after the head go to the body decoder the head asks for,
 * whole and split. Invariants: no exception of any kind; the contract's buffer rules (checked by
 * the feeding harnesses of {@link RequestParserVectorsTest} and {@link ChunkedDecoderTest});
 * statuses only from {400, 413, 414, 417, 431, 501, 505}; whole and split give the same result;
 * an accepted head is self-consistent.
 *
 * <p>In a normal {@code mvn test} this runs in regression mode: once per seed in
 * {@code src/test/resources/dev/brigade/http1/RequestParserFuzzTestInputs/anyBytesKeepTheParserContract/}
 * (a first byte, then an HTTP request), plus the empty input.
 *
 * <p>To fuzz for a bounded time ({@code maxDuration} below; new coverage is kept in
 * {@code brigade-server/.cifuzz-corpus/}, a crashing input is written to the inputs directory
 * above, from where it then runs as a regression test):
 *
 * <pre>
 * cd brigade-server &amp;&amp; JAZZER_FUZZ=1 mvn test -Djazzer.version=0.30.0 -Dtest=RequestParserFuzzTest
 * </pre>
 *
 * Jazzer 0.24.0 cannot instrument Java 25 class files (its ASM stops at class version 67), so it
 * fuzzes blind there: regression mode works, coverage-guided fuzzing needs Jazzer 0.30.0, whence
 * the {@code -Djazzer.version} override until the parent pom moves to it.
 */
class RequestParserFuzzTest {

    /** Tiny limits, so that short inputs reach every limit branch. */
    private static final Limits TINY = new Limits(24, 24, 3, 16);

    private static final Set<Integer> STATUSES = Set.of(400, 413, 414, 417, 431, 501, 505);

    @FuzzTest(maxDuration = "30s")
    // libFuzzer dictionary syntax: bytes other than printable ASCII are written as \\xNN.
    @DictionaryEntries({"\\x0D\\x0A", "\\x0D\\x0A\\x0D\\x0A", " HTTP/1.1", "HTTP/1.0", "GET / ", "POST ", "OPTIONS * ",
        "CONNECT ", "http://", "Host: ", "Content-Length: ", "Transfer-Encoding: ", "chunked", "gzip, ", "Connection: ",
        "close", "keep-alive", "Expect: ", "100-continue", "0\\x0D\\x0A\\x0D\\x0A", ";ext=\\\"v\\\"", "ffffffffffffffff",
        "\\x09", "\\x0D", "\\x0A", ":"})
    void anyBytesKeepTheParserContract(byte[] data) {
        if (data.length == 0) {
            return;
        }
        byte[] wire = Arrays.copyOfRange(data, 1, data.length);
        int split = (data[0] & 0xFF) * (wire.length + 1) >>> 8;
        for (Limits limits : List.of(Limits.DEFAULT, TINY)) {
            checkHead(limits, wire, split);
        }
    }

    private static void checkHead(Limits limits, byte[] wire, int split) {
        RequestParserVectorsTest.Outcome whole = RequestParserVectorsTest.feed(limits, wire, new int[0], false);
        int[] cuts = split > 0 && split < wire.length ? new int[] {split} : new int[0];
        assertThat(RequestParserVectorsTest.feed(limits, wire, cuts, true)).as("split at %d", split).isEqualTo(whole);
        switch (whole.result()) {
            case NEED_MORE -> assertThat(whole.consumed()).isLessThanOrEqualTo(wire.length);
            case ERROR -> assertThat(STATUSES).contains(whole.error().status());
            case HEAD_DONE -> {
                RequestHead head = whole.head();
                checkHeadIsConsistent(head);
                byte[] body = Arrays.copyOfRange(wire, whole.consumed(), wire.length);
                checkBody(head.framing(), limits, body, split * body.length / Math.max(1, wire.length));
            }
        }
    }

    private static void checkHeadIsConsistent(RequestHead head) {
        assertThat(Tokens.isToken(head.method(), 0, head.method().length())).isTrue();
        assertThat(head.target()).isNotEmpty();
        assertThat(head.target().chars()).allMatch(c -> c >= 0x21 && c <= 0x7E);
        HeaderFields fields = head.fields();
        assertThat(fields.count("Host")).isLessThanOrEqualTo(1);
        if (head.version() == HttpVersion.HTTP_1_1) {
            assertThat(head.host()).isNotNull();
        }
        if (head.framing() instanceof BodyFraming.Chunked) {
            assertThat(fields.count("Content-Length")).isZero();
            assertThat(head.version()).isEqualTo(HttpVersion.HTTP_1_1);
        }
        if (fields.count("Transfer-Encoding") > 0) {
            assertThat(head.framing()).isEqualTo(BodyFraming.CHUNKED);
        }
        for (int i = 0; i < fields.size(); i++) {
            String value = fields.value(i);
            assertThat(value).doesNotContain("\r", "\n", "\u0000");
            assertThat(value).doesNotStartWith(" ").doesNotEndWith(" ");
        }
    }

    private static void checkBody(BodyFraming framing, Limits limits, byte[] body, int split) {
        ChunkedDecoderTest.Outcome whole = ChunkedDecoderTest.decode(framing, limits, body, new int[0], false);
        int[] cuts = split > 0 && split < body.length ? new int[] {split} : new int[0];
        assertThat(ChunkedDecoderTest.decode(framing, limits, body, cuts, true)).as("body split at %d", split).isEqualTo(whole);
        if (whole.end() == BodyDecoder.Event.ERROR) {
            assertThat(STATUSES).contains(whole.error().status());
        }
        if (whole.end() == BodyDecoder.Event.END && framing instanceof BodyFraming.Length(long length)) {
            assertThat(whole.data()).hasSize((int) length);
        }
    }
}
