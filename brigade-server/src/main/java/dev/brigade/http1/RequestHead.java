package dev.brigade.http1;

/**
 * A parsed and checked request head: what the connection needs to frame the body, decide on
 * keep-alive and route the request. Every field has already passed the parser's rules; nothing
 * here needs re-validating downstream.
 *
 * @param method the method token, case as sent (methods are case-sensitive, RFC 9110 §9.1)
 * @param target the request-target exactly as sent: origin-form ({@code /path?q}), absolute-form
 *     ({@code http://host/path}), {@code *} (OPTIONS only) or authority-form (CONNECT only);
 *     visible ASCII only
 * @param version HTTP/1.0 or HTTP/1.1 (an {@code HTTP/1.x} with x above 1 is parsed as 1.1)
 * @param fields every header field line in received order
 * @param framing how the body is delimited: {@link BodyFraming#NONE} (also for
 *     {@code Content-Length: 0}), {@link BodyFraming.Length} or {@link BodyFraming#CHUNKED}
 * @param keepAlive whether the connection may carry another request after this one: HTTP/1.1
 *     unless {@code Connection} lists {@code close}; HTTP/1.0 only if it lists {@code keep-alive}
 *     and not {@code close}. The connection may still decide to close (errors, limits).
 * @param expectContinue HTTP/1.1 with {@code Expect: 100-continue}: the client waits for a 100
 *     before sending the body (an HTTP/1.0 100-continue is ignored, RFC 9110 §10.1.1)
 * @param host the authority the request is for: the authority of an absolute-form or
 *     authority-form target when there is one (RFC 9112 §3.2.2: it overrides the Host field),
 *     else the Host field value as sent (possibly empty); null only for HTTP/1.0 without Host
 */
public record RequestHead(String method, String target, HttpVersion version, HeaderFields fields,
        BodyFraming framing, boolean keepAlive, boolean expectContinue, String host) {
}
