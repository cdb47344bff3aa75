package dev.brigade.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that shrinks while it is sent (a deploy copying over it): the response cannot keep its
 * promised length, so its connection closes promptly, instead of the loop taking the end of the
 * file for a full socket and spinning until the write timeout.
 */
class FileTruncationTest {

    private static final int SIZE = 64 << 20; // far more than loopback socket buffers take

    @Test
    void aFileTruncatedDuringADownloadEndsThatConnectionAndTheLoopServesOthers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.bin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), SIZE - 1);
        }
        try (TestServer ts = TestServer.start(b -> b.loops(1).writeTimeout(Duration.ofSeconds(60))
                .get("/big", (req, res) -> res.sendFile(file))
                .get("/hi", (req, res) -> res.send("hi")));
             RawClient c = ts.connect()) {
            c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n").awaitReceived("\r\n\r\n", Duration.ofSeconds(5));
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(1 << 20);
            }

            long closedAfterMillis = c.awaitClose(Duration.ofSeconds(15));

            assertThat(closedAfterMillis).as("the connection closed long before the 60 s write timeout")
                    .isBetween(0L, 15_000L);
            ts.awaitNoConnections(Duration.ofSeconds(5)); // the truncated one is gone, its file closed
            try (RawClient other = ts.connect()) {
                other.send("GET /hi HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(other.readResponse().bodyText()).isEqualTo("hi");
            }
        }
    }
}
