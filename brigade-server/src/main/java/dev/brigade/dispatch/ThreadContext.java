package dev.brigade.dispatch;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one thread owns for {@link PerThread}: its instances and its wish to retire (Rivet's
 * per-thread private data). Confined to its thread: only that thread ever reads or writes it, so
 * nothing here is locked.
 *
 * <ol>
 *   <li>Created on the thread's first {@link PerThread#get()} (or {@link PerThread#retire()}).</li>
 *   <li>After each job, the bridge calls {@link #afterJob()} on the same thread: if a retire was
 *       asked, the context ends there.</li>
 *   <li>{@link #end()}: instances that are {@link AutoCloseable} are closed, on their own thread, in
 *       reverse order of creation; a later use on the same thread starts a fresh context.</li>
 * </ol>
 */
final class ThreadContext {

    private static final System.Logger LOG = System.getLogger(ThreadContext.class.getName());
    private static final ThreadLocal<ThreadContext> CURRENT = new ThreadLocal<>();
    /** Whether any thread ever made a context: until then afterJob skips its thread-local lookup. */
    private static volatile boolean anyCreated;

    private final Map<PerThread<?>, Object> instances = new IdentityHashMap<>(); // own thread only
    private final List<Object> created = new ArrayList<>(); // own thread only, creation order
    private boolean retire; // own thread only

    private ThreadContext() {
        anyCreated = true;
    }

    /**
     * Loads and initializes this class now, on the calling (platform) thread: a virtual thread that
     * is first to need a class, or waits for another loading it, is pinned to its carrier meanwhile.
     */
    static void preload() {
    }

    /** This thread's context, created if it has none. */
    static ThreadContext current() {
        ThreadContext c = CURRENT.get();
        if (c == null) {
            c = new ThreadContext();
            CURRENT.set(c);
        }
        return c;
    }

    Object instance(PerThread<?> key) {
        return instances.get(key);
    }

    void put(PerThread<?> key, Object value) {
        instances.put(key, value);
        created.add(value);
    }

    /**
     * Set by a pool on its worker threads: runs on the worker, once, when a job asks it to retire,
     * so the pool can start the replacement while the job is still running (the next request must
     * not find the pool a worker short).
     */
    static final ThreadLocal<Runnable> RETIRE_HOOK = new ThreadLocal<>();

    void requestRetire() {
        if (!retire) {
            retire = true;
            Runnable hook = RETIRE_HOOK.get();
            if (hook != null) {
                RETIRE_HOOK.remove();
                hook.run();
            }
        }
    }

    /** Whether a retire was asked on this thread since its context began (false if it has none). */
    static boolean retireRequested() {
        ThreadContext c = CURRENT.get();
        return c != null && c.retire;
    }

    /**
     * Called by a bridge on the thread that just ran a job. Returns true if the job asked this
     * thread to retire (or broke its instance); the context has then been ended.
     */
    static boolean afterJob() {
        if (!anyCreated) {
            return false;
        }
        ThreadContext c = CURRENT.get();
        if (c == null || !c.retire) {
            return false;
        }
        end();
        return true;
    }

    /** Ends this thread's context, closing its closeable instances; nothing if it has none. */
    static void end() {
        ThreadContext c = CURRENT.get();
        if (c == null) {
            return;
        }
        CURRENT.remove();
        for (int i = c.created.size() - 1; i >= 0; i--) {
            if (c.created.get(i) instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Throwable t) {
                    LOG.log(System.Logger.Level.WARNING, () -> "closing a per-thread instance on "
                            + Thread.currentThread().getName() + " failed", t);
                }
            }
        }
    }
}
