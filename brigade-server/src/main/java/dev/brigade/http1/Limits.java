package dev.brigade.http1;

/**
 * Size limits the parser enforces, each with the status it answers when exceeded. Defaults are
 * Apache httpd's ({@code LimitRequestLine}, {@code LimitRequestFieldSize},
 * {@code LimitRequestFields}, {@code LimitRequestBody}) and, for the whole head, nginx's
 * ({@code large_client_header_buffers 4 8k}: 32 KiB).
 *
 * @param requestLineBytesMax longest request line accepted, CRLF excluded (8190; beyond: 414)
 * @param fieldBytesMax longest header or trailer field line accepted, CRLF excluded (8190; beyond: 431)
 * @param fieldCountMax most header fields accepted, and separately most trailer fields (100; beyond: 431)
 * @param bodyBytesMax largest request body accepted, declared or chunked (1 GiB; beyond: 413)
 * @param headBytesMax largest whole request head, request line and every field line with their
 *                     CRLFs, counted as bytes arrive (32 KiB; beyond: 431). Without it, 100 fields
 *                     of 8 KiB would be 800 KiB of heap per slow client.
 */
public record Limits(int requestLineBytesMax, int fieldBytesMax, int fieldCountMax, long bodyBytesMax,
                     int headBytesMax) {

    /** The default whole-head limit, nginx's four 8 KiB buffers. */
    public static final int HEAD_BYTES_DEFAULT = 32 * 1024;

    public static final Limits DEFAULT = new Limits(8190, 8190, 100, 1L << 30);

    public Limits {
        if (requestLineBytesMax < 16 || fieldBytesMax < 16 || fieldCountMax < 1 || bodyBytesMax < 0) {
            throw new IllegalArgumentException("limits too small: " + requestLineBytesMax + "/" + fieldBytesMax
                    + "/" + fieldCountMax + "/" + bodyBytesMax);
        }
        if (headBytesMax < requestLineBytesMax + 2) {
            throw new IllegalArgumentException("a head limit of " + headBytesMax
                    + " B cannot hold a request line of " + requestLineBytesMax + " B");
        }
    }

    /** Limits with the default head limit: 32 KiB, or one longest request line and field line if more. */
    public Limits(int requestLineBytesMax, int fieldBytesMax, int fieldCountMax, long bodyBytesMax) {
        this(requestLineBytesMax, fieldBytesMax, fieldCountMax, bodyBytesMax,
                Math.max(HEAD_BYTES_DEFAULT, requestLineBytesMax + fieldBytesMax + 6));
    }

    public Limits withBodyBytesMax(long bytes) {
        return new Limits(requestLineBytesMax, fieldBytesMax, fieldCountMax, bytes, headBytesMax);
    }

    public Limits withHeadBytesMax(int bytes) {
        return new Limits(requestLineBytesMax, fieldBytesMax, fieldCountMax, bodyBytesMax, bytes);
    }
}
