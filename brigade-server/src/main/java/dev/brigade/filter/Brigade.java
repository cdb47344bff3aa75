package dev.brigade.filter;

import java.util.ArrayDeque;

/**
 * An ordered list of buckets passed between filters. Passing a brigade passes ownership of its
 * buckets; the receiver empties it.
 */
public final class Brigade {

    private static final ArrayDeque<Bucket> NONE = new ArrayDeque<>(0); // never written: storage comes with the first bucket

    private ArrayDeque<Bucket> buckets = NONE;
    private long memoryBytes;

    private ArrayDeque<Bucket> storage() {
        if (buckets == NONE) {
            buckets = new ArrayDeque<>(8);
        }
        return buckets;
    }

    public Brigade add(Bucket b) {
        storage().addLast(b);
        memoryBytes += b.memoryBytes();
        return this;
    }

    public Bucket first() {
        return buckets.peekFirst();
    }

    public Bucket poll() {
        Bucket b = buckets.pollFirst();
        if (b != null) {
            memoryBytes -= b.memoryBytes();
        }
        return b;
    }

    /** Puts a bucket back at the front (a partly written one, say). */
    public void addFirst(Bucket b) {
        storage().addFirst(b);
        memoryBytes += b.memoryBytes();
    }

    /** Moves every bucket of {@code other} to the end of this brigade, leaving it empty. */
    public void takeAll(Brigade other) {
        if (buckets.isEmpty()) {
            // the common case (a filter setting aside into nothing): swap storage instead of moving
            ArrayDeque<Bucket> mine = buckets;
            buckets = other.buckets;
            other.buckets = mine;
            memoryBytes = other.memoryBytes;
            other.memoryBytes = 0;
            return;
        }
        storage().addAll(other.buckets);
        memoryBytes += other.memoryBytes;
        other.buckets.clear();
        other.memoryBytes = 0;
    }

    /** Moves every bucket of {@code earlier} to the front of this one, in order, leaving it empty. */
    public void prependAll(Brigade earlier) {
        Bucket b;
        while ((b = earlier.buckets.pollLast()) != null) {
            earlier.memoryBytes -= b.memoryBytes();
            addFirst(b);
        }
    }

    public boolean isEmpty() {
        return buckets.isEmpty();
    }

    public int size() {
        return buckets.size();
    }

    /** Memory held by the buckets (see {@link Bucket#memoryBytes()}: capacities, stable while written). */
    public long memoryBytes() {
        return memoryBytes;
    }

    /** Completes and drops every bucket: used when a connection closes or a write is cancelled. */
    public void completeAll(WriteOutcome outcome) {
        Bucket b;
        while ((b = buckets.pollFirst()) != null) {
            b.complete(outcome);
        }
        memoryBytes = 0;
    }

    /** Whether this brigade holds a response head: filters that act per response look before they take. */
    public boolean containsHead() {
        for (Bucket b : buckets) {
            if (b instanceof Bucket.Head) {
                return true;
            }
        }
        return false;
    }

    /** The buckets in order, for filters that look before they take; do not modify through it. */
    Iterable<Bucket> view() {
        return buckets;
    }
}
