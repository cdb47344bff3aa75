package dev.brigade.api;

import java.net.InetSocketAddress;

/**
 * What happened to one request, reported after its last byte left (or the connection ended
 * first): what an access log line and request metrics need.
 *
 * @param connectionId the connection's id, as in every log line about it
 * @param remote the client's address
 * @param startEpochMillis when the request head was complete
 * @param method request method, or "-" for a request rejected before it was understood
 * @param target raw request target, or "-"
 * @param protocol {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param status the response status sent, or 0 if the connection ended before any response head left
 * @param bytesSent response bytes written to the socket, head included
 * @param referer the Referer header, or null
 * @param userAgent the User-Agent header, or null
 * @param durationNanos from head complete to last byte written (or abort)
 * @param completed false when the connection ended before the whole response left
 */
public record Transaction(
        long connectionId,
        InetSocketAddress remote,
        long startEpochMillis,
        String method,
        String target,
        String protocol,
        int status,
        long bytesSent,
        String referer,
        String userAgent,
        long durationNanos,
        boolean completed) {
}
