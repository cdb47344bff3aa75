package dev.brigade.files;

import dev.brigade.buffer.SizeClassPools;
import dev.brigade.buffer.RefBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory store (Squid's): file metadata and the bytes of small files, bounded by total bytes,
 * least recently used out first.
 *
 * <p>Entries are keyed by the request path they answer, so a hit costs a map lookup and no system
 * call; an entry is revalidated against the disk (path, size, mtime) at most once per
 * {@code revalidateNanos}. Bodies live in pages from per-size-class pools ({@link SizeClassPools}: 1 KiB to
 * 64 KiB; a file spans 64 KiB pages plus one tail page of the smallest class that fits), so the
 * waste is under one tail page per file and the pools' counts show exactly what memory is alive.
 * Dropping an entry drops its bodies' store references; pages under an unfinished write stay
 * alive until it completes (see {@link CachedBody}).
 *
 * <p>Thread-safe; one lock guards the map and the byte count, never held during file I/O.
 */
public final class MemoryCache {

    static final int PAGE_BYTES = 64 * 1024;
    private static final int SMALLEST_CLASS = 1024;
    /** Metadata cost charged per entry, so that a flood of large (body-less) entries is bounded too. */
    static final long ENTRY_OVERHEAD = 512;

    private final long maxBytes;
    private final long maxFileBytes;
    private final long revalidateNanos;
    private final SizeClassPools pools;
    private final LinkedHashMap<String, FileEntry> entries = new LinkedHashMap<>(64, 0.75f, true); // guarded by this
    private long bytes; // guarded by this
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();

    /**
     * @param maxBytes total bytes of bodies (page capacities) and entries held; 0 disables bodies
     * @param maxFileBytes largest representation whose bytes are kept in memory
     * @param revalidateMillis how long an entry is trusted without looking at the disk
     */
    public MemoryCache(long maxBytes, long maxFileBytes, long revalidateMillis) {
        this.maxBytes = maxBytes;
        this.maxFileBytes = Math.min(maxFileBytes, maxBytes);
        this.revalidateNanos = revalidateMillis * 1_000_000L;
        this.pools = new SizeClassPools(SMALLEST_CLASS, PAGE_BYTES, 32);
    }

    /** A store of 64 MiB for files up to 64 KiB, revalidated once a second. */
    public static MemoryCache defaults() {
        // Files above 64 KiB leave with sendfile: for them a copy through the heap costs more CPU
        // than the system call it saves (measured: brigade-bench/RESULTS.md, static-1m).
        return new MemoryCache(64L << 20, 64L << 10, 1000);
    }

    /** Counters for status pages and tests. */
    public record Stats(int entries, long bytes, long hits, long misses, long evictions, long pagesInUse) {
    }

    public Stats stats() {
        long pages = pools.inUse();
        synchronized (this) {
            return new Stats(entries.size(), bytes, hits.get(), misses.get(), evictions.get(), pages);
        }
    }

    /** Drops every entry (bodies under a write live until it completes). */
    public void clear() {
        synchronized (this) {
            for (FileEntry e : entries.values()) {
                e.dropBodies();
            }
            entries.clear();
            bytes = 0;
        }
    }

    long revalidateNanos() {
        return revalidateNanos;
    }

    boolean mayHold(long size) {
        return size <= maxFileBytes;
    }

    /** The entry for a key, possibly stale (the caller checks {@link FileEntry#fresh}). */
    FileEntry get(String key) {
        FileEntry e;
        synchronized (this) {
            e = entries.get(key);
        }
        (e == null ? misses : hits).incrementAndGet();
        return e;
    }

    /** Installs an entry, dropping any older one of its key. */
    void put(FileEntry entry) {
        synchronized (this) {
            FileEntry old = entries.put(entry.key(), entry);
            if (old != null) {
                bytes -= old.chargeBytes();
                old.dropBodies();
            }
            bytes += entry.chargeBytes();
            evictOver();
        }
    }

    /** Removes an entry if it is still the current one for its key. */
    void remove(FileEntry entry) {
        synchronized (this) {
            if (entries.get(entry.key()) == entry) {
                entries.remove(entry.key());
                bytes -= entry.chargeBytes();
                entry.dropBodies();
            }
        }
    }

    /**
     * Attaches a body to a variant of a current entry and counts it; with {@code gzip}, the variant
     * also becomes the entry's in-memory gzip. False if the entry is no longer current or already
     * has that body (the caller then drops the body after using it once).
     */
    boolean attach(FileEntry entry, Variant variant, CachedBody body, boolean gzip) {
        synchronized (this) {
            if (entries.get(entry.key()) != entry || variant.body() != null || (gzip && entry.gzipped() != null)) {
                return false;
            }
            variant.body(body);
            if (gzip) {
                entry.gzipped(variant);
            }
            entry.charge(body.chargeBytes());
            bytes += body.chargeBytes();
            evictOver();
            return true;
        }
    }

    private void evictOver() {
        Iterator<Map.Entry<String, FileEntry>> it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            FileEntry e = it.next().getValue();
            it.remove();
            bytes -= e.chargeBytes();
            e.dropBodies();
            evictions.incrementAndGet();
        }
    }

    /** Reads {@code length} bytes of a file into fresh pages. */
    CachedBody load(FileChannel ch, long length) throws IOException {
        RefBuf[] pages = allocate(length);
        try {
            long pos = 0;
            for (RefBuf page : pages) {
                ByteBuffer b = page.buffer();
                while (b.hasRemaining()) {
                    int n = ch.read(b, pos);
                    if (n < 0) {
                        throw new IOException("file shrank while being cached");
                    }
                    pos += n;
                }
                b.flip();
            }
        } catch (IOException | RuntimeException e) {
            for (RefBuf p : pages) {
                p.release();
            }
            throw e;
        }
        return new CachedBody(pages, PAGE_BYTES, length);
    }

    /** Copies bytes (a compressed variant) into fresh pages. */
    CachedBody hold(byte[] data) {
        RefBuf[] pages = allocate(data.length);
        int pos = 0;
        for (RefBuf page : pages) {
            ByteBuffer b = page.buffer();
            int n = b.remaining();
            b.put(data, pos, n).flip();
            pos += n;
        }
        return new CachedBody(pages, PAGE_BYTES, data.length);
    }

    /** Pages for {@code length} bytes, each limited to the bytes it will hold. */
    private RefBuf[] allocate(long length) {
        int full = (int) (length / PAGE_BYTES);
        int tail = (int) (length % PAGE_BYTES);
        RefBuf[] pages = new RefBuf[full + (tail > 0 ? 1 : 0)];
        for (int i = 0; i < full; i++) {
            pages[i] = pools.acquire(PAGE_BYTES);
        }
        if (tail > 0) {
            pages[full] = pools.acquire(tail);
        }
        return pages;
    }
}
