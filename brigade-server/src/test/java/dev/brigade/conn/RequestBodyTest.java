package dev.brigade.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.Request;
import dev.brigade.api.Response;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Request bodies through {@code req.body()}: chunked framing, and {@code Expect: 100-continue}. */
class RequestBodyTest {

    private record Parked(Request request, Response response) {
    }

    private static final AtomicReference<CompletableFuture<Parked>> PARKED = new AtomicReference<>();
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(b -> b.loops(1).maxBodyBytes(100_000)
                .post("/echo", (req, res) -> req.body().thenAccept(body -> res
                        .header("Content-Type", "application/octet-stream").send(body)))
                .post("/park", (req, res) -> {
                    res.async(); // answered later, from the test thread
                    PARKED.get().complete(new Parked(req, res));
                })
                .post("/refuse", (req, res) -> res.status(403).send("refused without reading\n")));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void resetParking() {
        PARKED.set(new CompletableFuture<>());
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailersIsEchoedByteExact() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i; // every byte value, CR, LF and NUL included
        }
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes(("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=\"quoted;value\"\r\nhello\r\n"
                + "1;a=b;c\r\n \r\n").getBytes(StandardCharsets.ISO_8859_1));
        req.writeBytes("100 ; name = token\r\n".getBytes(StandardCharsets.ISO_8859_1));
        req.writeBytes(binary);
        req.writeBytes(("\r\n0;last=yes\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("hello ".getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(binary);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(("HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                + body.size() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        expected.writeBytes(body.toByteArray());

        try (RawClient c = server.connect()) {
            c.send(req.toByteArray());
            HttpMessage r = c.readResponse();
            assertThat(r.body()).isEqualTo(body.toByteArray());
            String masked = r.rawText().replaceFirst("\r\nDate: [^\r]*\r\n", "\r\nDate: X\r\n");
            assertThat(masked.getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(expected.toByteArray());
            // the trailers were consumed as part of the body: the connection is ready for the next request
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nnext");
            assertThat(c.readResponse().bodyText()).isEqualTo("next");
        }
    }

    @Test
    void largeChunkedBodyArrivingInPiecesIsEchoedWhole() {
        byte[] big = new byte[90_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        try (RawClient c = server.connect()) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int off = 0; off < big.length; off += 7000) {
                int n = Math.min(7000, big.length - off);
                c.send((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                c.send(java.util.Arrays.copyOfRange(big, off, off + n));
                c.send("\r\n");
            }
            c.send("0\r\n\r\n");
            assertThat(c.readResponse().body()).isEqualTo(big);
        }
    }

    @Test
    void expectContinueIsAnsweredOnlyWhenTheHandlerReadsTheBody() throws Exception {
        try (RawClient c = server.connect()) {
            c.send("POST /park HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
            Parked p = PARKED.get().get(5, TimeUnit.SECONDS);
            assertThat(c.readWithin(Duration.ofMillis(300))).as("no 100 before the handler asks for the body").isEmpty();

            p.request().body().thenAccept(body -> p.response().send("got " + new String(body, StandardCharsets.UTF_8)));
            HttpMessage interim = c.readResponse();
            assertThat(interim.rawText()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");

            c.send("hello world");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("got hello world");
            assertThat(r.header("Connection")).isNull();
            // still usable afterwards
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok");
            assertThat(c.readResponse().bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void handlerAnsweringWithoutReadingTheBodyNeverSends100AndCloses() {
        try (RawClient c = server.connect()) {
            c.send("POST /refuse HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).as("the first response is the final one, not a 100").isEqualTo(403);
            assertThat(r.bodyText()).isEqualTo("refused without reading\n");
            assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(c.readToEof()).as("no 100 afterwards either, then EOF").isEmpty();
        }
    }

    @Test
    void unreadBodyIsDiscardedNeverTakenForTheNextRequest() {
        try (RawClient c = server.connect()) {
            // the body looks like a request; it must never be parsed as one (it would get 405)
            String smuggled = "GET /echo HTTP/1.1\r\nHost: a\r\n\r\n";
            c.send("POST /refuse HTTP/1.1\r\nHost: a\r\nContent-Length: " + smuggled.length() + "\r\n\r\n" + smuggled
                    + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nreal");
            HttpMessage refused = c.readResponse();
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.header("Connection")).as("a small unread body is discarded, the connection kept").isNull();
            HttpMessage next = c.readResponse();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("real");
        }
    }

    @Test
    void expectContinueWithABodyOverTheLimitIs413Without100() {
        try (RawClient c = server.connect()) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100001\r\nExpect: 100-continue\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).isEqualTo(413);
            assertThat(c.readToEof()).isEmpty();
        }
    }

    @Test
    void clientClosingMidBodyFreesTheConnection() throws Exception {
        try (RawClient c = server.connect()) {
            c.send("POST /park HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\npartial");
            Parked p = PARKED.get().get(5, TimeUnit.SECONDS);
            CompletableFuture<byte[]> body = p.request().body().toCompletableFuture();
            c.reset();
            assertThat(body).failsWithin(Duration.ofSeconds(5));
        }
        server.awaitNoConnections(Duration.ofSeconds(5));
    }
}
