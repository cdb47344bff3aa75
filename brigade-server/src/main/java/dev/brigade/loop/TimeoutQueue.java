package dev.brigade.loop;

import java.time.Duration;

/**
 * A FIFO of entries that all share one timeout (httpd's timeout queues). Because every entry is
 * appended with deadline = now + the same timeout, the queue stays sorted by deadline: adding,
 * removing and finding what expired are O(1) per entry, and the loop only looks at the head.
 *
 * <p>Loop thread only. An entry is in at most one queue at a time.
 */
public final class TimeoutQueue {

    private final long timeoutNanos;
    private final String name;
    private Entry head;
    private Entry tail;
    private int size;

    TimeoutQueue(String name, Duration timeout) {
        this.name = name;
        this.timeoutNanos = timeout.toNanos();
    }

    /** What happens when an entry's deadline passes. */
    @FunctionalInterface
    public interface Expiry {
        /** Called on the loop thread after the entry was removed from its queue. */
        void onTimeout(long nowNanos);
    }

    /** A position in a timeout queue; one per owner, reused across queues. */
    public static final class Entry {
        private final Expiry expiry;
        private TimeoutQueue queue;
        private Entry prev;
        private Entry next;
        private long deadlineNanos;

        public Entry(Expiry expiry) {
            this.expiry = expiry;
        }

        /** Removes this entry from whatever queue holds it; harmless if none does. */
        public void cancel() {
            if (queue != null) {
                queue.unlink(this);
            }
        }

        public boolean queued() {
            return queue != null;
        }

        public long deadlineNanos() {
            return deadlineNanos;
        }
    }

    /** Appends the entry with deadline {@code now + timeout}, first removing it from any queue. */
    public void add(Entry e, long nowNanos) {
        e.cancel();
        e.deadlineNanos = nowNanos + timeoutNanos;
        e.queue = this;
        e.prev = tail;
        e.next = null;
        if (tail == null) {
            head = e;
        } else {
            tail.next = e;
        }
        tail = e;
        size++;
    }

    private void unlink(Entry e) {
        if (e.prev == null) {
            head = e.next;
        } else {
            e.prev.next = e.next;
        }
        if (e.next == null) {
            tail = e.prev;
        } else {
            e.next.prev = e.prev;
        }
        e.prev = null;
        e.next = null;
        e.queue = null;
        size--;
    }

    /** The earliest deadline in this queue, or {@link Long#MAX_VALUE} when empty. */
    long nextDeadlineNanos() {
        return head == null ? Long.MAX_VALUE : head.deadlineNanos;
    }

    /** Removes and fires every entry whose deadline has passed. */
    void expire(long nowNanos) {
        while (head != null && head.deadlineNanos - nowNanos <= 0) {
            Entry e = head;
            unlink(e);
            e.expiry.onTimeout(nowNanos);
        }
    }

    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    public int size() {
        return size;
    }

    @Override
    public String toString() {
        return name + "(" + timeout() + ", " + size + ")";
    }
}
