package dev.brigade.dispatch;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link Job} for driving bridges directly: records where and whether it ran or was rejected. */
final class TestJob implements Job {

    interface Body {
        void run() throws Exception;
    }

    private final String host;
    private final Body body;
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch finished = new CountDownLatch(1);
    final CountDownLatch rejectedLatch = new CountDownLatch(1);
    final AtomicInteger runs = new AtomicInteger();
    final AtomicInteger rejects = new AtomicInteger();
    volatile Thread ranOn;
    volatile Thread rejectedOn;
    volatile Throwable failure;

    TestJob(String host, Body body) {
        this.host = host;
        this.body = body;
    }

    TestJob(Body body) {
        this("a.test", body);
    }

    static TestJob noop() {
        return new TestJob(() -> { });
    }

    /** A job that waits for {@code gate} (at most 10 s). */
    static TestJob gated(CountDownLatch gate) {
        return new TestJob(() -> gate.await(10, TimeUnit.SECONDS));
    }

    static TestJob sleeping(Duration d) {
        return new TestJob(() -> Thread.sleep(d.toMillis()));
    }

    @Override
    public void run() {
        ranOn = Thread.currentThread();
        runs.incrementAndGet();
        started.countDown();
        try {
            body.run();
        } catch (Throwable t) {
            failure = t;
        } finally {
            finished.countDown();
        }
    }

    @Override
    public void reject() {
        rejectedOn = Thread.currentThread();
        rejects.incrementAndGet();
        rejectedLatch.countDown();
    }

    @Override
    public String hostName() {
        return host;
    }

    boolean awaitFinished(Duration d) throws InterruptedException {
        return finished.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean awaitStarted(Duration d) throws InterruptedException {
        return started.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Threads alive whose name starts with {@code prefix}. */
    static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    /** Polls {@code condition} every 5 ms until true or {@code timeout}; returns its last value. */
    static boolean eventually(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
