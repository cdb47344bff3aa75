package dev.brigade.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.BodyWriter;
import dev.brigade.testing.TestServer;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Write completion with slow readers: the loop keeps serving others while big responses trickle
 * out, producers are held back by flow control, and memory per connection stays bounded.
 *
 * <p>The issue asks for 50 MB read at 100 KB/s (over eight minutes); this test reads each
 * download slowly for a few seconds — the phase that matters for memory and fairness — then
 * drains the rest at full speed and checks it byte-exact.
 */
class SlowReaderMemoryTest {

    private static final int DOWNLOADS = 12;
    private static final long BODY_BYTES = 50L * 1024 * 1024;
    private static final int PIECE = 16 * 1024;

    /** An inline handler producing a body on demand through the non-blocking writer. */
    private static void produce(BodyWriter writer, long[] sent, long total) {
        while (sent[0] < total) {
            int n = (int) Math.min(PIECE, total - sent[0]);
            ByteBuffer piece = ByteBuffer.wrap(pattern(sent[0], n));
            sent[0] += n;
            if (!writer.write(piece)) {
                writer.onWritable(() -> produce(writer, sent, total));
                return;
            }
        }
        writer.end();
    }

    static byte[] pattern(long offset, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            long p = offset + i;
            b[i] = (byte) ((p * 31 + (p >>> 10)) & 0x7f | 0x20); // text-like, so gzip has work to do
        }
        return b;
    }

    @Test
    void slowDownloadsHoldBoundedMemoryWhileOtherClientsAreServed() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.loops(1)
                .get("/big", (req, res) -> {
                    res.contentType("text/plain");
                    produce(res.writer(), new long[1], BODY_BYTES);
                })
                .get("/hello", (req, res) -> res.send("hello")))) {
            runSlowDownloads(ts, "/big", false);
        }
    }

    @Test
    void gzipToSlowReadersCompressesAsTheyReadWithBoundedMemory() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.loops(1).compression(6, 1024)
                .get("/big", (req, res) -> {
                    res.contentType("text/plain");
                    produce(res.writer(), new long[1], BODY_BYTES);
                })
                .get("/hello", (req, res) -> res.send("hello")))) {
            runSlowDownloads(ts, "/big", true);
        }
    }

    @Test
    void withOneWorkerTheThreadIsFreeAsSoonAsTheResponseExistsEvenWhileItLeavesSlowly() throws Exception {
        byte[] big = new byte[50 * 1024 * 1024];
        new java.util.Random(5).nextBytes(big);
        try (TestServer ts = TestServer.start(b -> b.loops(1).bridge(dev.brigade.dispatch.Bridges.pool(1, 4))
                .get("/big", (req, res) -> res.send(big))
                .get("/hello", (req, res) -> res.send("hello")));
             Socket slow = new Socket()) {
            slow.setReceiveBufferSize(16 * 1024);
            slow.connect(new InetSocketAddress("127.0.0.1", ts.port()));
            slow.setSoTimeout(20_000);
            slow.getOutputStream().write("GET /big HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = slow.getInputStream();
            java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[10 * 1024];
            for (int tick = 0; tick < 10; tick++) { // about 100 KB/s for a second
                seen.write(buf, 0, Math.max(0, in.read(buf)));
                Thread.sleep(100);
            }
            long t0 = System.nanoTime();
            HttpResponse<String> other = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ts.port() + "/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(other.body()).isEqualTo("hello");
            assertThat((System.nanoTime() - t0) / 1_000_000).as("the only worker was free for the second client")
                    .isLessThan(1000);
            // the rest at full speed, byte-exact
            InputStream rest = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(seen.toByteArray()), in);
            while (!readLine(rest).isEmpty()) {
                // skip the head
            }
            assertThat(rest.readNBytes(big.length)).isEqualTo(big);
        }
    }

    private void runSlowDownloads(TestServer ts, String path, boolean gzip) throws Exception {
        long heapBefore = heapAfterGc();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < DOWNLOADS; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(16 * 1024);
                s.connect(new InetSocketAddress("127.0.0.1", ts.port()));
                s.setSoTimeout(20_000);
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n"
                        + (gzip ? "Accept-Encoding: gzip\r\n" : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                sockets.add(s);
            }
            // Slow phase: about 100 KB/s per client for three seconds.
            byte[] buf = new byte[10 * 1024];
            long[] read = new long[DOWNLOADS];
            java.io.ByteArrayOutputStream seenByFirst = new java.io.ByteArrayOutputStream();
            for (int tick = 0; tick < 30; tick++) {
                for (int i = 0; i < DOWNLOADS; i++) {
                    int n = Math.max(0, sockets.get(i).getInputStream().read(buf));
                    read[i] += n;
                    if (i == 0) {
                        seenByFirst.write(buf, 0, n);
                    }
                }
                Thread.sleep(100);
            }
            long t0 = System.nanoTime();
            HttpResponse<String> other = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ts.port() + "/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            long otherMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(other.body()).isEqualTo("hello");
            assertThat(otherMillis).as("another client is answered while the downloads run").isLessThan(1000);

            long perConnection = (heapAfterGc() - heapBefore) / DOWNLOADS;
            assertThat(perConnection).as("heap retained per slow download").isLessThan(1024 * 1024);

            for (int i = 0; i < DOWNLOADS; i++) {
                assertThat(read[i]).as("each download made progress").isPositive();
            }
            // Drain one download fully and check it byte-exact; the others are closed mid-way.
            assertThat(readBodyDigest(seenByFirst.toByteArray(), sockets.getFirst(), gzip)).isEqualTo(expectedDigest());
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        ts.awaitNoConnections(Duration.ofSeconds(10));
    }

    /** Reads the rest of the response from the socket (the slow phase read its start into {@code seen}). */
    private static byte[] readBodyDigest(byte[] seen, Socket s, boolean gzip) throws Exception {
        InputStream in = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(seen), s.getInputStream());
        String line;
        boolean chunked = false;
        while (!(line = readLine(in)).isEmpty()) {
            chunked |= line.equalsIgnoreCase("Transfer-Encoding: chunked");
        }
        assertThat(chunked).as("a body of unknown length is chunked").isTrue();
        InputStream body = new ChunkedInput(in);
        if (gzip) {
            body = new GZIPInputStream(body, 64 * 1024);
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = body.read(buf)) > 0) {
            md.update(buf, 0, n);
            total += n;
        }
        assertThat(total).isEqualTo(BODY_BYTES);
        return md.digest();
    }

    static String readLine(InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new java.io.EOFException("connection closed mid-line");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** Decodes a chunked body (no trailers expected), stopping at the last chunk. */
    static final class ChunkedInput extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws java.io.IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                left = Long.parseLong(readLine(in).trim(), 16);
                if (left == 0) {
                    readLine(in);
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new java.io.EOFException("connection closed mid-chunk");
            }
            left -= n;
            if (left == 0) {
                readLine(in);
            }
            return n;
        }
    }

    private static byte[] expectedDigest() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (long off = 0; off < BODY_BYTES; off += PIECE) {
            md.update(pattern(off, (int) Math.min(PIECE, BODY_BYTES - off)));
        }
        return md.digest();
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(30);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

}
