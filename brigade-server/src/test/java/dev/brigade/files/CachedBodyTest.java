package dev.brigade.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.filter.Brigade;
import dev.brigade.filter.Bucket;
import dev.brigade.filter.WriteOutcome;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Squid's rule at the bucket level (independent of the server's wiring): buckets cut from a cached
 * body hold their pages; dropping the body from the store frees nothing under them, and the last
 * bucket's completion frees the page, exactly once.
 */
class CachedBodyTest {

    @TempDir
    Path dir;

    @Test
    void pagesOutliveTheStoreUntilTheirBucketsComplete() throws Exception {
        byte[] content = new byte[200_000];
        new Random(7).nextBytes(content);
        Path f = Files.write(dir.resolve("f.bin"), content);
        MemoryCache cache = new MemoryCache(1 << 20, 1 << 20, 1000);
        CachedBody body;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            body = cache.load(ch, content.length);
        }
        assertThat(cache.stats().pagesInUse()).isEqualTo(4); // 3 × 64 KiB + a 8 KiB-class tail of 3 392 bytes
        assertThat(body.chargeBytes()).isEqualTo(3L * 65536 + 4096);

        Brigade sent = new Brigade();
        assertThat(body.appendTo(sent, 60_000, 100_000)).isTrue(); // spans pages 0, 1 and 2
        assertThat(sent.size()).isEqualTo(3);
        body.drop();
        assertThat(cache.stats().pagesInUse()).as("the buckets keep their three pages").isEqualTo(3);
        assertThat(body.appendTo(new Brigade(), 0, 10)).as("a dropped body cuts no more buckets").isFalse();

        ByteBuffer got = ByteBuffer.allocate(100_000);
        Bucket b;
        while ((b = sent.poll()) != null) {
            got.put(((Bucket.Bytes) b).data());
            b.complete(WriteOutcome.COMPLETED);
        }
        assertThat(got.array()).isEqualTo(java.util.Arrays.copyOfRange(content, 60_000, 160_000));
        assertThat(cache.stats().pagesInUse()).as("freed exactly when the writes completed").isZero();
    }

    @Test
    void bucketsAreReadOnlyViews() {
        MemoryCache cache = new MemoryCache(1 << 20, 1 << 20, 1000);
        CachedBody body = cache.hold(new byte[] {1, 2, 3});
        Brigade out = new Brigade();
        body.appendTo(out, 0, 3);
        Bucket.Bytes bytes = (Bucket.Bytes) out.poll();
        assertThat(bytes.data().isReadOnly()).isTrue();
        bytes.complete(WriteOutcome.CANCELLED);
        body.drop();
        assertThat(cache.stats().pagesInUse()).isZero();
    }
}
