package dev.brigade.files;

import dev.brigade.buffer.RefBuf;
import dev.brigade.filter.Brigade;
import dev.brigade.filter.Bucket;
import java.nio.ByteBuffer;

/**
 * One representation's bytes in the memory store: a run of read-only pages (Squid's
 * {@code mem_node}s), each a pooled {@link RefBuf}.
 *
 * <p>The store owns one reference of every page. A send retains one more per bucket it makes, and
 * the bucket releases it when it completes (written, or cancelled by a closing connection). So a
 * body dropped from the store (evicted, or replaced by a newer version of its file) while a slow
 * client is still reading it stays intact until that write completes, and is freed exactly then:
 * Squid's rule that a buffer handed to a write is stable until the write's completion.
 *
 * <p>Retaining and dropping are serialised on this object, so a send never retains a page the
 * store just released.
 */
final class CachedBody {

    private final RefBuf[] pages;
    private final int pageBytes;
    private final long length;
    private final long chargeBytes;
    private boolean dropped; // guarded by this

    /** Takes ownership of {@code pages}: all full ({@code pageBytes} each) except perhaps the last. */
    CachedBody(RefBuf[] pages, int pageBytes, long length) {
        this.pages = pages;
        this.pageBytes = pageBytes;
        this.length = length;
        long charge = 0;
        for (RefBuf p : pages) {
            charge += p.buffer().capacity();
        }
        this.chargeBytes = charge;
    }

    long length() {
        return length;
    }

    /** Memory held, as counted against the store's bound (page capacities, not content bytes). */
    long chargeBytes() {
        return chargeBytes;
    }

    /**
     * Adds buckets for {@code count} bytes from {@code offset}, each owning one new reference of its
     * page. False (and nothing added) if the body was dropped meanwhile: the caller reads the file.
     */
    synchronized boolean appendTo(Brigade out, long offset, long count) {
        if (dropped) {
            return false;
        }
        long pos = offset;
        long end = offset + count;
        while (pos < end) {
            int index = (int) (pos / pageBytes);
            int within = (int) (pos % pageBytes);
            RefBuf page = pages[index];
            int n = (int) Math.min(end - pos, page.buffer().limit() - within);
            ByteBuffer view = page.buffer().asReadOnlyBuffer().slice(within, n);
            page.retain();
            out.add(new Bucket.Bytes(view, page));
            pos += n;
        }
        return true;
    }

    /** The store lets go of this body; pages still being written live on until their buckets complete. */
    synchronized void drop() {
        if (dropped) {
            return;
        }
        dropped = true;
        for (RefBuf p : pages) {
            p.release();
        }
    }

    synchronized boolean dropped() {
        return dropped;
    }
}
