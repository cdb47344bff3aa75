package dev.brigade.dispatch;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One virtual thread per job ({@code brigade-vt-N}): handlers may block, and a blocked handler
 * costs a small heap object, not an OS thread; the JDK's carrier threads (one per core) run them.
 * Nothing here holds a monitor ({@code synchronized}) around a blocking call: j.u.c. only.
 *
 * <ol>
 *   <li>{@link #dispatch(Job)} (loop thread): if a limit was given and that many jobs are running,
 *       {@link Job#reject()} at once (503 shedding, as a full pool backlog); otherwise starts the
 *       job's virtual thread, which does not wait for a carrier before returning.</li>
 *   <li>The thread runs the thread-init hook, the job, then ends its {@link PerThread} context (a
 *       fresh instance per request: see {@link PerThread}).</li>
 *   <li>{@link #shutdown(Duration)} rejects later dispatches and waits for running jobs to end. Jobs
 *       still running at the deadline are left to finish (their threads are not tracked one by one,
 *       so they are not interrupted).</li>
 * </ol>
 */
public final class VirtualThreadBridge implements Bridge {

    private static final System.Logger LOG = System.getLogger(VirtualThreadBridge.class.getName());

    private final int maxConcurrent;       // 0: unlimited
    private final Semaphore permits;        // null when unlimited; thread-safe
    private final ThreadFactory threads = Thread.ofVirtual().name("brigade-vt-", 1).factory(); // thread-safe
    private final AtomicInteger running = new AtomicInteger(); // jobs accepted and not yet ended
    private final LongAdder rejected = new LongAdder();  // lock-free, any thread
    private final LongAdder completed = new LongAdder(); // lock-free, job threads
    private final ReentrantLock lock = new ReentrantLock(); // only to wait for / signal the drain
    private final Condition drained = lock.newCondition(); // signalled when running reaches 0 after close
    private volatile boolean closed;        // written once by shutdown
    private volatile Runnable threadInit;   // written before serverInit

    VirtualThreadBridge(int maxConcurrent) {
        if (maxConcurrent < 0) {
            throw new IllegalArgumentException("maxConcurrent must be >= 0 (0: unlimited): " + maxConcurrent);
        }
        this.maxConcurrent = maxConcurrent;
        this.permits = maxConcurrent == 0 ? null : new Semaphore(maxConcurrent);
    }

    @Override
    public String name() {
        return maxConcurrent == 0 ? "virtual-threads" : "virtual-threads(" + maxConcurrent + ")";
    }

    @Override
    public Bridge onThreadInit(Runnable hook) {
        this.threadInit = hook;
        return this;
    }

    /** Loads, on this platform thread, what every job's virtual thread uses (class loading pins a virtual thread). */
    @Override
    public void serverInit() {
        ThreadContext.preload();
    }

    @Override
    public void dispatch(Job job) {
        running.incrementAndGet(); // before reading closed: a shutdown that saw 0 running rejects us
        if (closed || (permits != null && !permits.tryAcquire())) {
            ended();
            rejected.increment();
            job.reject();
            return;
        }
        try {
            threads.newThread(() -> runJob(job)).start();
        } catch (Throwable e) { // out of memory for even a virtual thread: shed the job
            release();
            ended();
            rejected.increment();
            LOG.log(System.Logger.Level.ERROR, () -> name() + ": cannot start a virtual thread", e);
            job.reject();
        }
    }

    private void runJob(Job job) {
        try {
            Runnable hook = threadInit;
            if (hook != null) {
                InlineBridge.runHook(hook);
            }
            job.run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, () -> Thread.currentThread().getName() + ": a job threw out of run()", t);
        } finally {
            ThreadContext.end();
            completed.increment();
            release();
            ended();
        }
    }

    private void release() {
        if (permits != null) {
            permits.release();
        }
    }

    private void ended() {
        if (running.decrementAndGet() == 0 && closed) {
            lock.lock();
            try {
                drained.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public boolean blockingAllowed() {
        return true;
    }

    @Override
    public boolean shutdown(Duration deadline) {
        long end = LiveThreads.deadline(deadline);
        closed = true;
        lock.lock();
        try {
            while (running.get() > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                drained.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return running.get() == 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean acceptingJobs() {
        return !closed;
    }

    @Override
    public BridgeStats stats() {
        int n = Math.max(0, running.get());
        int free = permits == null ? 0 : permits.availablePermits();
        return new BridgeStats(n, n, free, 0, rejected.sum(), completed.sum());
    }

    @Override
    public int idleWorkers() {
        return permits == null ? Integer.MAX_VALUE : permits.availablePermits();
    }

    @Override
    public boolean saturated() {
        return permits != null && permits.availablePermits() == 0;
    }
}
