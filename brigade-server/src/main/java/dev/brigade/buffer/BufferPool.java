package dev.brigade.buffer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of direct buffers of one size class, handed out as {@link RefBuf}s.
 *
 * <p>Connections borrow read buffers here while they read a request and return them when they go
 * idle, so memory follows active connections, not open ones. Releases may come from any thread
 * (a worker finishing with a body); the lock is uncontended when a pool belongs to one loop.
 */
public final class BufferPool {

    private final int bufferBytes;
    private final int pooledMax;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>(); // guarded by this
    private final AtomicLong allocated = new AtomicLong();
    private final AtomicLong inUse = new AtomicLong();

    /**
     * @param bufferBytes size of each buffer
     * @param pooledMax most idle buffers kept; more are left to the garbage collector
     */
    public BufferPool(int bufferBytes, int pooledMax) {
        if (bufferBytes <= 0 || pooledMax < 0) {
            throw new IllegalArgumentException("bufferBytes=" + bufferBytes + " pooledMax=" + pooledMax);
        }
        this.bufferBytes = bufferBytes;
        this.pooledMax = pooledMax;
    }

    /** A cleared buffer with one reference owned by the caller. */
    public RefBuf acquire() {
        ByteBuffer memory;
        synchronized (this) {
            memory = free.pollFirst();
        }
        if (memory == null) {
            memory = ByteBuffer.allocateDirect(bufferBytes);
            allocated.incrementAndGet();
        }
        memory.clear();
        inUse.incrementAndGet();
        LeakDetector.Tracker tracker = LeakDetector.track();
        RefBuf buf = new RefBuf(memory, recycler, tracker);
        LeakDetector.watch(buf, tracker);
        return buf;
    }

    private final RefBuf.Recycler recycler = this::recycle; // one for the pool, not one per buffer handed out

    private void recycle(ByteBuffer memory) {
        inUse.decrementAndGet();
        synchronized (this) {
            if (free.size() < pooledMax) {
                free.addFirst(memory); // LIFO: the most recently used memory is warm in cache
            }
        }
    }

    public int bufferBytes() {
        return bufferBytes;
    }

    /** Statistics for status pages and tests. */
    public Stats stats() {
        int pooled;
        synchronized (this) {
            pooled = free.size();
        }
        return new Stats(allocated.get(), inUse.get(), pooled);
    }

    /**
     * @param allocated buffers ever allocated from the JVM
     * @param inUse buffers handed out and not yet released
     * @param pooled idle buffers waiting in the pool
     */
    public record Stats(long allocated, long inUse, int pooled) {
    }
}
