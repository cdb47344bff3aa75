package dev.brigade.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.BodyWriter;
import dev.brigade.api.Headers;
import dev.brigade.api.Response;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file server behind an application's own {@link Response} (a decorator that adds a header, as
 * a middleware would): without the server's bucket response, every answer still comes out whole and
 * byte-exact: small and large files, HEAD, ranges, 304 and 412.
 */
class DecoratedResponseTest {

    @TempDir
    static Path tmp;
    static SiteFixture site;
    static StaticFiles files;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        site = new SiteFixture(tmp);
        files = StaticFiles.builder(site.root).build();
        server = TestServer.start(b -> b.fallback((req, res) -> files.handle(req, new Stamped(res))));
    }

    @AfterAll
    static void stop() {
        server.close();
        files.close();
    }

    @Test
    void aSmallFileAndThenALargeOneOnOneConnection() throws Exception {
        try (RawClient c = server.connect()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
            HttpMessage small = c.readResponse();
            assertThat(small.status()).isEqualTo(200);
            assertThat(small.bodyText()).isEqualTo("hello, world\n");
            assertThat(small.header("X-Stamped")).isEqualTo("yes");
            assertThat(small.header("ETag")).isNotNull();
            c.send("GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n");
            HttpMessage big = c.readResponse();
            assertThat(big.status()).isEqualTo(200);
            assertThat(big.header("Content-Length")).isEqualTo(String.valueOf(site.big.length));
            assertThat(Arrays.equals(big.body(), site.big)).as("3 MiB body byte-exact").isTrue();
        }
    }

    @Test
    void headOfALargeFileSendsNoBodyAndTheConnectionGoesOn() {
        try (RawClient c = server.connect()) {
            c.send("HEAD /big.bin HTTP/1.1\r\nHost: t\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
            HttpMessage head = c.readResponse(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(site.big.length));
            HttpMessage next = c.readResponse();
            assertThat(next.bodyText()).as("no stray body bytes before the next response").isEqualTo("hello, world\n");
        }
    }

    @Test
    void oneRangeAndSeveralRanges() {
        try (RawClient c = server.connect()) {
            c.send("GET /big.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=1000000-1000009\r\n\r\n");
            HttpMessage one = c.readResponse();
            assertThat(one.status()).isEqualTo(206);
            assertThat(one.header("Content-Range")).isEqualTo("bytes 1000000-1000009/" + site.big.length);
            assertThat(one.body()).isEqualTo(Arrays.copyOfRange(site.big, 1000000, 1000010));
            c.send("GET /big.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=0-3,-4\r\n\r\n");
            HttpMessage two = c.readResponse();
            assertThat(two.status()).isEqualTo(206);
            assertThat(two.header("Content-Type")).startsWith("multipart/byteranges; boundary=");
            String text = new String(two.body(), StandardCharsets.ISO_8859_1);
            assertThat(text).contains("Content-Range: bytes 0-3/" + site.big.length)
                    .contains(new String(Arrays.copyOfRange(site.big, 0, 4), StandardCharsets.ISO_8859_1))
                    .contains("Content-Range: bytes " + (site.big.length - 4) + "-" + (site.big.length - 1) + "/" + site.big.length)
                    .contains(new String(Arrays.copyOfRange(site.big, site.big.length - 4, site.big.length), StandardCharsets.ISO_8859_1));
            assertThat(Integer.parseInt(two.header("Content-Length"))).isEqualTo(two.body().length);
        }
    }

    @Test
    void notModifiedAndPreconditionFailed() {
        try (RawClient c = server.connect()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
            String etag = c.readResponse().header("ETag");
            c.send("GET /hello.txt HTTP/1.1\r\nHost: t\r\nIf-None-Match: " + etag + "\r\n\r\n");
            HttpMessage notModified = c.readResponse();
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("ETag")).isEqualTo(etag);
            assertThat(notModified.body()).isEmpty();
            c.send("GET /hello.txt HTTP/1.1\r\nHost: t\r\nIf-Match: \"other\"\r\n\r\n");
            HttpMessage failed = c.readResponse();
            assertThat(failed.status()).isEqualTo(412);
            assertThat(failed.bodyText()).isEqualTo("412 Precondition Failed\n");
        }
    }

    /** An application's response decorator: stamps a header and forwards everything. */
    private record Stamped(Response inner) implements Response {
        Stamped {
            inner.header("X-Stamped", "yes");
        }

        @Override
        public Response status(int status) {
            inner.status(status);
            return this;
        }

        @Override
        public int status() {
            return inner.status();
        }

        @Override
        public Headers headers() {
            return inner.headers();
        }

        @Override
        public void send(byte[] body) {
            inner.send(body);
        }

        @Override
        public void send(ByteBuffer body) {
            inner.send(body);
        }

        @Override
        public void sendFile(Path file) {
            inner.sendFile(file);
        }

        @Override
        public OutputStream output() {
            return inner.output();
        }

        @Override
        public BodyWriter writer() {
            return inner.writer();
        }

        @Override
        public Response async() {
            inner.async();
            return this;
        }

        @Override
        public Response suspend(Duration timeout, Consumer<Response> onTimeout) {
            inner.suspend(timeout, onTimeout);
            return this;
        }

        @Override
        public boolean committed() {
            return inner.committed();
        }
    }
}
