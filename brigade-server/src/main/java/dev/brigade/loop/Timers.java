package dev.brigade.loop;

import java.util.PriorityQueue;

/**
 * Timed callbacks with arbitrary deadlines (httpd's timer skiplist), for what the FIFO timeout
 * queues cannot hold: a suspended exchange's own deadline, a bandwidth limiter's next slot.
 * O(log n) per timer; cancelled timers are dropped lazily when they reach the head.
 *
 * <p>Loop thread only.
 */
public final class Timers {

    /** A scheduled callback; {@link #cancel()} is harmless after it ran. */
    public static final class Timer implements Comparable<Timer> {
        private final long deadlineNanos;
        private final long sequence;
        private final Runnable task;
        private boolean cancelled;

        private Timer(long deadlineNanos, long sequence, Runnable task) {
            this.deadlineNanos = deadlineNanos;
            this.sequence = sequence;
            this.task = task;
        }

        public void cancel() {
            cancelled = true;
        }

        public long deadlineNanos() {
            return deadlineNanos;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadlineNanos - o.deadlineNanos, 0);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private long sequence;

    Timer schedule(long deadlineNanos, Runnable task) {
        Timer t = new Timer(deadlineNanos, sequence++, task);
        queue.add(t);
        return t;
    }

    long nextDeadlineNanos() {
        Timer t;
        while ((t = queue.peek()) != null && t.cancelled) {
            queue.poll();
        }
        return t == null ? Long.MAX_VALUE : t.deadlineNanos;
    }

    void runExpired(long nowNanos) {
        Timer t;
        while ((t = queue.peek()) != null && (t.cancelled || t.deadlineNanos - nowNanos <= 0)) {
            queue.poll();
            if (!t.cancelled) {
                t.cancelled = true;
                t.task.run();
            }
        }
    }

    int size() {
        return queue.size();
    }
}
