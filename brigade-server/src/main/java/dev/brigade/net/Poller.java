package dev.brigade.net;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * A readiness poller, one per event loop (NIO's {@code Selector}, or an epoll instance): sockets are
 * registered with the operations they wait for, and each pass reports the ready ones. Readiness is
 * level-triggered in both backends: an operation left unfinished is reported again on the next
 * pass, which the connection state machine relies on (it reads a bounded slice per pass).
 *
 * <p>Everything but {@link #wakeup()} runs on the loop thread.
 */
public interface Poller extends AutoCloseable {

    /** Ready to read (or, for a listening socket, see {@link #ACCEPT}); the values are NIO's. */
    int READ = 1;
    int WRITE = 4;
    int ACCEPT = 16;

    /** Registers a socket of this poller's backend, waiting for {@code ops}. */
    PollKey register(Pollable socket, int ops, Object attachment) throws IOException;

    /**
     * Waits up to {@code timeoutMillis} (0: not at all) for readiness, or a {@link #wakeup()}, and
     * gives each ready key to {@code action}; returns how many it gave.
     */
    int select(long timeoutMillis, Consumer<PollKey> action) throws IOException;

    /** Makes the current or next {@link #select} return at once; callable from any thread. */
    void wakeup();

    /** Registrations not cancelled. */
    int registeredCount();

    /** Calls {@code action} for every registration not cancelled (a copy: the action may cancel). */
    void forEach(Consumer<PollKey> action);

    /** Releases the poller; the sockets registered with it are their owners' to close. */
    @Override
    void close();
}
