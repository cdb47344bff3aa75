package dev.brigade.server;

/** A server was asked for a transport this JVM cannot run (epoll off Linux, or without native access). */
public final class TransportUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TransportUnavailableException(String message) {
        super(message);
    }
}
