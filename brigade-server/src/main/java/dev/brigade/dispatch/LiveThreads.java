package dev.brigade.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads a bridge started that have not finished: how a shutdown joins them within a deadline
 * without polling. A thread is added before it starts and removes itself as the last thing it does.
 */
final class LiveThreads {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition removed = lock.newCondition();
    private final Set<Thread> live = new HashSet<>(); // guarded by lock

    void add(Thread t) {
        lock.lock();
        try {
            live.add(t);
        } finally {
            lock.unlock();
        }
    }

    void remove(Thread t) {
        lock.lock();
        try {
            live.remove(t);
            removed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return live.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every thread has finished (then joins them) or {@code deadlineNanos} (a
     * {@link System#nanoTime()} value) has passed; at the deadline, interrupts those still running,
     * a request they may ignore. Returns true if all finished in time.
     */
    boolean awaitAll(long deadlineNanos) {
        List<Thread> seen;
        boolean interrupted = false;
        lock.lock();
        try {
            Thread self = Thread.currentThread(); // a handler stopping the server from its own worker
            seen = new ArrayList<>(live);
            seen.remove(self);
            while (live.size() > (live.contains(self) ? 1 : 0)) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    removed.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            if (live.size() > (live.contains(self) ? 1 : 0)) {
                live.forEach(t -> {
                    if (t != self) {
                        t.interrupt();
                    }
                });
                return false;
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        for (Thread t : seen) { // each has left its loop: joining only waits for its last instructions
            try {
                if (!t.join(Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime())))) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    static long deadline(Duration timeout) {
        long nanos = timeout.isNegative() ? 0 : TimeUnit.NANOSECONDS.convert(timeout);
        return System.nanoTime() + nanos;
    }
}
