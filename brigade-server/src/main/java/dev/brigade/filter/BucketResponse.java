package dev.brigade.filter;

/**
 * The bucket-level way to send a response body, for modules that hold their content as buckets
 * (the static-file module: file regions, cached reference-counted pages, multipart ranges). The
 * server's {@link dev.brigade.api.Response} implements it; a handler reaches it with
 * {@code if (response instanceof BucketResponse br)}.
 *
 * <p>Status and headers are taken from the {@code Response} as usual; the server still owns
 * framing ({@code Content-Length} / chunked), {@code Connection} and {@code Date}.
 */
public interface BucketResponse {

    /**
     * Sends {@code body} as the whole response body and completes the response. Takes ownership of
     * every bucket: each is completed exactly once, after it was written or when the connection
     * closed first. {@code body} must not contain EOS or end-of-request buckets.
     *
     * @param contentLength the total bytes of the body, or -1 if unknown (then sent chunked)
     */
    void sendBuckets(Brigade body, long contentLength);

    /**
     * Header field lines already encoded ({@code Name: value\r\n} each, Latin-1), appended to the
     * head as they are: a cache hit then costs no formatting. Call before sending; the caller
     * guarantees the bytes are valid field lines without framing or Connection fields.
     */
    void rawHeaderFields(byte[] fieldLines);
}
