package dev.brigade.dispatch;

/**
 * Runs handlers on the event-loop thread that read the request: no hand-off, no queue, the
 * fastest path. Handlers must not block: a blocked handler stalls every connection of its loop.
 */
public final class InlineBridge implements Bridge {

    @Override
    public String name() {
        return "inline";
    }

    @Override
    public void dispatch(Job job) {
        job.run();
    }

    @Override
    public boolean blockingAllowed() {
        return false;
    }
}
