package dev.brigade.filter;

/**
 * A response that takes output filters of its own: the filter SPI for applications. The server's
 * {@link dev.brigade.api.Response} implements it; a handler reaches it with
 * {@code if (response instanceof FilteredResponse fr)}, and {@link ResponseFilters} registers
 * filters per route, virtual host or server.
 *
 * <p>A filter added here sits above the server's own (gzip, chunking, the HTTP/1 encoder): it sees
 * the response's {@link Bucket.Head} first (and may edit it: a filter that changes the body's
 * length must set {@link Bucket.Head#contentLength(long)} to the new length or -1), then the body
 * uncompressed and unframed, then EOS. It follows the same contract as the built-in filters
 * ({@code setaside}, {@code reinstate}, {@code shouldYield}, timed kicks), and is removed once its
 * response ended and it holds nothing.
 */
public interface FilteredResponse {

    /**
     * Adds {@code filter} to this response; call before sending. Filters with a lower
     * {@code order} see the data first (nearest the handler); equal orders keep the order of adding.
     */
    void addOutputFilter(int order, OutputFilter filter);
}
