package dev.brigade.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.BodyListener;
import dev.brigade.api.Request;
import dev.brigade.api.Response;
import dev.brigade.dispatch.Bridges;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies read on demand, piece by piece, never collected: a blocking stream on virtual
 * threads and the non-blocking {@code read} inline; and bodies a handler leaves unread, discarded
 * up to a bound so that the requests pipelined behind them are still answered.
 */
@Timeout(120)
class StreamingBodyTest {

    /** A deterministic pseudo-random body of {@code size} bytes, generated as it is read. */
    static final class RandomBody extends InputStream {
        private final SplittableRandom random = new SplittableRandom(42);
        private final MessageDigest digest;
        private long left;

        RandomBody(long size) throws Exception {
            this.left = size;
            this.digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) random.nextInt(256);
            }
            digest.update(b, off, n);
            left -= n;
            return n;
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    @Test
    void aOneGibUploadIsStreamedToAFileByteExactOnVirtualThreads(@TempDir Path dir) throws Exception {
        long size = 1L << 30;
        Path target = dir.resolve("upload.bin");
        try (TestServer ts = TestServer.start(b -> b.loops(1).bridge(Bridges.virtualThreads())
                .post("/upload", (req, res) -> {
                    long n = Files.copy(req.bodyStream(), target); // blocks this virtual thread only
                    res.send(Long.toString(n));
                }));
             HttpClient client = dev.brigade.testing.TestTransport.httpClient().build()) {
            RandomBody body = new RandomBody(size);
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(ts.uri("/upload"))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> body), size)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Long.toString(size));
            assertThat(sha256(target)).isEqualTo(body.sha256());
        }
    }

    /** An inline handler writing each piece to a file as it comes (a small file here: the loop may write). */
    private static void streamToFile(Request req, Response res, Path target) throws IOException {
        FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        req.read(new BodyListener() {
            long total;

            @Override
            public void onChunk(ByteBuffer chunk) {
                try {
                    total += chunk.remaining();
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                req.read(this); // releases the piece and asks for the next
            }

            @Override
            public void onEnd() {
                close();
                res.send(Long.toString(total));
            }

            @Override
            public void onError(Throwable failure) {
                close();
            }

            private void close() {
                try {
                    out.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    @Test
    void aChunkedUploadIsReadPieceByPieceInlineByteExact(@TempDir Path dir) throws Exception {
        long size = 48L << 20;
        Path target = dir.resolve("inline.bin");
        try (TestServer ts = TestServer.start(b -> b.loops(1)
                .post("/upload", (req, res) -> streamToFile(req, res, target)));
             HttpClient client = dev.brigade.testing.TestTransport.httpClient().build()) {
            RandomBody body = new RandomBody(size);
            // no length given: the JDK client sends it chunked
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(ts.uri("/upload"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Long.toString(size));
            assertThat(sha256(target)).isEqualTo(body.sha256());
        }
    }

    @Test
    void aMalformedBodyUnderABlockingReaderIsAnswered400ByTheServer() {
        try (TestServer ts = TestServer.start(b -> b.loops(1).bridge(Bridges.virtualThreads())
                .post("/upload", (req, res) -> res.send("read " + req.bodyStream().readAllBytes().length)));
             RawClient c = ts.connect()) {
            // the reader's IOException makes its handler fail; the status must still be the body's 400
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
        }
    }

    @Test
    void readAfterTheEndAndOnARequestWithoutABodyAnswersEnd() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.loops(1)
                .get("/nobody", (req, res) -> req.read(new BodyListener() {
                    @Override
                    public void onChunk(ByteBuffer chunk) {
                        res.send("chunk?");
                    }

                    @Override
                    public void onEnd() {
                        res.send("ended");
                    }

                    @Override
                    public void onError(Throwable failure) {
                        res.send("error");
                    }
                })));
             RawClient c = ts.connect()) {
            c.send("GET /nobody HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("ended");
        }
    }

    private static TestServer ignoringServer() {
        return TestServer.start(b -> b.loops(1).maxDiscardedBodyBytes(1 << 20)
                .post("/ignore", (req, res) -> res.send("ignored"))
                .get("/hi", (req, res) -> res.send("hi"))
                .post("/crc", (req, res) -> req.body().thenAccept(body -> {
                    CRC32 crc = new CRC32();
                    crc.update(body);
                    res.send(body.length + ":" + crc.getValue());
                })));
    }

    @Test
    void requestsPipelinedAfterUnreadLengthAndChunkedBodiesAreAllAnsweredOnOneConnection() {
        try (TestServer ts = ignoringServer(); RawClient c = ts.connect()) {
            c.send("GET /hi HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST /ignore HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3;x=y\r\nabc\r\n10\r\nGET /hi HTTP/1.1\r\n0\r\nTrailer: t\r\n\r\n"
                    + "POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 20000\r\n\r\n" + "x".repeat(20000)
                    + "POST /crc HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /hi HTTP/1.1\r\nHost: a\r\n\r\n");
            CRC32 abc = new CRC32();
            abc.update("abc".getBytes());
            String[] expected = {"hi", "ignored", "ignored", "3:" + abc.getValue(), "hi"};
            for (String body : expected) {
                HttpMessage r = c.readResponse();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo(body);
                assertThat(r.header("Connection")).isNull();
            }
        }
    }

    @Test
    void anUnreadBodyIsDiscardedWhenAWorkerAnswersAfterItArrived() {
        try (TestServer ts = TestServer.start(b -> b.loops(1).bridge(Bridges.virtualThreads())
                .post("/ignore", (req, res) -> res.send("ignored"))
                .get("/hi", (req, res) -> res.send("hi")));
             RawClient c = ts.connect()) {
            // body and the next request are in the read buffer before the worker answers: no readable
            // event will come for them, so the discarding must start from the answer itself
            c.send("POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /hi HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("ignored");
            assertThat(c.readResponse().bodyText()).isEqualTo("hi");
        }
    }

    @Test
    void aLargeUnreadBodyEndsWithConnectionCloseAfterACompleteResponse() {
        try (TestServer ts = ignoringServer(); RawClient c = ts.connect()) {
            c.send("POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\n\r\n" + "x".repeat(50_000));
            HttpMessage r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("ignored");
            assertThat(r.header("Connection")).as("10 MB is over the discard bound").isEqualToIgnoringCase("close");
            assertThat(c.readToEof()).isEmpty();
        }
    }

    @Test
    void aChunkedUnreadBodyRunningOverTheBoundClosesTheConnectionAfterItsResponse() {
        try (TestServer ts = ignoringServer(); RawClient c = ts.connect()) {
            c.send("POST /ignore HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.bodyText()).isEqualTo("ignored");
            assertThat(r.header("Connection")).as("the chunked body's length is unknown yet").isNull();
            byte[] piece = ("10000\r\n" + "y".repeat(0x10000) + "\r\n").getBytes();
            try {
                for (int i = 0; i < 40; i++) { // 2.5 MiB: over the 1 MiB bound
                    c.send(piece);
                }
                c.send("0\r\n\r\nGET /hi HTTP/1.1\r\nHost: a\r\n\r\n");
            } catch (UncheckedIOException e) {
                // the server may have closed before the client finished sending: that is the point
            }
            assertThat(c.awaitClose(Duration.ofSeconds(10))).as("closed, never answering /hi").isNotNegative();
        }
    }

    @Test
    void aBodyOverTheAggregationLimitIs413AndABodyWithinItIsCollected() {
        try (TestServer ts = TestServer.start(b -> b.loops(1).maxAggregatedBodyBytes(1000)
                .post("/crc", (req, res) -> req.body().thenAccept(body -> res.send(Integer.toString(body.length)))));
             RawClient c = ts.connect()) {
            c.send("POST /crc HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + "z".repeat(1000)
                    + "\r\n0\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("1000");
            c.send("POST /crc HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + "z".repeat(1000)
                    + "\r\n1\r\nz\r\n0\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
        }
        try (TestServer ts = TestServer.start(b -> b.loops(1).maxAggregatedBodyBytes(1000)
                .post("/crc", (req, res) -> req.body().thenAccept(body -> res.send(Integer.toString(body.length)))));
             RawClient c = ts.connect()) {
            c.send("POST /crc HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\nExpect: 100-continue\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).as("refused by its declared length, without a 100 first").isEqualTo(413);
        }
    }
}
