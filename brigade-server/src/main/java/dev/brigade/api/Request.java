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

    /** The host the request was addressed to (from {@code Host}, without the port), lower case. */
    String host();

    InetSocketAddress remoteAddress();

    /** Whether the request declares a body (Content-Length above zero, or chunked). */
    boolean hasBody();

    /**
     * The whole body, read without blocking any thread; completes on the connection's loop thread.
     * Bodies larger than the server's body limit fail the stage and are answered 413. A request
     * with {@code Expect: 100-continue} gets its 100 (Continue) response when this is first called.
     */
    CompletionStage<byte[]> body();

    /**
     * The body as a blocking stream. Only for handlers whose bridge allows blocking
     * ({@link #blockingAllowed()}); an inline handler gets an {@link IllegalStateException}.
     */
    InputStream bodyStream();

    /** Whether this handler runs on a thread that may block (a worker or virtual thread). */
    boolean blockingAllowed();
}
