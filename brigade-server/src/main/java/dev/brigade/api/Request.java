package dev.brigade.api;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** One HTTP request as a handler sees it. Read-only, except for its body, which is read once. */
public interface Request {

    /** The method, case-sensitive, e.g. {@code GET}. */
    String method();

    /** The request target exactly as received, e.g. {@code /a%20b?x=1}. */
    String target();

    /** The path of the target, percent-decoded as UTF-8, without the query. */
    String path();

    /** The raw query string after {@code ?}, or the empty string. */
    String query();

    /** The first value of a query parameter (decoded), or null. */
    String queryParam(String name);

    /** Every query parameter, decoded, in order of appearance. */
    Map<String, List<String>> queryParams();

    /** A path parameter bound by the route, e.g. {@code id} for {@code /users/{id}}, or null. */
    String pathParam(String name);

    /** The request header fields. */
    Headers headers();

    /** The first value of a header field, or null. */
    default String header(String name) {
        return headers().get(name);
    }

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    String protocol();

    /** Whether the request came over TLS (an HTTPS port). */
    boolean secure();

    /** {@code https} or {@code http}: the scheme the client used to reach this server. */
    default String scheme() {
        return secure() ? "https" : "http";
    }

    /** The host the request was addressed to (from {@code Host}, without the port), lower case. */
    String host();

    InetSocketAddress remoteAddress();

    /** Whether the request declares a body (Content-Length above zero, or chunked). */
    boolean hasBody();

    /**
     * Asks for the next piece of the body, without blocking: exactly one of {@code listener}'s
     * methods is called, once, on the connection's loop thread (possibly before this returns). Nothing
     * is read from the client while nobody asks, so a slow consumer pushes back on the client through
     * TCP. The piece handed to {@link BodyListener#onChunk} is released by the next call. A request
     * with {@code Expect: 100-continue} gets its 100 (Continue) response at the first call.
     *
     * <p>A body the handler does not read to its end is discarded by the server after the response,
     * up to a bound; a longer one ends the connection after the response instead.
     */
    void read(BodyListener listener);

    /**
     * The whole body collected into memory, read without blocking any thread; completes on the
     * connection's loop thread. An opt-in for small bodies: one over the server's aggregation limit
     * (1 MiB by default, see {@code Server.Builder.maxAggregatedBodyBytes}) fails the stage and is
     * answered 413. Larger bodies are read piece by piece with {@link #read} or {@link #bodyStream()}.
     */
    CompletionStage<byte[]> body();

    /**
     * The body as a blocking stream over {@link #read}: bytes are read from the client as the
     * stream is read, never collected. Only for handlers whose bridge allows blocking
     * ({@link #blockingAllowed()}); an inline handler gets an {@link IllegalStateException}.
     */
    InputStream bodyStream();

    /** Whether this handler runs on a thread that may block (a worker or virtual thread). */
    boolean blockingAllowed();
}
