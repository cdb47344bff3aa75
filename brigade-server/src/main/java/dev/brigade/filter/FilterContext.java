package dev.brigade.filter;

import java.time.Duration;

/**
 * What a filter may ask of the connection it serves. Implemented by the connection; loop thread only.
 */
public interface FilterContext {

    /**
     * Parks this filter's data until {@code delay} has passed, then kicks the chain again (httpd's
     * missing {@code ap_filter_suspend}): no thread waits, and the socket's writability is not
     * polled meanwhile.
     */
    void kickAfter(Duration delay);

    /**
     * The connection closes once the response being written has left: its framing cannot tell the
     * client where the body ends (HTTP/1.0 without a length), or the head said {@code Connection: close}.
     */
    void closeAfterResponse();

    /**
     * Any thread: the connection reads through its input chain again soon, on its loop, as if the
     * socket had become readable. For a filter that finished work elsewhere (TLS handshake tasks
     * run off the loop) and now has something to do that no readiness event will announce.
     */
    default void resumeInput() {
        throw new UnsupportedOperationException("this filter context cannot resume input");
    }
}
