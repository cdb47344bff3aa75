package dev.brigade.dispatch;

import java.time.Duration;

/**
 * Where handlers run: Rivet's "bridge", whose jump table {@code {server_init, thread_init,
 * request_processor, finalize, exit_handler, thread_interp}} this interface mirrors.
 *
 * <ol>
 *   <li>{@link #onThreadInit(Runnable)} (optional, configuration): a hook each worker thread runs
 *       before its first job (Rivet's {@code thread_init}).</li>
 *   <li>{@link #serverInit()} once, by the thread starting the server, before the first dispatch
 *       (Rivet's {@code server_init}): fixed pools start their threads here.</li>
 *   <li>{@link #dispatch(Job)} once per exchange, on a loop thread, never blocking (Rivet's
 *       {@code request_processor}).</li>
 *   <li>{@link #shutdown(Duration)} once (Rivet's {@code finalize}): take no more jobs, let the
 *       running ones finish, join the threads within the deadline.</li>
 * </ol>
 * Rivet's {@code exit_handler} is {@link PerThread#retire()}: a handler asks its worker to end after
 * the current job; the worker leaves its pool first and is never killed. Rivet's
 * {@code thread_interp} is {@link PerThread}: state confined to the worker thread.
 *
 * <p>A bridge never kills a thread: at a shutdown deadline it interrupts the workers still busy (a
 * request, which a handler may ignore) and reports that they did not finish. Worker threads are
 * daemon threads, so a handler that never returns cannot keep the process alive.
 *
 * <p>Every method is thread-safe; the stats methods may be called from any thread at any time and
 * return a recent, not necessarily atomic, snapshot.
 */
public interface Bridge {

    /** A short name for logs and the status page, e.g. {@code inline} or {@code pool(8,64)}. */
    String name();

    /**
     * Rivet's {@code thread_init}: {@code hook} runs on every thread this bridge starts, on that
     * thread, before its first job (for an inline bridge: on each loop thread before its first job;
     * on virtual threads: before each job, each job having its own thread). An exception from the
     * hook is logged and the worker goes on. Call before {@link #serverInit()}; returns this bridge.
     */
    default Bridge onThreadInit(Runnable hook) {
        throw new UnsupportedOperationException(name() + " has no thread-init hook");
    }

    /**
     * Called once, before the first {@link #dispatch}, by the thread starting the server. Bridges
     * with a fixed pool start its threads here. A second call throws {@link IllegalStateException}.
     */
    default void serverInit() {
    }

    /**
     * Runs the job now on this thread (inline), hands it to another thread, queues it, or rejects it
     * with {@link Job#reject()} (on this thread, at once) when there is no room or the bridge is shut
     * down. Called on a loop thread: never blocks beyond a short lock, never waits for a worker.
     * Bridges that start threads in {@link #serverInit()} throw {@link IllegalStateException} when
     * called before it.
     */
    void dispatch(Job job);

    /** Whether handlers dispatched by this bridge may block their thread. Constant. */
    boolean blockingAllowed();

    /**
     * Rivet's {@code finalize}, from any thread: stops taking jobs (any later {@link #dispatch}
     * rejects), rejects the jobs still queued (never started), lets running jobs finish, and waits
     * until its threads have ended or {@code deadline} has passed; at the deadline, interrupts the
     * threads still running. Returns true if every job finished and every thread ended in time.
     * Returns within the deadline (plus scheduling noise). Later calls only wait again.
     */
    boolean shutdown(Duration deadline);

    /**
     * False once {@link #shutdown} has begun (from then on every {@link #dispatch} rejects), true
     * before. Says nothing about room for the next job (see {@link #saturated()}). For the status
     * page and for whoever waits on a shutdown in progress, e.g. a bridge a reload replaced, draining.
     */
    boolean acceptingJobs();

    /** Counters for the status page and tests: a snapshot, consistent enough for display. */
    BridgeStats stats();

    /**
     * Workers free to start a job now, for httpd-style accept pausing (the loops stop accepting
     * while this is 0 and connections exceed the pool plus twice the idle count).
     * {@link Integer#MAX_VALUE} for bridges that are not limited by a fixed set of threads.
     */
    default int idleWorkers() {
        return Integer.MAX_VALUE;
    }

    /** True when no worker is idle and the backlog is in use (non-empty) or full: the next job may be rejected. */
    default boolean saturated() {
        return false;
    }
}
