package dev.brigade.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A reference-counted view of pooled memory.
 *
 * <p>Ownership rules (the Jetty {@code Retainable} contract):
 * <ol>
 *   <li>A buffer starts with one reference, owned by whoever acquired it.</li>
 *   <li>Whoever consumes a buffer it owns calls {@link #release()} exactly once, in a
 *       {@code finally} or in the single completion path that consumes it.</li>
 *   <li>Whoever hands a buffer on to a method that takes ownership does not release it.</li>
 *   <li>A second holder calls {@link #retain()} first and releases its own reference later.</li>
 * </ol>
 * The last release returns the memory to its pool; a release past zero throws, so double
 * releases are found where they happen rather than as corrupted data later.
 *
 * <p>Slices share the count of the buffer they were cut from: retaining or releasing a slice
 * retains or releases the whole.
 */
public final class RefBuf {

    private static final VarHandle REF_COUNT;

    static {
        try {
            REF_COUNT = MethodHandles.lookup().findVarHandle(RefBuf.class, "refCount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ByteBuffer buffer;
    private final RefBuf root;
    private final Recycler recycler;
    private final LeakDetector.Tracker tracker;
    @SuppressWarnings("unused") // accessed through REF_COUNT
    private volatile int refCount;

    /** Returns memory to where it came from once the last reference is gone. */
    @FunctionalInterface
    public interface Recycler {
        void recycle(ByteBuffer memory);
    }

    RefBuf(ByteBuffer buffer, Recycler recycler, LeakDetector.Tracker tracker) {
        this.buffer = buffer;
        this.root = this;
        this.recycler = recycler;
        this.tracker = tracker;
        this.refCount = 1;
    }

    private RefBuf(RefBuf root, ByteBuffer view) {
        this.buffer = view;
        this.root = root;
        this.recycler = null;
        this.tracker = null;
    }

    /** A buffer over memory that is not pooled (e.g. a wrapped array); releasing it only counts. */
    public static RefBuf unpooled(ByteBuffer memory) {
        return new RefBuf(memory, m -> { }, null);
    }

    /** The memory this view covers, with its own position and limit. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Adds a reference; the caller becomes an owner and must release it. */
    public RefBuf retain() {
        RefBuf r = root;
        for (;;) {
            int n = (int) REF_COUNT.getVolatile(r);
            if (n <= 0) {
                throw new IllegalStateException("retain of a released buffer");
            }
            if (REF_COUNT.compareAndSet(r, n, n + 1)) {
                return this;
            }
        }
    }

    /**
     * Drops one reference. The last one returns the memory to its pool.
     *
     * @return true if this call freed the memory
     * @throws IllegalStateException on a release past zero (a double release)
     */
    public boolean release() {
        RefBuf r = root;
        int left = (int) REF_COUNT.getAndAdd(r, -1) - 1;
        if (left > 0) {
            return false;
        }
        if (left < 0) {
            REF_COUNT.getAndAdd(r, 1);
            throw new IllegalStateException("double release of a buffer");
        }
        if (r.tracker != null) {
            r.tracker.released();
        }
        r.recycler.recycle(r.buffer);
        return true;
    }

    /** The number of live references (of the whole buffer, for a slice). */
    public int refCount() {
        return (int) REF_COUNT.getVolatile(root);
    }

    /** A view of {@code length} bytes at {@code index} sharing this buffer's reference count; not retained. */
    public RefBuf slice(int index, int length) {
        return new RefBuf(root, buffer.slice(index, length));
    }

    /** A read-only view sharing this buffer's count, for content shared between writers. */
    public RefBuf readOnly() {
        return new RefBuf(root, buffer.asReadOnlyBuffer());
    }
}
