package dev.brigade.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.brigade.filter.BucketResponse;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory store: hits without the disk, changes on disk seen within the revalidation interval,
 * LRU eviction within its byte bound, and Squid's rule — a page evicted while a slow client is
 * still downloading it stays intact until that write completes, and is freed exactly then
 * (counted by the store's page pools).
 */
class MemoryCacheTest {

    @TempDir
    Path root;

    static HttpMessage get(TestServer ts, String path) {
        try (RawClient c = ts.connect()) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            return c.readResponse();
        }
    }

    @Test
    void hitsComeFromTheStoreAndAChangedPageReplacesTheOldOne() throws Exception {
        Files.writeString(root.resolve("page.html"), "version one");
        // revalidated on every request, so the change is seen at once (ChangedOnDiskTest: the interval)
        try (StaticFiles files = StaticFiles.builder(root).cache(new MemoryCache(1 << 20, 64 << 10, 0)).build();
             TestServer ts = TestServer.start(b -> b.fallback(files))) {
            assertThat(get(ts, "/page.html").bodyText()).isEqualTo("version one");
            String etag1 = get(ts, "/page.html").header("ETag");
            MemoryCache.Stats s = files.cache().stats();
            assertThat(s.entries()).isEqualTo(1);
            assertThat(s.hits()).isGreaterThanOrEqualTo(1);
            assertThat(s.pagesInUse()).isEqualTo(1);
            long bytesOfOne = s.bytes();

            Files.writeString(root.resolve("page.html"), "version two!");
            Files.setLastModifiedTime(root.resolve("page.html"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
            assertThat(get(ts, "/page.html").bodyText()).isEqualTo("version two!");
            assertThat(get(ts, "/page.html").header("ETag")).isNotEqualTo(etag1);
            assertThat(files.cache().stats().pagesInUse()).as("the old page was freed").isEqualTo(1);
            assertThat(files.cache().stats().bytes()).as("the old entry is no longer counted").isEqualTo(bytesOfOne);

            Files.delete(root.resolve("page.html"));
            assertThat(get(ts, "/page.html").status()).isEqualTo(404);
            assertThat(files.cache().stats().pagesInUse()).isZero();
            assertThat(files.cache().stats().bytes()).as("nothing counted for a file that is gone").isZero();
        }
    }

    @Test
    void leastRecentlyUsedIsEvictedWithinTheBound() throws Exception {
        byte[] content = new byte[100_000];
        for (int i = 0; i < 10; i++) {
            Files.write(root.resolve("f" + i + ".bin"), content);
        }
        try (StaticFiles files = StaticFiles.builder(root).cache(new MemoryCache(400_000, 200_000, 1000)).build();
             TestServer ts = TestServer.start(b -> b.fallback(files))) {
            for (int i = 0; i < 10; i++) {
                assertThat(get(ts, "/f" + i + ".bin").body()).hasSize(100_000);
                assertThat(files.cache().stats().bytes()).isLessThanOrEqualTo(400_000);
            }
            MemoryCache.Stats s = files.cache().stats();
            assertThat(s.evictions()).isGreaterThan(0);
            // 100 000 bytes = one 64 KiB page + a 64 KiB tail page (34 464 bytes rounded up to the class)
            assertThat(s.pagesInUse()).isEqualTo(2L * s.entries());
        }
        // closed: everything released
    }

    /** Whether the server's Response offers buckets (the zero-copy path); without it pages are copied at once. */
    static boolean bucketsWired() throws Exception {
        AtomicBoolean wired = new AtomicBoolean();
        try (TestServer ts = TestServer.start(b -> b.fallback((req, res) -> {
            wired.set(res instanceof BucketResponse);
            res.send("probe");
        }))) {
            get(ts, "/");
        }
        return wired.get();
    }

    @Test
    void pageEvictedDuringASlowDownloadStaysIntactAndIsFreedWhenItCompletes() throws Exception {
        assumeTrue(bucketsWired(), "the server's Response does not implement BucketResponse yet");
        // larger than what loopback's socket buffers absorb (tcp_wmem autotunes up to 4 MiB), so
        // most of a.bin is still waiting in its page buckets when b.bin evicts it
        byte[] a = new byte[16 * 1024 * 1024];
        byte[] b = new byte[16 * 1024 * 1024];
        new Random(1).nextBytes(a);
        new Random(2).nextBytes(b);
        Files.write(root.resolve("a.bin"), a);
        Files.write(root.resolve("b.bin"), b);
        MemoryCache cache = new MemoryCache(24 * 1024 * 1024, 16 * 1024 * 1024 + 1, 1000);
        try (StaticFiles files = StaticFiles.builder(root).cache(cache).build();
             TestServer ts = TestServer.start(t -> t.fallback(files).writeTimeout(Duration.ofSeconds(30)));
             Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", ts.port()));
            slow.setSoTimeout(10_000);
            slow.getOutputStream().write("GET /a.bin HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = slow.getInputStream();
            byte[] head = readHead(in);
            assertThat(new String(head, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200").contains("Content-Length: " + a.length);
            byte[] got = new byte[a.length];
            int n = readSome(in, got, 0, 10_000);
            long pagesOfA = a.length / MemoryCache.PAGE_BYTES;
            long pagesOfB = b.length / MemoryCache.PAGE_BYTES;
            assertThat(cache.stats().pagesInUse()).as("a's pages: in the store").isEqualTo(pagesOfA);

            // b.bin pushes a.bin out of the store while a.bin is still being written
            assertThat(get(ts, "/b.bin").body()).isEqualTo(b);
            MemoryCache.Stats during = cache.stats();
            assertThat(during.evictions()).isEqualTo(1);
            assertThat(during.entries()).isEqualTo(1);
            assertThat(during.pagesInUse()).as("a's unwritten pages live on under its write, b's are in the store")
                    .isGreaterThan(pagesOfB + pagesOfA / 2);

            while (n < got.length) {
                n += readSome(in, got, n, 64 * 1024);
                Thread.sleep(1);
            }
            assertThat(got).as("the evicted download is byte-exact").isEqualTo(a);
            TestServer.await(() -> cache.stats().pagesInUse() == pagesOfB, Duration.ofSeconds(5),
                    () -> "pages in use: " + cache.stats());
        }
        assertThat(cache.stats().pagesInUse()).as("all freed once the store is closed").isZero();
    }

    private static byte[] readHead(InputStream in) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            assertThat(c).isNotNegative();
            out.write(c);
            matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        return out.toByteArray();
    }

    private static int readSome(InputStream in, byte[] into, int off, int max) throws Exception {
        int n = in.read(into, off, Math.min(max, into.length - off));
        assertThat(n).isPositive();
        return n;
    }
}
