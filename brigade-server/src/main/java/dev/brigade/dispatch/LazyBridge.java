package dev.brigade.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Rivet's "lazy" bridge, bounded: per virtual host ({@link Job#hostName()}), a LIFO stack of idle
 * platform threads ({@code brigade-lazy-<host>-N}) created on demand, each owning its
 * {@link PerThread} instances. No thread exists before the first request; a host's threads are
 * capped, and idle ones are reaped.
 *
 * <ol>
 *   <li>{@link #serverInit()}: nothing is started.</li>
 *   <li>{@link #dispatch(Job)} (loop thread), under the host's lock: pop the most recently idle
 *       worker and hand it the job; else, below the host cap and the bridge-wide cap, start a worker
 *       with the job; else queue it in the host's backlog (if the host has a worker to take it);
 *       else {@link Job#reject()} (503) at once.</li>
 *   <li>Workers run, go idle, are reaped or retire as {@link LazyWorker} describes; a retiring
 *       worker leaves the stack before it ends, so no job is handed to a dead worker.</li>
 *   <li>{@link #shutdown(Duration)}: rejects queued jobs, wakes the idle workers (they leave and
 *       end), lets busy ones finish their job, and joins every worker within the deadline.</li>
 * </ol>
 * Differences from Rivet: a per-host cap and backlog, idle reaping, a bridge-wide thread cap (host
 * names come from clients), rejection with 503 instead of 500 after shutdown, and a proper join.
 */
public final class LazyBridge implements Bridge {

    private final int perHostMax;
    private final int perHostBacklog;
    private final int maxThreads;
    private final Duration idleTimeout;
    private final ConcurrentHashMap<String, LazyHost> hosts = new ConcurrentHashMap<>(); // thread-safe; a host's state: its lock
    private final AtomicInteger threads = new AtomicInteger(); // all hosts; reserved under a host lock
    private final AtomicInteger idle = new AtomicInteger();    // all hosts; changed under a host lock
    private final AtomicInteger queued = new AtomicInteger();  // all hosts; changed under a host lock
    private final AtomicInteger nextId = new AtomicInteger();  // lock-free: worker numbers
    private final LongAdder rejected = new LongAdder();        // lock-free, any thread
    private final LongAdder completed = new LongAdder();       // lock-free, workers
    private final LiveThreads live = new LiveThreads();        // thread-safe (its own lock)
    private final AtomicBoolean started = new AtomicBoolean(); // set once by serverInit
    private volatile boolean closed;      // written once by shutdown; re-read under each host lock
    private volatile Runnable threadInit; // written before serverInit

    LazyBridge(int perHostMax, Duration idleTimeout, int perHostBacklog, int maxThreads) {
        if (perHostMax < 1 || perHostBacklog < 0 || maxThreads < 1 || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("lazy bridge needs perHostMax >= 1, backlog >= 0, maxThreads >= 1, idleTimeout >= 0");
        }
        this.perHostMax = perHostMax;
        this.perHostBacklog = perHostBacklog;
        this.maxThreads = maxThreads;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public String name() {
        return "lazy(" + perHostMax + "," + idleTimeout.toMillis() + "ms)";
    }

    @Override
    public Bridge onThreadInit(Runnable hook) {
        this.threadInit = hook;
        return this;
    }

    @Override
    public void serverInit() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException(name() + " already initialized");
        }
    }

    @Override
    public void dispatch(Job job) {
        if (!started.get()) {
            throw new IllegalStateException(name() + ": dispatch before serverInit");
        }
        String name = job.hostName() == null || job.hostName().isEmpty() ? "_default_" : job.hostName();
        while (true) {
            LazyHost h = hosts.computeIfAbsent(name, LazyHost::new);
            boolean reject = false;
            h.lock.lock();
            try {
                if (h.removed) {
                    continue; // its last worker just left; take the fresh host from the map
                }
                LazyWorker w;
                if (closed) {
                    reject = true;
                } else if ((w = h.idle.pollFirst()) != null) {
                    idle.decrementAndGet();
                    w.hand(job);
                } else if (h.threads < perHostMax && reserveThread()) {
                    h.threads++;
                    if (!startWorker(h, job)) {
                        h.threads--;
                        threads.decrementAndGet();
                        reject = true;
                    }
                } else if (h.threads > 0 && h.backlog.size() < perHostBacklog) {
                    // only behind a worker of this host: at the bridge-wide cap, a host with no
                    // worker would have no one to take the job, so it is shed instead
                    h.backlog.addLast(job);
                    queued.incrementAndGet();
                } else {
                    reject = true;
                }
                if (reject) {
                    h.rejected++;
                }
            } finally {
                h.lock.unlock();
            }
            if (reject) {
                rejected.increment();
                job.reject();
            }
            return;
        }
    }

    private boolean reserveThread() {
        while (true) {
            int n = threads.get();
            if (n >= maxThreads) {
                return false;
            }
            if (threads.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Under h.lock, with its place already counted: starts a worker for {@code first}; false if the JVM refused a thread. */
    private boolean startWorker(LazyHost h, Job first) {
        LazyWorker w = new LazyWorker(this, h, first, "brigade-lazy-" + h.threadTag + "-" + nextId.incrementAndGet());
        live.add(w.thread);
        try {
            w.thread.start();
            return true;
        } catch (Throwable e) {
            live.remove(w.thread);
            System.getLogger(LazyBridge.class.getName()).log(System.Logger.Level.ERROR,
                    () -> name() + ": cannot start a worker for " + h.name, e);
            return false;
        }
    }

    /**
     * Under h.lock, by a worker that is ending and is on no stack: gives its place to a successor
     * when jobs are queued (the cap is unchanged), else gives the place back; a host left with no
     * worker and no job is dropped from the map.
     */
    void leave(LazyHost h) {
        if (!closed && !h.backlog.isEmpty()) {
            Job j = h.backlog.pollFirst();
            queued.decrementAndGet();
            if (startWorker(h, j)) {
                return;
            }
            List<Job> stranded = new ArrayList<>(h.backlog); // no thread to be had: shed them all
            stranded.addFirst(j);
            queued.addAndGet(-h.backlog.size());
            h.backlog.clear();
            h.rejected += stranded.size();
            for (Job s : stranded) {
                rejected.increment();
                s.reject(); // from a worker, reject only enqueues a task for the loop
            }
        }
        h.threads--;
        threads.decrementAndGet();
        if (h.threads == 0 && h.backlog.isEmpty()) {
            h.removed = true;
            hosts.remove(h.name, h);
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
        List<Job> dropped = new ArrayList<>();
        for (LazyHost h : hosts.values()) {
            h.lock.lock();
            try {
                dropped.addAll(h.backlog);
                h.rejected += h.backlog.size();
                queued.addAndGet(-h.backlog.size());
                h.backlog.clear();
                for (LazyWorker w : h.idle) {
                    w.wake.signal();
                }
            } finally {
                h.lock.unlock();
            }
        }
        for (Job j : dropped) {
            rejected.increment();
            j.reject();
        }
        return live.awaitAll(end);
    }

    @Override
    public boolean acceptingJobs() {
        return !closed;
    }

    @Override
    public BridgeStats stats() {
        int t = threads.get();
        int i = idle.get();
        return new BridgeStats(t, Math.max(0, t - i), i, queued.get(), rejected.sum(), completed.sum());
    }

    /** Per virtual host: its workers, queue and counters (hosts with no worker left are not listed). */
    public Map<String, BridgeStats> hostStats() {
        Map<String, BridgeStats> out = new TreeMap<>();
        hosts.forEach((name, h) -> out.put(name, h.stats()));
        return out;
    }

    /** Workers that could start a job now: idle ones plus the threads the bridge-wide cap still allows. */
    @Override
    public int idleWorkers() {
        return Math.max(0, maxThreads - threads.get()) + idle.get();
    }

    @Override
    public boolean saturated() {
        return idleWorkers() == 0 && (queued.get() > 0 || perHostBacklog == 0);
    }

    // ---- for LazyWorker ----------------------------------------------------------------------

    Runnable threadInit() {
        return threadInit;
    }

    LiveThreads live() {
        return live;
    }

    boolean closed() {
        return closed;
    }

    long idleNanos() {
        return idleTimeout.toNanos();
    }

    void completedOne() {
        completed.increment();
    }

    void idleChanged(int delta) {
        idle.addAndGet(delta);
    }

    void queuedChanged(int delta) {
        queued.addAndGet(delta);
    }
}
