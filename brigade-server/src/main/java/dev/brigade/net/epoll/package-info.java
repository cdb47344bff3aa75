/**
 * The Linux epoll transport, through the Foreign Function and Memory API ({@code java.lang.foreign}):
 * no JNI, no C compiler; the C library's functions are bound at run time ({@link dev.brigade.net.epoll.LibC}).
 * Level-triggered, so that it reports readiness as NIO's selector does. Chosen by the server when it
 * runs on Linux (x86_64, aarch64) with native access enabled; see {@link dev.brigade.net.epoll.EpollBackend}.
 * Imports {@code net} and the JDK only.
 */
package dev.brigade.net.epoll;
