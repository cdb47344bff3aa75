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
}
