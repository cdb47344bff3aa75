package dev.brigade.filter;

/**
 * An ordered list of buckets passed between filters. Passing a brigade passes ownership of its
 * buckets; the receiver empties it.
 *
 * <p>Storage is a ring of slots inside the brigade itself (no deque object, no iterator): a brigade
 * is made per response and passed down every filter, so what it costs is paid per request. The ring
 * is allocated with the first bucket and doubles when full. Read it in place with {@link #size()}
 * and {@link #get(int)}.
 */
public final class Brigade {

    private static final Bucket[] NONE = new Bucket[0]; // never written: storage comes with the first bucket
    private static final int FIRST_CAPACITY = 4; // head, body, end of stream, end of request

    private Bucket[] ring = NONE; // length 0 or a power of two
    private int head; // slot of the first bucket
    private int size;
    private long memoryBytes;

    public Brigade add(Bucket b) {
        ensureRoom();
        ring[(head + size) & (ring.length - 1)] = b;
        size++;
        memoryBytes += b.memoryBytes();
        return this;
    }

    public Bucket first() {
        return size == 0 ? null : ring[head];
    }

    /** The bucket at {@code index} from the front, without taking it: for filters that look before they take. */
    public Bucket get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return ring[(head + index) & (ring.length - 1)];
    }

    public Bucket poll() {
        if (size == 0) {
            return null;
        }
        Bucket b = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
        memoryBytes -= b.memoryBytes();
        return b;
    }

    /** Puts a bucket back at the front (a partly written one, say). */
    public void addFirst(Bucket b) {
        ensureRoom();
        head = (head - 1) & (ring.length - 1);
        ring[head] = b;
        size++;
        memoryBytes += b.memoryBytes();
    }

    /** Moves every bucket of {@code other} to the end of this brigade, leaving it empty. */
    public void takeAll(Brigade other) {
        if (size == 0) {
            // the common case (a filter setting aside into nothing): swap storage instead of moving
            Bucket[] mine = ring;
            ring = other.ring;
            head = other.head;
            size = other.size;
            memoryBytes = other.memoryBytes;
            other.ring = mine;
            other.head = 0;
            other.size = 0;
            other.memoryBytes = 0;
            return;
        }
        Bucket b;
        while ((b = other.poll()) != null) {
            add(b);
        }
    }

    /** Moves every bucket of {@code earlier} to the front of this one, in order, leaving it empty. */
    public void prependAll(Brigade earlier) {
        while (earlier.size > 0) {
            int last = (earlier.head + earlier.size - 1) & (earlier.ring.length - 1);
            Bucket b = earlier.ring[last];
            earlier.ring[last] = null;
            earlier.size--;
            earlier.memoryBytes -= b.memoryBytes();
            addFirst(b);
        }
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /** Memory held by the buckets (see {@link Bucket#memoryBytes()}: capacities, stable while written). */
    public long memoryBytes() {
        return memoryBytes;
    }

    /** Completes and drops every bucket: used when a connection closes or a write is cancelled. */
    public void completeAll(WriteOutcome outcome) {
        Bucket b;
        while ((b = poll()) != null) {
            b.complete(outcome);
        }
        memoryBytes = 0;
    }

    /** Whether this brigade holds a response head: filters that act per response look before they take. */
    public boolean containsHead() {
        for (int i = 0; i < size; i++) {
            if (ring[(head + i) & (ring.length - 1)] instanceof Bucket.Head) {
                return true;
            }
        }
        return false;
    }

    private void ensureRoom() {
        if (size < ring.length) {
            return;
        }
        Bucket[] bigger = new Bucket[Math.max(FIRST_CAPACITY, ring.length * 2)];
        for (int i = 0; i < size; i++) {
            bigger[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = bigger;
        head = 0;
    }
}
