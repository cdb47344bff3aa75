package dev.brigade.dispatch;

import java.time.Duration;

/**
 * Where handlers run (Rivet's "bridge"). The server calls, in order:
 * <ol>
 *   <li>{@link #start()} once, before the first dispatch;</li>
 *   <li>{@link #dispatch(Job)} once per exchange, from a loop thread, which must not block;</li>
 *   <li>{@link #shutdown(Duration)} once: finish running jobs within the deadline, start no new one.</li>
 * </ol>
 * A handler learns only the documented guarantee {@link #blockingAllowed()}.
 */
public interface Bridge {

    /** A short name for logs and the status page, e.g. {@code inline} or {@code pool(8,64)}. */
    String name();

    default void start() {
    }

    /** Runs the job now on this thread, or later on another; or rejects it. Called on a loop thread. */
    void dispatch(Job job);

    /** Whether handlers dispatched by this bridge may block their thread. */
    boolean blockingAllowed();

    /** Stops taking jobs and waits up to {@code deadline} for running ones; returns true if all finished. */
    default boolean shutdown(Duration deadline) {
        return true;
    }
}
