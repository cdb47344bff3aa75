package dev.brigade.dispatch;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A debug aid for the inline bridge: a watchdog thread that reports a handler still running on a
 * loop thread after a threshold, with what it was answering and where the thread is (its stack),
 * once per job. Inline handlers must not block; this finds the ones that do.
 *
 * <p>Cost when on: one map put and remove per job, and one daemon thread waking every half
 * threshold. Off by default.
 */
final class BlockingDetector {

    private static final System.Logger LOG = System.getLogger(BlockingDetector.class.getName());

    /** What one loop thread is running now. */
    private record Running(String what, long sinceNanos, Thread thread) {
    }

    private final long thresholdNanos;
    private final Map<Thread, Running> running = new ConcurrentHashMap<>(); // loop threads write, the watchdog reads
    private final Map<Running, Boolean> reported = new ConcurrentHashMap<>(); // watchdog only; cleared per job
    private final Thread watchdog;

    BlockingDetector(Duration threshold) {
        this.thresholdNanos = threshold.toNanos();
        this.watchdog = Thread.ofPlatform().daemon().name("brigade-blocking-detector").unstarted(this::watch);
    }

    void start() {
        watchdog.start();
    }

    void stop() {
        watchdog.interrupt();
    }

    void enter(String what) {
        running.put(Thread.currentThread(), new Running(what, System.nanoTime(), Thread.currentThread()));
    }

    void exit() {
        Running r = running.remove(Thread.currentThread());
        if (r != null) {
            reported.remove(r);
        }
    }

    private void watch() {
        long sleepMillis = Math.max(1, thresholdNanos / 2_000_000);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(sleepMillis);
                long now = System.nanoTime();
                for (Running r : running.values()) {
                    if (now - r.sinceNanos >= thresholdNanos && reported.putIfAbsent(r, Boolean.TRUE) == null) {
                        report(r, now);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping
        }
    }

    private static void report(Running r, long now) {
        StringBuilder sb = new StringBuilder("inline handler for ").append(r.what)
                .append(" has blocked ").append(r.thread.getName()).append(" for ")
                .append((now - r.sinceNanos) / 1_000_000).append(" ms (every connection of this loop waits); it is at:");
        for (StackTraceElement e : r.thread.getStackTrace()) {
            sb.append("\n\tat ").append(e);
        }
        LOG.log(System.Logger.Level.WARNING, sb.toString());
    }
}
