package dev.brigade.dispatch;

import dev.brigade.api.Handler;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Values confined to the thread that uses them: Rivet's interpreter per thread. Each thread that
 * calls {@link #get()} gets its own instance, made by the factory on that thread's first call, and
 * no other thread ever sees it. {@link #handler(Supplier)} applies this to a whole handler.
 *
 * <p>How long an instance lives depends on the bridge the request runs on:
 * <ul>
 *   <li>{@code lazy} and {@code pool}: one instance per worker thread, for the worker's life (a lazy
 *       worker serves one virtual host, so its instances do too);</li>
 *   <li>{@code inline}: one instance per event-loop thread, shared in time by all the requests of
 *       that loop (never concurrently), kept until the loop thread ends;</li>
 *   <li>{@code virtualThreads}: a new instance for every request (each job has its own thread), closed
 *       when the job's thread finishes it: keep such factories cheap, or use another bridge.</li>
 * </ul>
 * An instance that is {@link AutoCloseable} is closed on its own thread when its thread's context
 * ends: the worker exits (idle reaping, retirement, shutdown), or after the job that retired it.
 *
 * <p><b>Retiring</b> (Rivet's {@code exit}, without killing anything): {@link #retire()} asks that the
 * calling worker thread end after its current job. The worker leaves its pool first, so no later job
 * is handed to it; the next job goes to another worker or a new one. On a loop thread (inline) the
 * thread stays but its instances are closed and dropped after the job.
 *
 * <p><b>Broken instances</b>: if the factory throws (or returns null), or a handler made by
 * {@link #handler(Supplier)} throws {@link Broken} or any {@link Error}, the thread's instances are
 * considered broken: the thread retires after the job as above (the exception still reaches the
 * server, which answers 500 if nothing was sent).
 */
public final class PerThread<T> {

    private final Supplier<? extends T> factory;

    private PerThread(Supplier<? extends T> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** A per-thread value made by {@code factory}, on each thread, at its first {@link #get()}. */
    public static <T> PerThread<T> of(Supplier<? extends T> factory) {
        return new PerThread<>(factory);
    }

    /**
     * A handler that delegates to an instance confined to the current thread, made by
     * {@code factory} on the thread's first request. See the class comment for instance lifetimes.
     */
    public static Handler handler(Supplier<? extends Handler> factory) {
        PerThread<Handler> instances = of(factory);
        return (request, response) -> {
            Handler h = instances.get();
            try {
                h.handle(request, response);
            } catch (Broken | Error e) {
                retire();
                throw e;
            }
        };
    }

    /** This thread's instance, made now if the thread has none. */
    @SuppressWarnings("unchecked")
    public T get() {
        ThreadContext c = ThreadContext.current();
        Object v = c.instance(this);
        if (v == null) {
            try {
                v = factory.get();
            } catch (RuntimeException | Error e) {
                c.requestRetire();
                throw e;
            }
            if (v == null) {
                c.requestRetire();
                throw new Broken("per-thread factory returned null");
            }
            c.put(this, v);
        }
        return (T) v;
    }

    /**
     * Asks that the current thread retire after its current job (see the class comment). Safe to
     * call from any thread; it only ever affects the calling one.
     */
    public static void retire() {
        ThreadContext.current().requestRetire();
    }

    /** Whether the current thread has been asked to retire after its current job. */
    public static boolean retiring() {
        return ThreadContext.retireRequested();
    }

    /**
     * Thrown by a per-thread handler to say its instance is unusable (a corrupted interpreter, a
     * lost connection it cannot rebuild): the worker retires after this job, its instances closed.
     */
    public static final class Broken extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public Broken(String message) {
            super(message);
        }

        public Broken(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
