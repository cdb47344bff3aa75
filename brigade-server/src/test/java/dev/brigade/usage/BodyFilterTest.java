package dev.brigade.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.dispatch.Bridges;
import dev.brigade.filter.BodyFilter;
import dev.brigade.filter.RequestFilters;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Request-body filters written against the public API: one that changes the bytes and sometimes
 * needs more input before it has anything to hand out (hex decoding), one that checks the whole
 * body at its end (a SHA-256 digest field). Every way of reading a body sees what they return.
 */
class BodyFilterTest {

    /** Hex text to bytes; an odd digit waits for its partner in the next piece. */
    static final class HexDecode implements BodyFilter {
        private int pending = -1;

        @Override
        public ByteBuffer filter(ByteBuffer piece) throws IOException {
            ByteBuffer out = ByteBuffer.allocate((piece.remaining() + 1) / 2);
            while (piece.hasRemaining()) {
                int digit = Character.digit(piece.get(), 16);
                if (digit < 0) {
                    throw new IOException("not a hex digit");
                }
                if (pending < 0) {
                    pending = digit;
                } else {
                    out.put((byte) (pending << 4 | digit));
                    pending = -1;
                }
            }
            return out.flip();
        }

        @Override
        public ByteBuffer finish() throws IOException {
            if (pending >= 0) {
                throw new IOException("an odd number of hex digits");
            }
            return ByteBuffer.allocate(0);
        }
    }

    /** Passes the body on unchanged and compares its SHA-256 with the X-Sha256 field at the end. */
    static final class DigestCheck implements BodyFilter {
        private final String expected;
        private final MessageDigest sha;

        DigestCheck(String expected) {
            this.expected = expected;
            try {
                this.sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public ByteBuffer filter(ByteBuffer piece) {
            sha.update(piece.duplicate());
            return piece;
        }

        @Override
        public ByteBuffer finish() throws IOException {
            String actual = HexFormat.of().formatHex(sha.digest());
            if (expected != null && !expected.equalsIgnoreCase(actual)) {
                throw new IOException("body digest " + actual + " is not the one announced");
            }
            return ByteBuffer.allocate(0);
        }
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static String chunkedOneByteAtATime(String body) {
        StringBuilder sb = new StringBuilder();
        for (char c : body.toCharArray()) {
            sb.append("1\r\n").append(c).append("\r\n");
        }
        return sb.append("0\r\n\r\n").toString();
    }

    @Test
    void aRouteFilterDecodesTheBodyEvenWhenItsPiecesSplitItsUnits() {
        String hex = HexFormat.of().formatHex("hello, body filters".getBytes(StandardCharsets.UTF_8));
        try (TestServer ts = TestServer.start(b -> b.loops(1)
                .post("/hex", RequestFilters.around(0, req -> new HexDecode(),
                        (req, res) -> req.body().thenAccept(body -> res.send(body))))
                .post("/raw", (req, res) -> req.body().thenAccept(body -> res.send(body))));
             RawClient c = ts.connect()) {
            // one hex digit per chunk: each piece alone decodes to nothing, the filter asks for more
            c.send("POST /hex HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedOneByteAtATime(hex));
            assertThat(c.readResponse().bodyText()).isEqualTo("hello, body filters");
            c.send("POST /raw HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n6869");
            assertThat(c.readResponse().bodyText()).as("other routes read the body as sent").isEqualTo("6869");
            c.send("POST /hex HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n686");
            HttpMessage odd = c.readResponse();
            assertThat(odd.status()).as("a body the filter refuses at its end").isEqualTo(400);
            assertThat(odd.header("Connection")).isEqualToIgnoringCase("close");
        }
    }

    @Test
    void serverAndHostFiltersRunInOrderAndABlockingStreamSeesTheirOutput() throws Exception {
        String text = "checked, then decoded";
        String hex = HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
        try (TestServer ts = TestServer.start(b -> b.loops(1).bridge(Bridges.virtualThreads())
                // order 1 sees the bytes as sent (the hex text), order 2 what order 1 returns
                .bodyFilter(2, req -> new HexDecode())
                .virtualHost("checked.test", vh -> vh
                        .bodyFilter(1, req -> new DigestCheck(req.header("X-Sha256")))
                        .post("/", (req, res) -> res.send(req.bodyStream().readAllBytes())))
                .post("/", (req, res) -> res.send(req.bodyStream().readAllBytes())));
             RawClient c = ts.connect()) {
            c.send("POST / HTTP/1.1\r\nHost: checked.test\r\nX-Sha256: " + sha256(hex) + "\r\nContent-Length: "
                    + hex.length() + "\r\n\r\n" + hex);
            HttpMessage ok = c.readResponse();
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.bodyText()).isEqualTo(text);
            c.send("POST / HTTP/1.1\r\nHost: checked.test\r\nX-Sha256: " + sha256("something else")
                    + "\r\nContent-Length: " + hex.length() + "\r\n\r\n" + hex);
            assertThat(c.readResponse().status()).as("the digest does not match").isEqualTo(400);
        }
    }
}
