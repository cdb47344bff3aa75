/**
 * HTTP/1.1 on the wire: the request-head parser, the body decoders, the response-head encoder and
 * the limits they enforce. This package is the server's security boundary against malformed and
 * smuggled requests (RFC 9110, RFC 9112): it is strict, and it never guesses.
 *
 * <pre>
 *   bytes ──► RequestParser ──► RequestHead (method, target, version, fields, framing, keep-alive)
 *               │   │                │
 *               │   └─► ParseError   └─► BodyDecoder.of(framing) ──► DATA slices … END (+ trailers)
 *               │       (400 413 414 417 431 501 505; close after)       └─► ParseError
 *               └─ HeadRules: Host, Content-Length / Transfer-Encoding, Expect, Connection
 * </pre>
 *
 * <p><b>Purity.</b> Classes here may import only {@code java.*} and {@code dev.brigade.buffer}: no
 * channels, threads, clocks or logging. Each object belongs to one connection and is used by
 * whichever thread owns that connection at the time (the loop thread, while reading a head).
 * Timeouts are the caller's; {@link dev.brigade.http1.RequestParser#bytesConsumed()} and
 * {@link dev.brigade.http1.BodyDecoder#bodyBytesSoFar()} let it enforce a minimum rate.
 *
 * <p><b>Buffer contract</b>, shared by {@link dev.brigade.http1.RequestParser} and
 * {@link dev.brigade.http1.BodyDecoder}:
 * <ol>
 *   <li>A call reads from {@code in.position()} to {@code in.limit()} and only ever moves the
 *       position forward, never past the limit. It never changes the limit or the contents.</li>
 *   <li>Lines (request line, field lines, chunk-size lines, trailer lines) are consumed only when
 *       complete, CRLF included. On NEED_MORE the position is at the start of the first
 *       incomplete line: the caller keeps the bytes from there on (it may move them to the start
 *       of its buffer) and calls again with those bytes followed by new ones.</li>
 *   <li>A line longer than its limit is rejected as soon as its first excess byte is present,
 *       so a buffer of {@code limit + 2} bytes (the line and its CRLF) is always enough.</li>
 *   <li>When a head or body is complete the position is just after its last byte; whatever
 *       follows (a body, a pipelined request) is left for the next step.</li>
 *   <li>No call throws, for any bytes: bad input is answered with ERROR and a
 *       {@link dev.brigade.http1.ParseError}, after which the connection must be closed.</li>
 * </ol>
 *
 * <p>Limits, with the status each answers, are in {@link dev.brigade.http1.Limits}.
 */
package dev.brigade.http1;
