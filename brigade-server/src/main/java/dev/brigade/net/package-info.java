/**
 * The socket layer under the loops and the network filters: a readiness {@link dev.brigade.net.Poller},
 * connected sockets ({@link dev.brigade.net.Endpoint}) and listening sockets
 * ({@link dev.brigade.net.ListenSocket}), each behind a small interface, with the JDK's NIO as one
 * implementation ({@link dev.brigade.net.NioBackend}) and Linux epoll through the Foreign Function
 * and Memory API as the other ({@code net.epoll}). Which one runs is chosen once, by the server
 * ({@link dev.brigade.net.IoBackend}). Imports the JDK only.
 */
package dev.brigade.net;
