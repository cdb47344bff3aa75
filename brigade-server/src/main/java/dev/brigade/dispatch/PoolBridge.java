package dev.brigade.dispatch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed, supervised pool of platform threads ({@code brigade-worker-N}) fed by a bounded backlog:
 * the event MPM's worker threads, and Rivet's "worker" bridge. Handlers may block.
 *
 * <ol>
 *   <li>{@link #serverInit()} starts the {@code threads} workers.</li>
 *   <li>{@link #dispatch(Job)} (loop thread) queues the job for an idle worker, or in the backlog
 *       while fewer than {@code backlog} jobs wait there; otherwise it calls {@link Job#reject()} at
 *       once, on the loop thread, without waiting or touching a worker (503, Retry-After).</li>
 *   <li>A worker takes jobs first come, first served. One that ends (it retired through
 *       {@link PerThread#retire()}, or a job threw, which {@link Job#run()} should never do) is
 *       replaced at once by a new worker: the pool keeps its size until shutdown.</li>
 *   <li>{@link #shutdown(Duration)} rejects queued jobs, lets running ones finish, wakes idle workers
 *       so they exit, and joins all within the deadline.</li>
 * </ol>
 * Room is counted exactly: with {@code i} idle workers, {@code i + backlog} jobs are accepted even
 * before a woken worker has taken its job, so {@code pool(1, 1)} runs one, queues one, rejects the third.
 */
public final class PoolBridge implements Bridge {

    private static final System.Logger LOG = System.getLogger(PoolBridge.class.getName());

    private final int size;
    private final int backlog;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();       // signalled when a job is queued or at shutdown
    private final ArrayDeque<Job> queue = new ArrayDeque<>(); // guarded by lock: accepted, not started
    private int threads;       // guarded by lock: workers started and not yet exited
    private int waiting;       // guarded by lock: workers parked in work.await (idle, or woken and not yet running)
    private int starting;      // guarded by lock: workers started that have not yet asked for their first job
    private boolean started;   // guarded by lock
    private volatile boolean closed; // written under lock; read without it for a fast reject
    private final LongAdder rejected = new LongAdder();        // lock-free, any thread
    private final LongAdder completed = new LongAdder();       // lock-free, workers
    private final AtomicInteger nextId = new AtomicInteger();  // lock-free: worker numbers
    private final LiveThreads live = new LiveThreads();        // thread-safe (its own lock)
    private volatile Runnable threadInit; // written before serverInit, read by workers

    PoolBridge(int threads, int backlog) {
        if (threads < 1 || backlog < 0) {
            throw new IllegalArgumentException("pool needs threads >= 1 and backlog >= 0: " + threads + ", " + backlog);
        }
        this.size = threads;
        this.backlog = backlog;
    }

    @Override
    public String name() {
        return "pool(" + size + "," + backlog + ")";
    }

    @Override
    public Bridge onThreadInit(Runnable hook) {
        this.threadInit = hook;
        return this;
    }

    @Override
    public void serverInit() {
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException(name() + " already initialized");
            }
            started = true;
            if (!closed) {
                for (int i = 0; i < size; i++) {
                    spawn();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Starts one worker; under lock. Until it takes its first job it counts as a free place. */
    private void spawn() {
        Thread t = Thread.ofPlatform().daemon(true).name("brigade-worker-" + nextId.incrementAndGet())
                .unstarted(this::work);
        live.add(t);
        threads++;
        starting++;
        try {
            t.start();
        } catch (Throwable e) { // no memory for a thread: run with fewer, say so
            threads--;
            starting--;
            live.remove(t);
            LOG.log(System.Logger.Level.ERROR, () -> name() + ": cannot start a worker", e);
        }
    }

    @Override
    public void dispatch(Job job) {
        boolean accepted = false;
        if (!closed) {
            lock.lock();
            try {
                if (!started) {
                    throw new IllegalStateException(name() + ": dispatch before serverInit");
                }
                if (!closed && queue.size() < waiting + starting + backlog) {
                    queue.addLast(job);
                    if (waiting > 0) {
                        work.signal();
                    }
                    accepted = true;
                }
            } finally {
                lock.unlock();
            }
        }
        if (!accepted) {
            rejected.increment();
            job.reject();
        }
    }

    /** A worker's life: take jobs until shutdown, retirement or a failure; then hand its place on. */
    private void work() {
        boolean replace = false;
        boolean[] replacedEarly = {false};
        ThreadContext.RETIRE_HOOK.set(() -> { // a job asked this worker to retire: its successor starts now
            lock.lock();
            try {
                if (!closed) {
                    spawn();
                    replacedEarly[0] = true;
                }
            } finally {
                lock.unlock();
            }
        });
        try {
            Runnable hook = threadInit;
            if (hook != null) {
                InlineBridge.runHook(hook);
            }
            Job job;
            boolean first = true;
            while ((job = take(first)) != null) {
                first = false;
                Thread.interrupted(); // an interrupt left by the previous job is not this job's
                try {
                    job.run();
                } finally {
                    completed.increment();
                }
                if (ThreadContext.afterJob()) {
                    replace = true;
                    break;
                }
            }
        } catch (Throwable t) {
            replace = true;
            LOG.log(System.Logger.Level.ERROR, () -> Thread.currentThread().getName()
                    + ": a job threw out of run(); replacing the worker", t);
        } finally {
            ThreadContext.end();
            ThreadContext.RETIRE_HOOK.remove();
            lock.lock();
            try {
                threads--;
                if (replace && !closed && !replacedEarly[0]) {
                    spawn();
                }
            } finally {
                lock.unlock();
                live.remove(Thread.currentThread());
            }
        }
    }

    /** The next job, waiting for one; null once the pool is shut down and nothing is queued. */
    private Job take(boolean first) {
        lock.lock();
        try {
            if (first) {
                starting--; // from here this worker counts as waiting or busy
            }
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                waiting++;
                try {
                    work.awaitUninterruptibly();
                } finally {
                    waiting--;
                }
            }
            return queue.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean blockingAllowed() {
        return true;
    }

    @Override
    public boolean shutdown(Duration deadline) {
        long end = LiveThreads.deadline(deadline);
        List<Job> dropped;
        lock.lock();
        try {
            closed = true;
            dropped = new ArrayList<>(queue);
            queue.clear();
            work.signalAll();
        } finally {
            lock.unlock();
        }
        for (Job j : dropped) {
            rejected.increment();
            j.reject();
        }
        return live.awaitAll(end);
    }

    /** Queued jobs that a woken idle worker is about to take count as started, not as backlog. */
    @Override
    public boolean acceptingJobs() {
        return !closed;
    }

    @Override
    public BridgeStats stats() {
        lock.lock();
        try {
            int idle = Math.max(0, waiting - queue.size());
            int backlogged = Math.max(0, queue.size() - waiting);
            return new BridgeStats(threads, threads - idle, idle, backlogged, rejected.sum(), completed.sum());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int idleWorkers() {
        lock.lock();
        try {
            return Math.max(0, waiting - queue.size());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean saturated() {
        lock.lock();
        try {
            int inBacklog = queue.size() - waiting; // jobs no idle worker will take
            return inBacklog >= 0 && (inBacklog > 0 || backlog == 0);
        } finally {
            lock.unlock();
        }
    }
}
