package dev.brigade.net;

/**
 * One socket's registration with a {@link Poller} (NIO's {@code SelectionKey}): the operations it
 * waits for, what was ready in the current pass, and the object the registration carries.
 *
 * <p>Loop thread only: interest changes and cancellation come from the thread that polls.
 */
public interface PollKey {

    /** Replaces the operations waited for ({@link Poller#READ}, {@link Poller#WRITE}, {@link Poller#ACCEPT}); 0 waits for none. */
    void interestOps(int ops);

    /** The operations found ready in this pass, within the interest set. */
    int readyOps();

    /** False once cancelled. */
    boolean isValid();

    /** Ends the registration; harmless when repeated. The socket itself stays open. */
    void cancel();

    /**
     * Ends the registration of a socket its owner closes right after, on this thread: where closing
     * the descriptor takes it out of the kernel's interest set anyway (epoll), no call is made for it.
     */
    default void cancelBeforeClose() {
        cancel();
    }

    /** What the registration was made with (the loop's handler). */
    Object attachment();
}
