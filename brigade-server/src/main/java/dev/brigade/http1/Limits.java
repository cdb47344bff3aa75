package dev.brigade.http1;

/**
 * Size limits the parser enforces, each with the status it answers when exceeded. Defaults are
 * Apache httpd's ({@code LimitRequestLine}, {@code LimitRequestFieldSize},
 * {@code LimitRequestFields}, {@code LimitRequestBody}).
 *
 * @param requestLineBytesMax longest request line accepted, CRLF excluded (8190; beyond: 414)
 * @param fieldBytesMax longest header or trailer field line accepted, CRLF excluded (8190; beyond: 431)
 * @param fieldCountMax most header fields accepted, and separately most trailer fields (100; beyond: 431)
 * @param bodyBytesMax largest request body accepted, declared or chunked (1 GiB; beyond: 413)
 */
public record Limits(int requestLineBytesMax, int fieldBytesMax, int fieldCountMax, long bodyBytesMax) {

    public static final Limits DEFAULT = new Limits(8190, 8190, 100, 1L << 30);

    public Limits {
        if (requestLineBytesMax < 16 || fieldBytesMax < 16 || fieldCountMax < 1 || bodyBytesMax < 0) {
            throw new IllegalArgumentException("limits too small: " + requestLineBytesMax + "/" + fieldBytesMax
                    + "/" + fieldCountMax + "/" + bodyBytesMax);
        }
    }

    public Limits withBodyBytesMax(long bytes) {
        return new Limits(requestLineBytesMax, fieldBytesMax, fieldCountMax, bytes);
    }
}
