package dev.brigade.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.Transaction;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader that stops reading is closed once the write timeout passes without progress, and the
 * cached pages its response still held are released then (the cache's own reference remains).
 */
class StalledReaderTest {

    @Test
    void aStalledReaderIsClosedAfterTheWriteTimeoutAndItsPagesAreReleased(@TempDir Path root) throws Exception {
        byte[] data = new byte[16 * 1024 * 1024];
        new java.util.Random(9).nextBytes(data);
        Files.write(root.resolve("big.bin"), data);
        MemoryCache cache = new MemoryCache(32L << 20, 17L << 20, 1000);
        try (StaticFiles files = StaticFiles.builder(root).cache(cache).build();
             TestServer ts = TestServer.start(b -> b.loops(1).writeTimeout(Duration.ofSeconds(1)).fallback(files));
             RawClient c = ts.connect()) {
            c.smallReceiveBuffer();
            c.send("GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n");
            long pagesOfEntry = data.length / MemoryCache.PAGE_BYTES;
            TestServer.await(() -> cache.stats().entries() == 1, Duration.ofSeconds(5), () -> "cached");
            Transaction t = ts.nextTransaction(Duration.ofSeconds(10)); // reported when the server gives up
            assertThat(t.completed()).isFalse();
            assertThat(t.bytesSent()).isLessThan(data.length);
            ts.awaitNoConnections(Duration.ofSeconds(2));
            assertThat(cache.stats().pagesInUse()).as("only the cache's own pages are still alive").isEqualTo(pagesOfEntry);
        }
        assertThat(cache.stats().pagesInUse()).isZero();
    }
}
