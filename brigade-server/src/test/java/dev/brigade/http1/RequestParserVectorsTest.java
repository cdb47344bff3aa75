package dev.brigade.http1;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request-head rules as a table of vectors, each named by the rule it checks. Every vector is
 * parsed whole, split at every byte position, and byte by byte, following the NEED_MORE buffer
 * contract, and must give the same outcome each time (STYLE habit 18). Every valid vector is also
 * parsed with bare-LF line endings, which must be a 400.
 */
class RequestParserVectorsTest {

    /** Small limits, to test each limit at n and n+1 bytes with short inputs. */
    static final Limits SMALL = new Limits(32, 32, 4, 100);
    /** Small lines and a whole-head limit of 91 bytes. */
    static final Limits HEAD_91 = new Limits(32, 32, 10, 100, 91);

    private static final String H = "Host: example.com\r\n";

    /** One rule: the input (ISO-8859-1 chars, one per byte) and either a status or head checks. */
    record Vector(String rule, String input, Limits limits, Expected expected) {
        @Override
        public String toString() {
            return rule;
        }
    }

    sealed interface Expected {
    }

    record Fails(int status) implements Expected {
    }

    record Parses(Consumer<Parsed> check) implements Expected {
    }

    record Incomplete() implements Expected {
    }

    /** A head and the unconsumed bytes after it. */
    record Parsed(RequestHead head, String rest) {
    }

    /** What one feeding produced; equal across all ways of splitting the same input. */
    record Outcome(RequestParser.Result result, ParseError error, RequestHead head, int consumed) {
    }

    static Stream<Vector> vectors() {
        List<Vector> v = new ArrayList<>();
        requestLineRules(v);
        fieldRules(v);
        hostAndConnectionRules(v);
        framingRules(v);
        limitRules(v);
        headLimitRules(v);
        return v.stream();
    }

    static Stream<Vector> validVectors() {
        return vectors().filter(v -> v.expected() instanceof Parses);
    }

