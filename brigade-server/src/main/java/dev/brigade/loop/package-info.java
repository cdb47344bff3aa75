/**
 * Event loops: one thread per loop, each with its own poller (NIO selector or epoll), task queue and timeout queues.
 * Connections belong to one loop for life; other threads reach a loop only through
 * {@link dev.brigade.loop.EventLoop#execute}. Imports {@code buffer}, {@code net} and the JDK only.
 */
package dev.brigade.loop;
