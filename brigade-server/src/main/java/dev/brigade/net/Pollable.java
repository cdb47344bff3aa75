package dev.brigade.net;

/**
 * Something a {@link Poller} can watch: a connected or a listening socket of the poller's own
 * backend. The pollers know their backend's implementations; nothing else needs to.
 */
public interface Pollable {
}
