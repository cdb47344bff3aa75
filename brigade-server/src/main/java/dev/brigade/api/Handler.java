package dev.brigade.api;

/**
 * Application code answering one request.
 *
 * <p>A handler completes its exchange by calling one of the {@code send} methods of the
 * {@link Response}, or by closing {@link Response#output()}. It may do so before it returns, or
 * later from any thread after calling {@link Response#async()} (or {@link Request#body()}). If it
 * returns without having sent anything and without either call, the response is sent as it stands. An exception thrown before the response was sent answers 500.
 *
 * <p>Where it runs is chosen by the server's bridge: on an event-loop thread (inline: must never
 * block), or on a worker or virtual thread (may block). {@link Request#blockingAllowed()} tells.
 */
@FunctionalInterface
public interface Handler {

    void handle(Request request, Response response) throws Exception;
}
