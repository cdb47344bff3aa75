package dev.brigade.loop;

/** What a channel registered with an {@link EventLoop} does when the selector reports it ready. */
public interface IoHandler {

    /** Called on the loop thread with the ready operations of this handler's key. */
    void onReady(int readyOps) throws Exception;

    /**
     * Called on the loop thread when {@link #onReady} threw: the handler must release what it holds
     * and close its channel. The loop itself carries on with its other channels.
     */
    void onFailure(Throwable failure);
}
