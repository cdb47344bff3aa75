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
}
