package dev.brigade.buffer;

/**
 * Pools of direct buffers in power-of-two size classes, from {@code smallest} to {@code largest}
 * bytes: a request gets a buffer of the smallest class that holds it, so memory wasted per buffer
 * stays under half of it.
 */
public final class SizeClassPools {

    private final int smallestShift;
    private final BufferPool[] classes;

    /**
     * @param smallest size of the smallest class, a power of two
     * @param largest size of the largest class, a power of two
     * @param pooledPerClass idle buffers each class keeps
     */
    public SizeClassPools(int smallest, int largest, int pooledPerClass) {
        if (Integer.bitCount(smallest) != 1 || Integer.bitCount(largest) != 1 || smallest > largest) {
            throw new IllegalArgumentException("size classes must be powers of two: " + smallest + ".." + largest);
        }
        this.smallestShift = Integer.numberOfTrailingZeros(smallest);
        this.classes = new BufferPool[Integer.numberOfTrailingZeros(largest) - smallestShift + 1];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = new BufferPool(smallest << i, pooledPerClass);
        }
    }

    /** A buffer of at least {@code bytes} (at most the largest class), limited to {@code bytes}; one reference, the caller's. */
    public RefBuf acquire(int bytes) {
        if (bytes <= 0 || bytes > largest()) {
            throw new IllegalArgumentException("no size class for " + bytes + " bytes");
        }
        int cls = Math.max(0, 32 - Integer.numberOfLeadingZeros(bytes - 1) - smallestShift);
        RefBuf buf = classes[cls].acquire();
        buf.buffer().limit(bytes);
        return buf;
    }

    public int largest() {
        return classes[classes.length - 1].bufferBytes();
    }

    /** Buffers handed out and not yet released, over all classes. */
    public long inUse() {
        long n = 0;
        for (BufferPool p : classes) {
            n += p.stats().inUse();
        }
        return n;
    }

    /** Statistics per class, smallest first. */
    public BufferPool.Stats[] stats() {
        BufferPool.Stats[] s = new BufferPool.Stats[classes.length];
        for (int i = 0; i < classes.length; i++) {
            s[i] = classes[i].stats();
        }
        return s;
    }
}
