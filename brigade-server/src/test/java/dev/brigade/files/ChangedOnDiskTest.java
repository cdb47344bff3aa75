package dev.brigade.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that change under the server. The memory cache trusts an entry for its revalidation
 * interval without asking the disk, then compares path, size and mtime: a change in any of them
 * serves the new content with a new validator, a deleted file answers 404.
 */
class ChangedOnDiskTest {

    @TempDir
    Path root;

    private static HttpMessage get(TestServer ts, String path) {
        try (RawClient c = ts.connect()) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            return c.readResponse();
        }
    }

    private TestServer serve(long revalidateMillis) throws java.io.IOException {
        StaticFiles files = StaticFiles.builder(root).cache(new MemoryCache(1 << 20, 64 * 1024, revalidateMillis)).build();
        return TestServer.start(b -> b.fallback(files).closeOnStop(files));
    }

    @Test
    void aNewLengthIsSeenAtTheNextRevalidation() throws Exception {
        Files.writeString(root.resolve("a.txt"), "one");
        try (TestServer ts = serve(0)) {
            HttpMessage first = get(ts, "/a.txt");
            assertThat(first.bodyText()).isEqualTo("one");
            Files.writeString(root.resolve("a.txt"), "two, longer");
            HttpMessage second = get(ts, "/a.txt");
            assertThat(second.bodyText()).isEqualTo("two, longer");
            assertThat(second.header("ETag")).isNotEqualTo(first.header("ETag"));
        }
    }

    @Test
    void theSameLengthWithAnotherMtimeIsSeenToo() throws Exception {
        Path a = root.resolve("a.txt");
        Files.writeString(a, "one");
        Files.setLastModifiedTime(a, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        try (TestServer ts = serve(0)) {
            HttpMessage first = get(ts, "/a.txt");
            assertThat(first.bodyText()).isEqualTo("one");
            Files.writeString(a, "owt");
            Files.setLastModifiedTime(a, FileTime.from(Instant.parse("2026-01-01T00:00:10Z")));
            HttpMessage second = get(ts, "/a.txt");
            assertThat(second.bodyText()).isEqualTo("owt");
            assertThat(second.header("Last-Modified")).isEqualTo("Thu, 01 Jan 2026 00:00:10 GMT");
        }
    }

    @Test
    void aDeletedFileIsMissingAtTheNextRevalidation() throws Exception {
        Files.writeString(root.resolve("a.txt"), "one");
        try (TestServer ts = serve(0)) {
            assertThat(get(ts, "/a.txt").status()).isEqualTo(200);
            Files.delete(root.resolve("a.txt"));
            assertThat(get(ts, "/a.txt").status()).isEqualTo(404);
        }
    }

    @Test
    void withinTheIntervalTheCachedEntryIsTrustedWithoutAskingTheDisk() throws Exception {
        Files.writeString(root.resolve("a.txt"), "one");
        try (TestServer ts = serve(3_600_000)) {
            assertThat(get(ts, "/a.txt").bodyText()).isEqualTo("one");
            Files.writeString(root.resolve("a.txt"), "two, longer");
            assertThat(get(ts, "/a.txt").bodyText()).as("an hour's trust: the disk is not asked").isEqualTo("one");
        }
    }
}
