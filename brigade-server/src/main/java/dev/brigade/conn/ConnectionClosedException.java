package dev.brigade.conn;

import java.io.IOException;

/**
 * What a handler's blocking write gets when its connection closed under it (the client left, or
 * the server closed it at a deadline): the client's doing, not the handler's, so the server logs
 * one line for it, not a failure with a stack trace.
 */
final class ConnectionClosedException extends IOException {

    ConnectionClosedException() {
        super("connection closed by peer or server", null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // expected on every client that leaves mid-response: no trace to build
    }

    /** Whether {@code t}, or what caused it (a handler may wrap it), is a closed connection. */
    static boolean causedBy(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectionClosedException) {
                return true;
            }
        }
        return false;
    }
}
