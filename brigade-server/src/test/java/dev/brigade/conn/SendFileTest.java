package dev.brigade.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Response.sendFile}, the public way to send a file (sendfile on plain connections), on a
 * kept-alive connection: the exact length, nothing after a HEAD, and the next pipelined response
 * right behind — a body one byte short or one sent for HEAD would shift every response after it.
 */
class SendFileTest {

    @TempDir
    Path dir;

    @Test
    void getAndHeadOfALargeFileKeepTheConnectionFramed() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 7];
        new Random(3).nextBytes(data);
        Path file = Files.write(dir.resolve("big.bin"), data);
        try (TestServer ts = TestServer.start(b -> b.loops(1)
                .get("/file", (req, res) -> res.contentType("application/octet-stream").sendFile(file))
                .get("/small", (req, res) -> res.send("small")));
             RawClient c = ts.connect()) {
            c.readTimeout(Duration.ofSeconds(5)); // a body one byte short would leave the client waiting here
            c.send("GET /file HTTP/1.1\r\nHost: a\r\n\r\nHEAD /file HTTP/1.1\r\nHost: a\r\n\r\nGET /small HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage get = c.readResponse();
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.header("Content-Length")).isEqualTo(Integer.toString(data.length));
            assertThat(get.body()).isEqualTo(data);
            HttpMessage head = c.readResponse(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(data.length));
            HttpMessage small = c.readResponse();
            assertThat(small.statusLine()).as("the response after the HEAD starts right after its head").startsWith("HTTP/1.1 200");
            assertThat(small.bodyText()).isEqualTo("small");
            assertThat(c.readWithin(Duration.ofMillis(200))).as("nothing more: no stray body bytes").isEmpty();
        }
    }

    @Test
    void anIdleKeepAliveConnectionHoldsNoReadBuffer() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.loops(1).keepAlive(Duration.ofSeconds(30), 100)
                .get("/small", (req, res) -> res.send("small")));
             RawClient c = ts.connect()) {
            c.send("GET /small HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("small");
            TestServer.await(() -> ts.server().readBuffersInUse() == 0, Duration.ofSeconds(5),
                    () -> "read buffers still lent to the idle connection: " + ts.server().readBuffersInUse());
            assertThat(ts.server().connectionsOpen()).as("the connection is still open, idle").isEqualTo(1);
            c.send("GET /small HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().bodyText()).as("and serves the next request").isEqualTo("small");
        }
    }
}
