package dev.brigade.files;

import java.nio.file.Path;
import java.util.List;

/**
 * What the store knows about one request path: the real file it maps to, its validators, content
 * type, Cache-Control, its variants (identity, precompressed siblings in order of preference, a
 * gzip made in memory), and when it was last compared with the disk.
 */
final class FileEntry {

    private final String key;
    private final Path file;
    private final long mtimeMillis;
    private final String contentType;
    private final String cacheControl;
    private final boolean vary;
    private final Variant identity;
    private final List<Variant> siblings;
    private volatile Variant gzipped;
    private volatile boolean gzipTried;
    private volatile long checkedAtNanos;
    private long chargeBytes = MemoryCache.ENTRY_OVERHEAD; // guarded by the cache

    FileEntry(String key, Path file, long size, long mtimeMillis, String contentType, String cacheControl,
              boolean vary, List<Variant> siblings, long nowNanos) {
        this.key = key;
        this.file = file;
        this.mtimeMillis = mtimeMillis;
        this.contentType = contentType;
        this.cacheControl = cacheControl;
        this.vary = vary;
        this.identity = new Variant(file, null, size, mtimeMillis);
        this.siblings = siblings;
        this.checkedAtNanos = nowNanos;
    }

    String key() {
        return key;
    }

    Path file() {
        return file;
    }

    long size() {
        return identity.size();
    }

    long mtimeMillis() {
        return mtimeMillis;
    }

    String contentType() {
        return contentType;
    }

    String cacheControl() {
        return cacheControl;
    }

    /** Whether responses carry {@code Vary: Accept-Encoding} (compressible or with siblings). */
    boolean vary() {
        return vary;
    }

    Variant identity() {
        return identity;
    }

    List<Variant> siblings() {
        return siblings;
    }

    Variant gzipped() {
        return gzipped;
    }

    /** Records the outcome of the one attempt to gzip this entry in memory (null: not worth it). */
    void gzipped(Variant v) {
        gzipped = v;
        gzipTried = true;
    }

    boolean gzipTried() {
        return gzipTried;
    }

    boolean fresh(long nowNanos, long intervalNanos) {
        return nowNanos - checkedAtNanos < intervalNanos;
    }

    void checked(long nowNanos) {
        checkedAtNanos = nowNanos;
    }

    /** Whether the disk still shows what this entry holds. */
    boolean matches(Path realFile, long size, long mtime) {
        return realFile.equals(file) && size == identity.size() && mtime == mtimeMillis;
    }

    long chargeBytes() {
        return chargeBytes;
    }

    void charge(long more) {
        chargeBytes += more;
    }

    void dropBodies() {
        drop(identity);
        for (Variant v : siblings) {
            drop(v);
        }
        drop(gzipped);
    }

    private static void drop(Variant v) {
        if (v != null && v.body() != null) {
            v.body().drop();
        }
    }
}
