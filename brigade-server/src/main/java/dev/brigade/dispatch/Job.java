package dev.brigade.dispatch;

/**
 * One exchange handed to a bridge: running it calls the handler. Exactly one of {@link #run()}
 * or {@link #reject()} is called, once: {@code run} on the thread the bridge chose,
 * {@code reject} on the dispatching loop thread (no room, or shut down) or, for a job still
 * queued when the bridge shuts down, on the thread calling {@link Bridge#shutdown}.
 */
public interface Job {

    /** Runs the handler on the calling thread. Never throws: handler failures are answered 500 inside. */
    void run();

    /** Declines the exchange without running it (load shedding): answered 503 with Retry-After. */
    void reject();

    /** The virtual host the request is for, for bridges that keep per-host workers. */
    String hostName();

    /** What this job answers, for logs, e.g. {@code GET /users/42 (host example.com)}. */
    default String description() {
        return "a request for " + hostName();
    }
}
