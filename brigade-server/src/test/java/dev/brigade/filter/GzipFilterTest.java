package dev.brigade.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipFilterTest {

    @Test
    void aBodyDecompressesByteExact() throws IOException {
        byte[] body = text(300_000);
        RecordingChannel socket = new RecordingChannel(Integer.MAX_VALUE);
        FilterChain chain = new FilterChain(new NetworkFilter(socket));
        chain.addFirst(TestHeads.headSink());
        chain.addFirst(new GzipFilter(6, 1024));
        chain.write(new Brigade().add(TestHeads.gzipAccepted("text/plain", body.length)).add(Bucket.Bytes.of(body)).add(Bucket.Eos.INSTANCE));
        while (chain.pending()) {
            chain.kick(); // the socket takes everything, yet each pass compresses only a quantum
        }
        assertThat(gunzip(socket.received.toByteArray())).isEqualTo(body);
        assertThat(socket.received.size()).isLessThan(body.length / 2);
    }

    @Test
    void oneCallCompressesAQuantumEvenWhenTheSocketTakesEverything() throws IOException {
        byte[] body = text(2_000_000);
        RecordingChannel socket = new RecordingChannel(Integer.MAX_VALUE);
        FilterChain chain = new FilterChain(new NetworkFilter(socket));
        GzipFilter gzip = new GzipFilter(1, 1024);
        chain.addFirst(TestHeads.headSink());
        chain.addFirst(gzip);
        chain.write(new Brigade().add(TestHeads.gzipAccepted("text/plain", body.length)).add(Bucket.Bytes.of(body)).add(Bucket.Eos.INSTANCE));
        assertThat(gzip.hasSetAside()).as("the rest waits for the loop's next pass").isTrue();
        assertThat(chain.wantsWritable()).as("the connection asks to be kicked again").isTrue();
        int passes = 1;
        while (chain.pending()) {
            chain.kick();
            passes++;
        }
        assertThat(passes).as("2 MB in quanta of 32 KiB").isGreaterThanOrEqualTo(2_000_000 / (32 * 1024));
        assertThat(gunzip(socket.received.toByteArray())).isEqualTo(body);
    }

    @Test
    void aSlowReaderMakesGzipYieldAndKicksFinishTheBodyPieceByPiece() throws IOException {
        byte[] body = text(2_000_000);
        RecordingChannel socket = new RecordingChannel(4096);
        NetworkFilter network = new NetworkFilter(socket);
        FilterChain chain = new FilterChain(network);
        GzipFilter gzip = new GzipFilter(1, 1024);
        chain.addFirst(TestHeads.headSink());
        chain.addFirst(gzip);
        chain.write(new Brigade().add(TestHeads.gzipAccepted("text/plain", body.length)).add(Bucket.Bytes.of(body)).add(Bucket.Flush.INSTANCE).add(Bucket.Eos.INSTANCE));
        assertThat(gzip.hasSetAside()).as("gzip kept most of its input instead of compressing it all").isTrue();
        long maxHeld = 0;
        int kicks = 0;
        while (chain.pending()) {
            socket.drainable(4096);
            chain.kick();
            kicks++;
            maxHeld = Math.max(maxHeld, network.setAsideMemoryBytes());
            assertThat(kicks).isLessThan(100_000);
        }
        assertThat(gunzip(socket.received.toByteArray())).isEqualTo(body);
        assertThat(kicks).isGreaterThan(10);
        assertThat(maxHeld).as("compressed bytes waiting for the socket stay bounded").isLessThan(256 * 1024);
    }

    @Test
    void theFilterThatCompressesOwnsTheHeadFields() throws IOException {
        FilterChain chain = new FilterChain(new NetworkFilter(new RecordingChannel(Integer.MAX_VALUE)));
        chain.addFirst(TestHeads.headSink());
        chain.addFirst(new GzipFilter(6, 1024));
        Bucket.Head head = TestHeads.gzipAccepted("text/html", 5000);
        head.headers().set("ETag", "\"v1\"").set("Vary", "Accept-Language");
        chain.write(new Brigade().add(head).add(Bucket.Bytes.of(text(5000))).add(Bucket.Eos.INSTANCE));
        assertThat(head.headers().get("Content-Encoding")).isEqualTo("gzip");
        assertThat(head.headers().get("ETag")).as("another representation, another strong validator").isEqualTo("\"v1-gzip\"");
        assertThat(head.headers().get("Vary")).isEqualTo("Accept-Language, Accept-Encoding");
        assertThat(head.contentLength()).as("the coded length is not known in advance").isEqualTo(-1);

        Bucket.Head small = TestHeads.gzipAccepted("text/html", 100);
        small.headers().set("ETag", "\"v2\"");
        chain.write(new Brigade().add(small).add(Bucket.Bytes.of(text(100))).add(Bucket.Eos.INSTANCE));
        assertThat(small.headers().get("Content-Encoding")).as("under the minimum size").isNull();
        assertThat(small.headers().get("ETag")).isEqualTo("\"v2\"");
        assertThat(small.headers().get("Vary")).as("the choice still depended on Accept-Encoding").isEqualTo("Accept-Encoding");
        assertThat(small.contentLength()).isEqualTo(100);
    }

    @Test
    void acceptEncodingIsNegotiatedWithQValues() {
        assertThat(ContentCoding.accepts("gzip, deflate, br", "gzip")).isTrue();
        assertThat(ContentCoding.accepts("br;q=1.0, gzip;q=0.5", "gzip")).isTrue();
        assertThat(ContentCoding.accepts("gzip;q=0", "gzip")).isFalse();
        assertThat(ContentCoding.accepts("*", "gzip")).isTrue();
        assertThat(ContentCoding.accepts("*;q=0.1, gzip;q=0", "gzip")).isFalse();
        assertThat(ContentCoding.accepts("identity", "gzip")).isFalse();
        assertThat(ContentCoding.accepts("x-gzip", "gzip")).isTrue();
        assertThat(ContentCoding.accepts(null, "gzip")).isFalse();
        assertThat(ContentCoding.accepts("GZIP;Q=0.3", "gzip")).isTrue();
    }

    @Test
    void onlyTextLikeTypesAreCompressed() {
        assertThat(ContentCoding.compressible("text/html; charset=utf-8")).isTrue();
        assertThat(ContentCoding.compressible("application/json")).isTrue();
        assertThat(ContentCoding.compressible("application/problem+json")).isTrue();
        assertThat(ContentCoding.compressible("image/svg+xml")).isTrue();
        assertThat(ContentCoding.compressible("image/png")).isFalse();
        assertThat(ContentCoding.compressible("application/octet-stream")).isFalse();
        assertThat(ContentCoding.compressible(null)).isFalse();
    }

    static byte[] text(int size) {
        Random r = new Random(42);
        String[] words = {"brigade ", "bucket ", "filter ", "loop ", "kick ", "yield ", "socket ", "\n"};
        StringBuilder sb = new StringBuilder(size);
        while (sb.length() < size) {
            sb.append(words[r.nextInt(words.length)]);
        }
        return sb.substring(0, size).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @SuppressWarnings("unused")
    private static ByteBuffer direct(byte[] b) {
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }
}