    @Test
    void tableHasAtLeastNinetyVectorsWithDistinctRules() {
        List<String> rules = vectors().map(Vector::rule).toList();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(90).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void wholeInputGivesTheExpectedOutcome(Vector v) {
        byte[] input = bytes(v.input());
        Outcome outcome = feed(v.limits(), input, new int[0], false);
        switch (v.expected()) {
            case Fails(int status) -> {
                assertThat(outcome.result()).as("result (head %s)", outcome.head()).isEqualTo(RequestParser.Result.ERROR);
                assertThat(outcome.error().status()).as("status (%s)", outcome.error().reason()).isEqualTo(status);
            }
            case Incomplete() -> assertThat(outcome.result()).isEqualTo(RequestParser.Result.NEED_MORE);
            case Parses(Consumer<Parsed> check) -> {
                assertThat(outcome.result()).as("result (error %s)", outcome.error()).isEqualTo(RequestParser.Result.HEAD_DONE);
                String rest = new String(input, outcome.consumed(), input.length - outcome.consumed(), StandardCharsets.ISO_8859_1);
                check.accept(new Parsed(outcome.head(), rest));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everySplitPointGivesTheSameOutcome(Vector v) {
        byte[] input = bytes(v.input());
        Outcome whole = feed(v.limits(), input, new int[0], false);
        for (int k = 1; k < input.length; k++) {
            assertThat(feed(v.limits(), input, new int[] {k}, false)).as("split at %d", k).isEqualTo(whole);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void byteByByteGivesTheSameOutcome(Vector v) {
        byte[] input = bytes(v.input());
        int[] cuts = new int[Math.max(0, input.length - 1)];
        Arrays.setAll(cuts, i -> i + 1);
        assertThat(feed(v.limits(), input, cuts, true)).isEqualTo(feed(v.limits(), input, new int[0], false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validVectors")
    void bareLfLineEndingsAreRejected(Vector v) {
        byte[] input = bytes(v.input().replace("\r\n", "\n"));
        Outcome outcome = feed(v.limits(), input, new int[0], false);
        assertThat(outcome.result()).isEqualTo(RequestParser.Result.ERROR);
        assertThat(outcome.error().status()).isEqualTo(400);
    }

    @Test
    void pipelinedHeadsParseInOrderAfterResetAndEarlierHeadsStayIntact() {
        String first = "GET /1 HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\n";
        ByteBuffer in = ByteBuffer.wrap(bytes(first + "GET /2 HTTP/1.1\r\nHost: b\r\n\r\n"));
        RequestParser parser = new RequestParser(Limits.DEFAULT);
        assertThat(parser.parse(in)).isEqualTo(RequestParser.Result.HEAD_DONE);
        RequestHead head1 = parser.head();
        assertThat(in.position()).isEqualTo(first.length());
        assertThat(parser.bytesConsumed()).isEqualTo(first.length());

        parser.reset();
        assertThat(parser.bytesConsumed()).isZero();
        assertThat(parser.head()).isNull();
        assertThat(parser.parse(in)).isEqualTo(RequestParser.Result.HEAD_DONE);
        assertThat(parser.head().target()).isEqualTo("/2");
        assertThat(in.hasRemaining()).isFalse();
        assertThat(head1.target()).isEqualTo("/1");
        assertThat(head1.fields().size()).isEqualTo(2);
        assertThat(head1.host()).isEqualTo("a");
    }

    @Test
    void resultsAreStickyAndConsumeNothingUntilReset() {
        RequestParser parser = new RequestParser(Limits.DEFAULT);
        ByteBuffer done = ByteBuffer.wrap(bytes(get("") + "GET / HTTP/1.1\r\n"));
        assertThat(parser.parse(done)).isEqualTo(RequestParser.Result.HEAD_DONE);
        int position = done.position();
        assertThat(parser.parse(done)).isEqualTo(RequestParser.Result.HEAD_DONE);
        assertThat(done.position()).isEqualTo(position);

        parser.reset();
        ByteBuffer broken = ByteBuffer.wrap(bytes("GET / HTTP/1.1\nHost: a\r\n\r\n"));
        assertThat(parser.parse(broken)).isEqualTo(RequestParser.Result.ERROR);
        assertThat(parser.parse(ByteBuffer.wrap(bytes(get(""))))).isEqualTo(RequestParser.Result.ERROR);
        assertThat(broken.position()).as("the rejected line is not consumed").isZero();
        assertThat(parser.error().status()).isEqualTo(400);

        parser.reset();
        assertThat(parser.error()).isNull();
        assertThat(parser.parse(ByteBuffer.wrap(bytes(get(""))))).isEqualTo(RequestParser.Result.HEAD_DONE);
    }

    @Test
    void needMoreLeavesThePositionAtTheStartOfTheIncompleteLine() {
        RequestParser parser = new RequestParser(Limits.DEFAULT);
        ByteBuffer in = ByteBuffer.wrap(bytes("\r\nGET / HTTP/1.1\r\nHost: exa"));
        assertThat(parser.parse(in)).isEqualTo(RequestParser.Result.NEED_MORE);
        assertThat(in.position()).isEqualTo(18);
        assertThat(parser.bytesConsumed()).isEqualTo(18);
    }

    @Test
    void headerFieldsLookUpNamesAndListTokensCaseInsensitively() {
        HeaderFields fields = new HeaderFields();
        for (int i = 0; i < 20; i++) {
            fields.add("X-" + i, "v" + i);
        }
        fields.add("connection", " Keep-Alive ,\tUPGRADE,");
        fields.add("CONNECTION", "te");
        assertThat(fields.size()).isEqualTo(22);
        assertThat(fields.first("x-19")).isEqualTo("v19");
        assertThat(fields.first("X-20")).isNull();
        assertThat(fields.count("Connection")).isEqualTo(2);
        assertThat(fields.containsToken("Connection", "upgrade")).isTrue();
        assertThat(fields.containsToken("Connection", "KEEP-ALIVE")).isTrue();
        assertThat(fields.containsToken("Connection", "TE")).isTrue();
        assertThat(fields.containsToken("Connection", "close")).isFalse();
        assertThat(fields.containsToken("Connection", "keep")).isFalse();
        assertThat(fields.containsToken("X-1", "v")).isFalse();
        // The Kelvin sign folds to 'k' in String.equalsIgnoreCase; field matching is ASCII-only.
        assertThat(fields.containsToken("Connection", "\u212aeep-alive")).isFalse();
        assertThat(fields.name(20)).isEqualTo("connection");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fields.value(22))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Feeds {@code input} to a new parser in pieces ending at {@code cuts} (ascending) and at the
     * end, as a connection would: after NEED_MORE the unconsumed bytes are kept and the next piece
     * appended. Each call sees its bytes between junk that a parser reading outside
     * [position, limit) would trip on. Checks the buffer contract at every call.
     */
    static Outcome feed(Limits limits, byte[] input, int[] cuts, boolean direct) {
        RequestParser parser = new RequestParser(limits);
        byte[] pending = new byte[0];
        int consumed = 0;
        int fed = 0;
        for (int c = 0; c <= cuts.length; c++) {
            int end = c < cuts.length ? cuts[c] : input.length;
            pending = concat(pending, Arrays.copyOfRange(input, fed, end));
            fed = end;
            ByteBuffer in = framed(pending, direct);
            int start = in.position();
            int limit = in.limit();
            RequestParser.Result result = parser.parse(in);
            assertThat(in.limit()).as("limit untouched").isEqualTo(limit);
            assertThat(in.position()).as("position within [start, limit]").isBetween(start, limit);
            consumed += in.position() - start;
            if (result != RequestParser.Result.NEED_MORE) {
                if (result == RequestParser.Result.HEAD_DONE) {
                    assertThat(parser.bytesConsumed()).isEqualTo(consumed);
                    assertThat(parser.error()).isNull();
                } else {
                    assertThat(parser.head()).isNull();
                }
                return new Outcome(result, parser.error(), parser.head(), consumed);
            }
            pending = Arrays.copyOfRange(pending, in.position() - start, pending.length);
            // What is left must be a single incomplete line that fits the caller's buffer.
            assertThat(new String(pending, StandardCharsets.ISO_8859_1)).doesNotContain("\n");
            assertThat(pending.length).isLessThanOrEqualTo(Math.max(limits.requestLineBytesMax(), limits.fieldBytesMax()) + 1);
            assertThat(parser.bytesConsumed()).isEqualTo(consumed);
        }
        return new Outcome(RequestParser.Result.NEED_MORE, null, null, consumed);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** {@code content} at position 3 of a larger buffer, between junk bytes, limit at its end. */
    static ByteBuffer framed(byte[] content, boolean direct) {
        byte[] junk = bytes("\n\r:");
        ByteBuffer in = direct ? ByteBuffer.allocateDirect(content.length + 6) : ByteBuffer.allocate(content.length + 6);
        in.put(junk).put(content).put(junk);
        return in.limit(3 + content.length).position(3);
    }

    private static void requestLineRules(List<Vector> v) {
        v.add(ok("RFC9112 §3: simple GET", "GET / HTTP/1.1\r\n" + H + "\r\n",
                all(request("GET", "/", HttpVersion.HTTP_1_1), host("example.com"), framing(BodyFraming.NONE),
                        keepAlive(true), expectContinue(false), fieldCount(1), rest(""))));
        v.add(ok("RFC9112 §3.2.1: origin-form keeps path and query as sent",
                "GET /a/b%20c?x=1&y=~!$'()*+,;=:@ HTTP/1.1\r\n" + H + "\r\n",
                request("GET", "/a/b%20c?x=1&y=~!$'()*+,;=:@", HttpVersion.HTTP_1_1)));
        v.add(ok("RFC9110 §9.1: methods are case-sensitive tokens, kept as sent", "get / HTTP/1.1\r\n" + H + "\r\n",
                request("get", "/", HttpVersion.HTTP_1_1)));
        v.add(ok("RFC9110 §9.1: extension method with tchar punctuation", "M-SEARCH!#$%&'*+.^_`|~ / HTTP/1.1\r\n" + H + "\r\n",
                request("M-SEARCH!#$%&'*+.^_`|~", "/", HttpVersion.HTTP_1_1)));
        v.add(ok("RFC9112 §2.2: one empty line before the request line is skipped", "\r\nGET / HTTP/1.1\r\n" + H + "\r\n",
                all(request("GET", "/", HttpVersion.HTTP_1_1), rest(""))));
        v.add(ok("RFC9112 §2.2: eight empty lines before the request line are skipped",
                "\r\n".repeat(8) + "GET / HTTP/1.1\r\n" + H + "\r\n", request("GET", "/", HttpVersion.HTTP_1_1)));
        v.add(bad("RFC9112 §2.2: nine empty lines before the request line → 400",
                "\r\n".repeat(9) + "GET / HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §2.2: bare LF as a leading empty line → 400", "\nGET / HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(ok("RFC9112 §3.2.4: asterisk-form with OPTIONS", "OPTIONS * HTTP/1.1\r\n" + H + "\r\n",
                request("OPTIONS", "*", HttpVersion.HTTP_1_1)));
        v.add(bad("RFC9112 §3.2.4: asterisk-form with GET → 400", "GET * HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3.2.4: asterisk followed by more → 400", "OPTIONS *x HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(ok("RFC9112 §3.2.2: absolute-form authority overrides Host",
                "GET http://example.org/x?y HTTP/1.1\r\nHost: other.example\r\n\r\n",
                all(request("GET", "http://example.org/x?y", HttpVersion.HTTP_1_1), host("example.org"))));
        v.add(ok("RFC9112 §3.2.2: absolute-form scheme is case-insensitive, port kept",
                "GET HTTPS://Example.org:8443 HTTP/1.1\r\nHost: Example.org:8443\r\n\r\n", host("Example.org:8443")));
        v.add(bad("RFC9112 §3.2.2: absolute-form with another scheme → 400", "GET ftp://example.org/ HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9110 §4.2.1: http URI with empty host → 400", "GET http:///x HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9110 §4.2.1: scheme alone → 400", "GET http:// HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9110 §4.2.4: userinfo in absolute-form → 400", "GET http://user@evil.example/ HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(ok("RFC9112 §3.2.3: CONNECT with authority-form", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
                all(request("CONNECT", "example.com:443", HttpVersion.HTTP_1_1), host("example.com:443"))));
        v.add(ok("RFC9112 §3.2.3: CONNECT to an IPv6 literal", "CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n",
                host("[::1]:8443")));
        v.add(bad("RFC9112 §3.2.3: CONNECT with origin-form → 400", "CONNECT / HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3.2.3: CONNECT without port → 400", "CONNECT example.com HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3.2.3: CONNECT with empty port → 400", "CONNECT example.com: HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3.2.3: CONNECT with empty host → 400", "CONNECT :443 HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3.2.3: authority-form with GET → 400", "GET example.com:80 HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3.2: target in no known form → 400", "GET example.com HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3: two spaces after method → 400", "GET  / HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3: two spaces before version → 400", "GET /  HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3: tab as separator → 400", "GET\t/ HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3: tab before version → 400", "GET /\tHTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3: leading space → 400", " GET / HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3: trailing space after version → 400", "GET / HTTP/1.1 \r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3: space inside target → 400", "GET /a b HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9110 §5.6.2: method with non-tchar → 400", "GE(T / HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9110 §5.6.2: method with obs-text → 400", "G\u00c9T / HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3.2: NUL in target → 400", "GET /a\u0000b HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3.2: DEL in target → 400", "GET /a\u007fb HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3.2: control char 0x01 in target → 400", "GET /\u0001 HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3.2: raw UTF-8 bytes in target → 400", "GET /caf\u00c3\u00a9 HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §3: HTTP/0.9 style two-part line → 400", "GET /\r\n\r\n", 400));
        v.add(bad("RFC9112 §3: method alone → 400", "GET\r\n\r\n", 400));
        v.add(ok("RFC9110 §2.5: HTTP/1.2 is served as 1.1", "GET / HTTP/1.2\r\n" + H + "\r\n", request("GET", "/", HttpVersion.HTTP_1_1)));
        v.add(ok("RFC9110 §2.5: HTTP/1.9 is served as 1.1", "GET / HTTP/1.9\r\n" + H + "\r\n", request("GET", "/", HttpVersion.HTTP_1_1)));
        v.add(bad("RFC9110 §2.5: HTTP/2.0 → 505", "GET / HTTP/2.0\r\n" + H + "\r\n", 505));
        v.add(bad("RFC9112 §2.3: HTTP/3 without minor → 400 (not the grammar)", "GET / HTTP/3\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9110 §2.5: HTTP/0.9 → 505", "GET / HTTP/0.9\r\n" + H + "\r\n", 505));
        v.add(bad("RFC9110 §2.5: HTTP/3.0, well-formed, not implemented → 505", "GET / HTTP/3.0\r\n" + H + "\r\n", 505));
        v.add(bad("RFC9112 §2.3: HTTP/x.1, a letter for the major → 400", "GET / HTTP/x.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §2.3: HTTP-1.1, no slash → 400", "GET / HTTP-1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §2.3: HTTX/1.1 → 400", "GET / HTTX/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §2.3: HTTP/1 without minor → 400", "GET / HTTP/1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §2.3: lower-case http/1.1 → 400 (case-sensitive)", "GET / http/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §2.3: HTTP/1.1x → 400", "GET / HTTP/1.1x\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §2.3: two-digit minor HTTP/1.10 → 400", "GET / HTTP/1.10\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §2.3: non-digit minor HTTP/1.a → 400", "GET / HTTP/1.a\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §2.3: NUL in version → 400", "GET / HTTP/1.1\u0000\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §2.2: bare LF ends the request line → 400", "GET / HTTP/1.1\nHost: a\n\n", 400));
        v.add(bad("RFC9112 §2.2: bare CR inside the request line → 400", "GET /\r HTTP/1.1\r\n" + H + "\r\n", 400));
        v.add(bad("RFC9112 §2.2: CR CR LF ending the request line → 400", "GET / HTTP/1.1\r\r\n" + H + "\r\n", 400));
    }

    private static void fieldRules(List<Vector> v) {
        v.add(ok("RFC9112 §5: leading and trailing OWS trimmed, inner kept", get("X-A: \t v a l \t \r\n"), field("X-A", "v a l")));
        v.add(ok("RFC9112 §5: empty field value", get("X-Empty:\r\n"), field("x-empty", "")));
        v.add(ok("RFC9110 §5.5: obs-text value decoded as ISO-8859-1", get("X-L: caf\u00e9 \u00ff\r\n"), field("X-L", "caf\u00e9 \u00ff")));
        v.add(ok("RFC9110 §5.1: names compared case-insensitively, kept as sent", get("x-CuStOm: 1\r\n"),
                all(field("X-CUSTOM", "1"), p -> assertThat(p.head().fields().name(1)).isEqualTo("x-CuStOm"))));
        v.add(ok("RFC9112 §5: colons inside the value are value", get("X-T: a:b: c\r\n"), field("X-T", "a:b: c")));
        v.add(ok("RFC9110 §5.6.2: field name made of every tchar", get("!#$%&'*+-.^_`|~09azAZ: v\r\n"), field("!#$%&'*+-.^_`|~09azAZ", "v")));
        v.add(ok("RFC9110 §5.3: repeated fields kept in order", get("X-R: 1\r\nX-R: 2\r\n"),
                all(fieldCount(3), field("X-R", "1"), p -> assertThat(p.head().fields().value(2)).isEqualTo("2"))));
        v.add(bad("RFC9112 §5.2: obs-fold continuation line → 400", get("X-F: a\r\n b\r\n"), 400));
        v.add(bad("RFC9112 §5.2: tab-folded continuation line → 400", get("X-F: a\r\n\tb\r\n"), 400));
        v.add(bad("RFC9112 §2.2: whitespace line right after the request line → 400", "GET / HTTP/1.1\r\n " + H + "\r\n", 400));
        v.add(bad("RFC9112 §5.1: space between name and colon → 400", "GET / HTTP/1.1\r\nHost : example.com\r\n\r\n", 400));
        v.add(bad("RFC9112 §5.1: tab between name and colon → 400", get("X-A\t: 1\r\n"), 400));
        v.add(bad("RFC9112 §5: field line without colon → 400", get("X-A 1\r\n"), 400));
        v.add(bad("RFC9112 §5: empty field name → 400", get(": 1\r\n"), 400));
        v.add(bad("RFC9110 §5.6.2: non-tchar in field name → 400", get("X(A): 1\r\n"), 400));
        v.add(bad("RFC9110 §5.6.2: obs-text in field name → 400", get("X-\u00e9: 1\r\n"), 400));
        v.add(bad("RFC9110 §5.5: NUL in field value → 400", get("X-A: a\u0000b\r\n"), 400));
        v.add(bad("RFC9110 §5.5: DEL in field value → 400", get("X-A: a\u007fb\r\n"), 400));
        v.add(bad("RFC9110 §5.5: control char 0x1F in field value → 400", get("X-A: a\u001fb\r\n"), 400));
        v.add(bad("RFC9110 §5.5: vertical tab in field value → 400", get("X-A: a\u000bb\r\n"), 400));
        v.add(bad("RFC9112 §2.2: bare CR in field value → 400", get("X-A: a\rb\r\n"), 400));
        v.add(bad("RFC9112 §2.2: bare LF ends a field line → 400", "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", 400));
        v.add(bad("RFC9112 §2.2: bare LF as the empty line ending the head → 400", "GET / HTTP/1.1\r\n" + H + "\n", 400));
        v.add(bad("RFC9112 §2.2: CR CR LF as the empty line → 400", "GET / HTTP/1.1\r\n" + H + "\r\r\n", 400));
        v.add(ok("RFC9110 §10.1.1: Expect 100-continue", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3\r\nExpect: 100-continue\r\n\r\n",
                all(expectContinue(true), framing(new BodyFraming.Length(3)), rest(""))));
        v.add(ok("RFC9110 §10.1.1: Expect is case-insensitive", get("Expect: 100-Continue\r\n"), expectContinue(true)));
        v.add(ok("RFC9110 §10.1.1: 100-continue in HTTP/1.0 is ignored", "GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n",
                expectContinue(false)));
        v.add(bad("RFC9110 §10.1.1: unknown expectation → 417", get("Expect: something\r\n"), 417));
        v.add(bad("RFC9110 §10.1.1: 100-continue listed with another expectation → 417", get("Expect: 100-continue, foo\r\n"), 417));
        v.add(bad("RFC9110 §10.1.1: empty Expect → 417", get("Expect:\r\n"), 417));
    }

    private static void hostAndConnectionRules(List<Vector> v) {
        v.add(ok("RFC9112 §3.2: Host with port", "GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n", host("example.com:8080")));
        v.add(ok("RFC9112 §3.2: Host with IPv6 literal", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", host("[::1]:8080")));
        v.add(ok("RFC9112 §3.2: empty Host is allowed", "GET / HTTP/1.1\r\nHost:\r\n\r\n", host("")));
        v.add(ok("RFC9112 §3.2: Host field name in any case", "GET / HTTP/1.1\r\nhOsT: a.example\r\n\r\n", host("a.example")));
        v.add(ok("RFC9112 §3.2: HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n",
                all(request("GET", "/", HttpVersion.HTTP_1_0), host(null), keepAlive(false))));
        v.add(bad("RFC9112 §3.2: HTTP/1.1 without Host → 400", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400));
        v.add(bad("RFC9112 §3.2: two Host fields → 400", get("Host: example.com\r\n"), 400));
        v.add(bad("RFC9112 §3.2: two Host fields in HTTP/1.0 → 400", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400));
        v.add(bad("RFC9112 §3.2: Host with inner space → 400", "GET / HTTP/1.1\r\nHost: exa mple.com\r\n\r\n", 400));
        v.add(bad("RFC3986 §3.2.2: Host with a slash → 400", "GET / HTTP/1.1\r\nHost: example.com/x\r\n\r\n", 400));
        v.add(bad("RFC3986 §3.2.2: Host with userinfo → 400", "GET / HTTP/1.1\r\nHost: user@example.com\r\n\r\n", 400));
        v.add(bad("RFC3986 §3.2.2: Host with obs-text → 400", "GET / HTTP/1.1\r\nHost: caf\u00e9.example\r\n\r\n", 400));
        v.add(ok("RFC9112 §9.3: HTTP/1.1 is keep-alive by default", get(""), keepAlive(true)));
        v.add(ok("RFC9112 §9.6: Connection: close", get("Connection: close\r\n"), keepAlive(false)));
        v.add(ok("RFC9112 §9.6: close found in a list, any case", get("Connection: Keep-Alive, CLOSE\r\n"), keepAlive(false)));
        v.add(ok("RFC9112 §9.6: close in a second Connection field", get("Connection: upgrade\r\nConnection: close\r\n"), keepAlive(false)));
        v.add(ok("RFC9112 §9.6: 'closed' is not the close option", get("Connection: closed\r\n"), keepAlive(true)));
        v.add(ok("RFC9112 §9.3: HTTP/1.0 keep-alive is opt-in", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", keepAlive(true)));
        v.add(ok("RFC9112 §9.3: HTTP/1.0 keep-alive with close is close", "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n",
                keepAlive(false)));
    }

    private static void framingRules(List<Vector> v) {
        v.add(ok("RFC9112 §6.3: Content-Length body left unconsumed", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\n\r\nhello",
                all(framing(new BodyFraming.Length(5)), rest("hello"))));
        v.add(ok("RFC9112 §6.3: Content-Length 0 is no body", get("Content-Length: 0\r\n"), framing(BodyFraming.NONE)));
        v.add(ok("RFC9110 §8.6: leading zeros in Content-Length", get("Content-Length: 007\r\n"), framing(new BodyFraming.Length(7))));
        v.add(ok("RFC9110 §8.6: list of identical Content-Length values", get("Content-Length: 5, 5\r\n"), framing(new BodyFraming.Length(5))));
        v.add(ok("RFC9110 §8.6: repeated identical Content-Length fields", get("Content-Length: 5\r\nContent-Length: 5\r\n"),
                framing(new BodyFraming.Length(5))));
        v.add(bad("RFC9110 §8.6: differing values in a Content-Length list → 400", get("Content-Length: 5, 6\r\n"), 400));
        v.add(bad("RFC9110 §8.6: differing repeated Content-Length fields → 400", get("Content-Length: 5\r\nContent-Length: 6\r\n"), 400));
        v.add(bad("RFC9110 §8.6: negative Content-Length → 400", get("Content-Length: -1\r\n"), 400));
        v.add(bad("RFC9110 §8.6: signed Content-Length → 400", get("Content-Length: +5\r\n"), 400));
        v.add(bad("RFC9110 §8.6: empty Content-Length → 400", get("Content-Length:\r\n"), 400));
        v.add(bad("RFC9110 §8.6: Content-Length with trailing letter → 400", get("Content-Length: 5a\r\n"), 400));
        v.add(bad("RFC9110 §8.6: hex Content-Length → 400", get("Content-Length: 0x5\r\n"), 400));
        v.add(bad("RFC9110 §8.6: decimal point in Content-Length → 400", get("Content-Length: 5.0\r\n"), 400));
        v.add(bad("RFC9110 §8.6: two numbers without comma → 400", get("Content-Length: 5 5\r\n"), 400));
        v.add(bad("RFC9110 §8.6: empty element in a Content-Length list → 400", get("Content-Length: 5,\r\n"), 400));
        v.add(bad("RFC9110 §8.6: Content-Length beyond a long → 400", get("Content-Length: 9223372036854775808\r\n"), 400));
        v.add(bad("RFC9110 §8.6: Content-Length of Long.MAX_VALUE → 413", get("Content-Length: 9223372036854775807\r\n"), 413));
        v.add(ok("RFC9112 §7.1: chunked body left unconsumed", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                all(framing(BodyFraming.CHUNKED), rest("0\r\n\r\n"))));
        v.add(ok("RFC9112 §7: coding names are case-insensitive", get("Transfer-Encoding: ChUnKeD\r\n"), framing(BodyFraming.CHUNKED)));
        v.add(ok("RFC9110 §5.6.1: empty list elements in Transfer-Encoding ignored", get("Transfer-Encoding: , chunked ,\r\n"),
                framing(BodyFraming.CHUNKED)));
        v.add(ok("RFC9110 §5.6.1: empty Transfer-Encoding field beside chunked ignored",
                get("Transfer-Encoding:\r\nTransfer-Encoding: chunked\r\n"), framing(BodyFraming.CHUNKED)));
        v.add(bad("RFC9112 §6.3: Content-Length and Transfer-Encoding → 400", get("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"), 400));
        v.add(bad("RFC9112 §6.3: Transfer-Encoding then Content-Length → 400", get("Transfer-Encoding: chunked\r\nContent-Length: 0\r\n"), 400));
        v.add(bad("RFC9112 §6.3: Content-Length with an unsupported coding → 400, not 501",
                get("Content-Length: 5\r\nTransfer-Encoding: gzip, chunked\r\n"), 400));
        v.add(bad("RFC9112 §6.1: Transfer-Encoding in HTTP/1.0 → 400", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400));
        v.add(bad("RFC9112 §6.3: last coding not chunked → 400", get("Transfer-Encoding: gzip\r\n"), 400));
        v.add(bad("RFC9112 §6.3: chunked then gzip → 400", get("Transfer-Encoding: chunked, gzip\r\n"), 400));
        v.add(bad("RFC9112 §6.3: identity is not chunked → 400", get("Transfer-Encoding: identity\r\n"), 400));
        v.add(bad("RFC9112 §6.3: xchunked is not chunked → 400", get("Transfer-Encoding: xchunked\r\n"), 400));
        v.add(bad("RFC9112 §6.1: chunked twice in one list → 400", get("Transfer-Encoding: chunked, chunked\r\n"), 400));
        v.add(bad("RFC9112 §6.1: chunked in two fields → 400", get("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), 400));
        v.add(bad("RFC9112 §6.1: gzip before chunked → 501", get("Transfer-Encoding: gzip, chunked\r\n"), 501));
        v.add(bad("RFC9112 §6.1: deflate before chunked → 501", get("Transfer-Encoding: deflate, chunked\r\n"), 501));
        v.add(bad("RFC9112 §6.1: compress before chunked, in separate fields → 501",
                get("Transfer-Encoding: compress\r\nTransfer-Encoding: chunked\r\n"), 501));
        v.add(bad("RFC9112 §6.1: unknown coding before chunked → 501", get("Transfer-Encoding: foo, chunked\r\n"), 501));
        v.add(bad("RFC9112 §6.1: empty Transfer-Encoding → 400", get("Transfer-Encoding:\r\n"), 400));
        v.add(bad("RFC9112 §6.1: Transfer-Encoding of commas only → 400", get("Transfer-Encoding: , ,\r\n"), 400));
        v.add(bad("RFC9112 §7: chunked with a parameter → 400", get("Transfer-Encoding: chunked;q=1\r\n"), 400));
        v.add(bad("RFC9112 §7: coding with inner space → 400", get("Transfer-Encoding: chunk ed\r\n"), 400));
        v.add(bad("RFC9112 §7: quoted coding → 400", get("Transfer-Encoding: \"chunked\"\r\n"), 400));
        v.add(bad("RFC9112 §7: coding with obs-text → 400", get("Transfer-Encoding: chunk\u00e9d\r\n"), 400));
        v.add(bad("RFC9112 §5.1: 'Transfer-Encoding : chunked' smuggling form → 400", get("Transfer-Encoding : chunked\r\n"), 400));
        v.add(ok("RFC9112 §9.3: pipelined heads: the first leaves the second unconsumed",
                get("") + "GET /second HTTP/1.1\r\n" + H + "\r\n",
                all(request("GET", "/", HttpVersion.HTTP_1_1), rest("GET /second HTTP/1.1\r\n" + H + "\r\n"))));
        v.add(ok("RFC9112 §9.3: pipelined request after a Content-Length body",
                "POST / HTTP/1.1\r\n" + H + "Content-Length: 2\r\n\r\nokGET / HTTP/1.1\r\n" + H + "\r\n",
                all(framing(new BodyFraming.Length(2)), rest("okGET / HTTP/1.1\r\n" + H + "\r\n"))));
        v.add(incomplete("contract: a head without its empty line needs more", Limits.DEFAULT, "GET / HTTP/1.1\r\n" + H));
        v.add(incomplete("contract: a line ending in CR needs more", Limits.DEFAULT, "GET / HTTP/1.1\r"));
        v.add(incomplete("contract: no bytes need more", Limits.DEFAULT, ""));
    }

    private static void limitRules(List<Vector> v) {
        String line8190 = "GET /" + "a".repeat(8176) + " HTTP/1.1";
        v.add(ok("limit: request line of exactly 8190 bytes", line8190 + "\r\n" + H + "\r\n",
                p -> assertThat(p.head().target()).hasSize(8177)));
        v.add(bad("limit: request line of 8191 bytes → 414", "GET /" + "a".repeat(8177) + " HTTP/1.1\r\n" + H + "\r\n", 414));
        v.add(bad("limit: endless request line → 414 before its end", "GET /" + "a".repeat(9000), 414));
        v.add(ok("limit: field line of exactly 8190 bytes", get("X-Long: " + "v".repeat(8182) + "\r\n"),
                p -> assertThat(p.head().fields().first("X-Long")).hasSize(8182)));
        v.add(bad("limit: field line of 8191 bytes → 431", get("X-Long: " + "v".repeat(8183) + "\r\n"), 431));
        v.add(bad("limit: endless field line → 431 before its end", "GET / HTTP/1.1\r\nX-Long: " + "v".repeat(9000), 431));
        v.add(ok("limit: 100 fields", get(numberedFields(99)), fieldCount(100)));
        v.add(bad("limit: 101 fields → 431", get(numberedFields(100)), 431));
        v.add(ok("limit: Content-Length of exactly 1 GiB", get("Content-Length: 1073741824\r\n"), framing(new BodyFraming.Length(1L << 30))));
        v.add(bad("limit: Content-Length of 1 GiB + 1 → 413", get("Content-Length: 1073741825\r\n"), 413));
        v.add(ok("limit (small): request line of exactly 32 bytes", SMALL, "GET /" + "a".repeat(18) + " HTTP/1.1\r\nHost: a\r\n\r\n",
                p -> assertThat(p.head().target()).hasSize(19)));
        v.add(bad("limit (small): request line of 33 bytes → 414", SMALL, "GET /" + "a".repeat(19) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414));
        v.add(incomplete("limit (small): 32-byte line and its CR need more", SMALL, "GET /" + "a".repeat(18) + " HTTP/1.1\r"));
        v.add(bad("limit (small): 33 bytes without CR → 414 at once", SMALL, "GET /" + "a".repeat(28), 414));
        v.add(ok("limit (small): field line of exactly 32 bytes", SMALL, "GET / HTTP/1.1\r\nHost: a\r\nX: " + "v".repeat(29) + "\r\n\r\n",
                field("X", "v".repeat(29))));
        v.add(bad("limit (small): field line of 33 bytes → 431", SMALL, "GET / HTTP/1.1\r\nHost: a\r\nX: " + "v".repeat(30) + "\r\n\r\n", 431));
        v.add(ok("limit (small): 4 fields", SMALL, "GET / HTTP/1.1\r\nHost: a\r\n" + numberedFields(3) + "\r\n", fieldCount(4)));
        v.add(bad("limit (small): 5 fields → 431", SMALL, "GET / HTTP/1.1\r\nHost: a\r\n" + numberedFields(4) + "\r\n", 431));
        v.add(ok("limit (small): Content-Length of exactly 100", SMALL, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n",
                framing(new BodyFraming.Length(100))));
        v.add(bad("limit (small): Content-Length of 101 → 413", SMALL, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n", 413));
    }

    /** Whole-head limit rules, with a head limit of 91 bytes: two 30-byte fields fill it exactly. */
    private static void headLimitRules(List<Vector> v) {
        String twoFields = "GET / HTTP/1.1\r\nHost: a\r\nA: " + "v".repeat(27) + "\r\nB: " + "v".repeat(27) + "\r\n";
        v.add(ok("head limit: a head of exactly the limit", HEAD_91, twoFields + "\r\n", fieldCount(3)));
        v.add(bad("head limit: one byte over → 431", HEAD_91, twoFields.replace("B: ", "B: v") + "\r\n", 431));
        v.add(incomplete("head limit: a partial line within the limit needs more", HEAD_91, twoFields + "\r"));
        v.add(bad("head limit: a partial line over the limit → 431 before its end", HEAD_91, twoFields + "C: vv", 431));
        v.add(ok("head limit (default): 3 fields of 8000 bytes", get(bigFields(3)), fieldCount(4)));
        v.add(bad("head limit (default): 5 fields of 8000 bytes → 431", get(bigFields(5)), 431));
    }

    private static String bigFields(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("X-").append(i).append(": ").append("v".repeat(7994)).append("\r\n");
        }
        return sb.toString();
    }

    private static String numberedFields(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("X-").append(i).append(": ").append(i).append("\r\n");
        }
        return sb.toString();
    }

    // ---- vector builders and checks ----

    static Vector ok(String rule, String input, Consumer<Parsed> check) {
        return new Vector(rule, input, Limits.DEFAULT, new Parses(check));
    }

    static Vector ok(String rule, Limits limits, String input, Consumer<Parsed> check) {
        return new Vector(rule, input, limits, new Parses(check));
    }

    static Vector bad(String rule, String input, int status) {
        return new Vector(rule, input, Limits.DEFAULT, new Fails(status));
    }

    static Vector bad(String rule, Limits limits, String input, int status) {
        return new Vector(rule, input, limits, new Fails(status));
    }

    static Vector incomplete(String rule, Limits limits, String input) {
        return new Vector(rule, input, limits, new Incomplete());
    }

    /** A GET of / with Host: example.com and the given extra field lines (each ending CRLF). */
    static String get(String fieldLines) {
        return "GET / HTTP/1.1\r\n" + H + fieldLines + "\r\n";
    }

    @SafeVarargs
    static Consumer<Parsed> all(Consumer<Parsed>... checks) {
        return p -> {
            for (Consumer<Parsed> c : checks) {
                c.accept(p);
            }
        };
    }

    static Consumer<Parsed> request(String method, String target, HttpVersion version) {
        return p -> {
            assertThat(p.head().method()).as("method").isEqualTo(method);
            assertThat(p.head().target()).as("target").isEqualTo(target);
            assertThat(p.head().version()).as("version").isEqualTo(version);
        };
    }

    static Consumer<Parsed> host(String host) {
        return p -> assertThat(p.head().host()).as("host").isEqualTo(host);
    }

    static Consumer<Parsed> framing(BodyFraming framing) {
        return p -> assertThat(p.head().framing()).as("framing").isEqualTo(framing);
    }

    static Consumer<Parsed> keepAlive(boolean keepAlive) {
        return p -> assertThat(p.head().keepAlive()).as("keepAlive").isEqualTo(keepAlive);
    }

    static Consumer<Parsed> expectContinue(boolean expect) {
        return p -> assertThat(p.head().expectContinue()).as("expectContinue").isEqualTo(expect);
    }

    static Consumer<Parsed> field(String name, String value) {
        return p -> assertThat(p.head().fields().first(name)).as("field %s", name).isEqualTo(value);
    }

    static Consumer<Parsed> fieldCount(int n) {
        return p -> assertThat(p.head().fields().size()).as("field count").isEqualTo(n);
    }

    static Consumer<Parsed> rest(String rest) {
        return p -> assertThat(p.rest()).as("unconsumed bytes").isEqualTo(rest);
    }
}
