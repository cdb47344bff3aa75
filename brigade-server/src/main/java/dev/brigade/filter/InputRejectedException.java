package dev.brigade.filter;

import java.io.IOException;

/**
 * An input filter refuses what the client sent below HTTP (a TLS handshake that failed, plain HTTP
 * on a TLS port): the connection logs {@link #getMessage()} once and either answers {@link #status()}
 * in plain text and closes, or, with status 0, closes without an answer.
 */
public final class InputRejectedException extends IOException {

    private final int status;

    /** @param status the status to answer with before closing, or 0 to close without answering */
    public InputRejectedException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
