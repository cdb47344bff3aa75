package dev.brigade.conn;

import dev.brigade.api.Headers;
import dev.brigade.api.Status;
import dev.brigade.filter.ContentCoding;
import dev.brigade.http1.HttpVersion;
import dev.brigade.http1.ResponseHeadWriter;

/**
 * How one response goes on the wire, decided once when it starts: Content-Length or chunked (or,
 * for HTTP/1.0, the end of the connection), whether it is compressed on the fly, whether the
 * connection stays open; and the encoded head that says so (RFC 9112 §6.1, §9.3; RFC 9110 §8.4).
 */
final class ResponseFraming {

    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CLOSE = ascii("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = ascii("Connection: keep-alive\r\n");

    final byte[] head;
    final boolean chunked;
    final boolean gzip;
    final boolean keepAlive;

    /**
     * @param contentLength the body length if known, else -1
     * @param keepAliveWanted whether the connection may stay open as far as the connection knows
     * @param rawFields pre-encoded field lines from the application, or null
     * @param compression the server's on-the-fly compression settings
     */
    ResponseFraming(ResponseHeadWriter w, int status, long contentLength, Headers headers, byte[] rawFields,
                    ExchangeRequest request, boolean keepAliveWanted, Compression compression) {
        boolean bodyless = Status.bodyless(status);
        boolean head = request.method().equals("HEAD");
        boolean http11 = request.head().version() == HttpVersion.HTTP_1_1;
        boolean varies = compression.enabled() && ContentCoding.compressible(headers.get("Content-Type"));
        this.gzip = !bodyless && varies && status == 200 && compression.worthIt(contentLength)
                && headers.get("Content-Encoding") == null && headers.get("Content-Range") == null
                && !headers.hasToken("Cache-Control", "no-transform")
                && ContentCoding.accepts(request.header("Accept-Encoding"), "gzip");
        long length = gzip ? -1 : contentLength;
        this.chunked = !bodyless && !head && length < 0 && http11;
        // HTTP/1.0 without a length: the body ends when the connection does
        this.keepAlive = keepAliveWanted && (bodyless || head || length >= 0 || chunked);

        w.reset().statusLine(status, Status.reason(status)).raw(DateField.line());
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (serverOwned(name) || (gzip && name.equalsIgnoreCase("ETag")) || (varies && name.equalsIgnoreCase("Vary"))) {
                continue;
            }
            w.field(name, headers.value(i));
        }
        if (rawFields != null) {
            w.raw(rawFields);
        }
        if (varies) {
            w.field("Vary", mergedVary(headers));
        }
        if (gzip) {
            w.field("Content-Encoding", "gzip");
            String etag = headers.get("ETag");
            if (etag != null) {
                w.field("ETag", codedEtag(etag));
            }
        }
        if (!bodyless && length >= 0) {
            w.contentLength(length);
        } else if (chunked) {
            w.raw(CHUNKED);
        }
        if (!keepAlive) {
            w.raw(CLOSE);
        } else if (!http11) {
            w.raw(KEEP_ALIVE);
        }
        this.head = w.finish();
    }

    /** Whether the body passes through request filters (chunking, compression) on its way out. */
    boolean needsRequestFilters() {
        return chunked || gzip;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Fields the server writes itself, whatever the application set. */
    static boolean serverOwned(String name) {
        char c = name.isEmpty() ? ' ' : (char) (name.charAt(0) | 0x20);
        if (c != 'c' && c != 't' && c != 'd') {
            return false; // most names: no comparison at all
        }
        return name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                || name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Date");
    }

    private static String mergedVary(Headers headers) {
        String vary = headers.get("Vary");
        if (vary == null || vary.isBlank()) {
            return "Accept-Encoding";
        }
        return headers.hasToken("Vary", "Accept-Encoding") || headers.hasToken("Vary", "*") ? vary : vary + ", Accept-Encoding";
    }

    /** A compressed body is another representation: its strong validator must differ (RFC 9110 §8.8.3). */
    private static String codedEtag(String etag) {
        return etag.endsWith("\"") ? etag.substring(0, etag.length() - 1) + "-gzip\"" : etag;
    }

    /**
     * On-the-fly compression settings of a server.
     *
     * @param level deflate level 1–9, or 0 for off
     * @param minBytes bodies of known length below this are sent as they are
     */
    record Compression(int level, long minBytes) {
        static final Compression OFF = new Compression(0, 0);

        boolean enabled() {
            return level > 0;
        }

        boolean worthIt(long contentLength) {
            return contentLength < 0 || contentLength >= minBytes;
        }
    }
}
