package dev.brigade.dispatch;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs handlers on the event-loop thread that read the request: no hand-off, no queue, the
 * fastest path. Handlers must not block: a blocked handler stalls every connection of its loop.
 *
 * <ol>
 *   <li>{@link #serverInit()}: nothing to start (the loops are the threads).</li>
 *   <li>{@link #dispatch(Job)}: runs the job before returning; after a shutdown began, rejects it.</li>
 *   <li>{@link #shutdown(Duration)}: waits for the jobs running on loops to return.</li>
 * </ol>
 * {@link PerThread} instances live one per loop thread; a retire drops them after the job.
 */
public final class InlineBridge implements Bridge {

    private static final System.Logger LOG = System.getLogger(InlineBridge.class.getName());

    private final LongAdder started = new LongAdder();   // lock-free, any loop thread
    private final LongAdder completed = new LongAdder(); // lock-free, any loop thread
    private final LongAdder rejected = new LongAdder();  // lock-free, any loop thread
    private final ThreadLocal<Boolean> initialized = new ThreadLocal<>(); // per loop thread
    private volatile Runnable threadInit; // written before serverInit, read by loops
    private volatile boolean closed;      // written once by shutdown, read by loops
    private final BlockingDetector detector; // null unless asked for

    /** Handlers on the loops, no blocking detector. */
    public InlineBridge() {
        this(null);
    }

    /**
     * @param reportBlockedAfter when not null, a handler still running after this long is reported
     *                           (a warning with the request and the loop thread's stack): a debug aid
     */
    public InlineBridge(Duration reportBlockedAfter) {
        this.detector = reportBlockedAfter == null ? null : new BlockingDetector(reportBlockedAfter);
    }

    @Override
    public void serverInit() {
        if (detector != null) {
            detector.start();
        }
    }

    @Override
    public String name() {
        return "inline";
    }

    @Override
    public Bridge onThreadInit(Runnable hook) {
        this.threadInit = hook;
        return this;
    }

    @Override
    public void dispatch(Job job) {
        started.increment();
        if (closed) {
            completed.increment();
            rejected.increment();
            job.reject();
            return;
        }
        try {
            Runnable hook = threadInit;
            if (hook != null && initialized.get() == null) {
                initialized.set(Boolean.TRUE);
                runHook(hook);
            }
            if (detector != null) {
                detector.enter(job.description());
            }
            job.run();
        } finally {
            if (detector != null) {
                detector.exit();
            }
            completed.increment();
            ThreadContext.afterJob(); // a retire on a loop thread drops its per-thread instances
        }
    }

    static void runHook(Runnable hook) {
        try {
            hook.run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, () -> "thread-init hook failed on " + Thread.currentThread().getName(), t);
        }
    }

    @Override
    public boolean blockingAllowed() {
        return false;
    }

    /** Waits (polling each millisecond: the jobs are on loops this bridge does not own) for running jobs. */
    @Override
    public boolean shutdown(Duration deadline) {
        long end = LiveThreads.deadline(deadline);
        closed = true;
        if (detector != null) {
            detector.stop();
        }
        while (completed.sum() < started.sum()) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    @Override
    public boolean acceptingJobs() {
        return !closed;
    }

    @Override
    public BridgeStats stats() {
        long done = completed.sum();
        int running = (int) Math.max(0, started.sum() - done);
        return new BridgeStats(0, running, 0, 0, rejected.sum(), done - rejected.sum());
    }
}
