package dev.brigade.api;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The response to one request. Set status and headers, then send exactly once: with a whole body
 * ({@code send}) or as a stream ({@link #output()}, closed when done). Any thread may send; the
 * bytes leave through the connection's loop and its output filters.
 */
public interface Response {

    /** Sets the status code (100–999 are not all meaningful; 200 by default). */
    Response status(int status);

    int status();

    /** The response header fields; framing fields (Content-Length, Transfer-Encoding, Connection) are the server's. */
    Headers headers();

    /** Sets a header field, replacing others of the name. */
    default Response header(String name, String value) {
        headers().set(name, value);
        return this;
    }

    default Response contentType(String type) {
        return header("Content-Type", type);
    }

    /** Sends the whole body. The array must not be changed afterwards. */
    void send(byte[] body);

    /** Sends the whole body; the buffer's remaining bytes are sent and it must not be changed afterwards. */
    void send(ByteBuffer body);

    /** Sends text encoded as UTF-8, as {@code text/plain; charset=utf-8} unless a Content-Type is set. */
    default void send(String body) {
        if (!headers().contains("Content-Type")) {
            contentType("text/plain; charset=utf-8");
        }
        send(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a file as the body, with Content-Length; it leaves with sendfile, never through the
     * heap. Answers 500 if the file cannot be opened.
     */
    void sendFile(java.nio.file.Path file);

    /** Sends the response with an empty body. */
    default void send() {
        send(new byte[0]);
    }

    /**
     * A stream for a body of unknown length: sent chunked (or close-delimited to HTTP/1.0 clients),
     * unless a Content-Length header was set. Closing the stream completes the response.
     */
    OutputStream output();

    /**
     * A non-blocking writer for a body of unknown length, for handlers that must not block: it
     * reports when the client is behind and calls back when it caught up. Sent like {@link #output()}.
     */
    BodyWriter writer();

    /**
     * Declares that the response will be sent after the handler returns, from a callback or
     * another thread. Without it (or a call to {@link Request#body()}), a handler that returns
     * without sending has its response sent as it stands. The connection holds no thread meanwhile.
     */
    Response async();

    /**
     * Parks the exchange (SUSPENDED: no thread, no reads) until it is sent from any thread, or until
     * {@code timeout}: then it is answered 503 with Retry-After. Sending after the timeout answered,
     * or after the client left, is silently dropped.
     */
    default Response suspend(java.time.Duration timeout) {
        return suspend(timeout, null);
    }

    /**
     * Like {@link #suspend(java.time.Duration)}, but at the timeout {@code onTimeout} runs (on the
     * connection's loop thread: it must not block) and may send the answer itself; if it does not,
     * the answer is 503.
     */
    Response suspend(java.time.Duration timeout, java.util.function.Consumer<Response> onTimeout);

    /** Whether the status and headers have gone to the connection (no more changes possible). */
    boolean committed();
}
