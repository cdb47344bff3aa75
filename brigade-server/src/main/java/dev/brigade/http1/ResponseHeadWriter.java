package dev.brigade.http1;

import java.util.Arrays;

/**
 * Serializes a response head: status line, fields, blank line. Field values are checked here a
 * last time, so that no response can carry CR or LF inside a header (response splitting) whatever
 * the caller did. Reused per connection: {@link #reset()} between responses.
 */
public final class ResponseHeadWriter {

    /** Encoded status lines by status code, each with the reason it was encoded with. */
    private record StatusLine(String reason, byte[] bytes) {
    }

    private static final StatusLine[] STATUS_LINES = new StatusLine[600];

    private byte[] buf;
    private int len;

    public ResponseHeadWriter() {
        buf = new byte[256];
    }

    public ResponseHeadWriter reset() {
        len = 0;
        return this;
    }

    /** Writes {@code HTTP/1.1 <status> <reason>}; responses always claim 1.1 (RFC 9110 §2.5). */
    public ResponseHeadWriter statusLine(int status, String reason) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status out of range: " + status);
        }
        StatusLine cached = status < STATUS_LINES.length ? STATUS_LINES[status] : null;
        if (cached != null && cached.reason.equals(reason)) {
            return raw(cached.bytes);
        }
        byte[] line = ("HTTP/1.1 " + status + " " + checked(reason) + "\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (status < STATUS_LINES.length) {
            STATUS_LINES[status] = new StatusLine(reason, line); // benign race: every copy is valid
        }
        return raw(line);
    }

    /** Writes one field line. */
    public ResponseHeadWriter field(String name, String value) {
        ensure(name.length() + value.length() + 4);
        ascii(checked(name));
        buf[len++] = ':';
        buf[len++] = ' ';
        ascii(checked(value));
        buf[len++] = '\r';
        buf[len++] = '\n';
        return this;
    }

    public ResponseHeadWriter field(String name, long value) {
        return field(name, Long.toString(value));
    }

    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** {@code Content-Length: n}, written without formatting a string (it is in every response). */
    public ResponseHeadWriter contentLength(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative length " + n);
        }
        raw(CONTENT_LENGTH);
        ensure(21);
        int digits = 1;
        for (long v = n; v >= 10; v /= 10) {
            digits++;
        }
        for (long v = n, i = len + digits - 1; i >= len; i--, v /= 10) {
            buf[(int) i] = (byte) ('0' + v % 10);
        }
        len += digits;
        buf[len++] = '\r';
        buf[len++] = '\n';
        return this;
    }

    /** Appends bytes that are already a complete, valid field line (a cached Date line, say). */
    public ResponseHeadWriter raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
        return this;
    }

    /** The length of the head once ended by {@link #finishInto}: what the destination must hold. */
    public int finishedLength() {
        return len + 2;
    }

    /** Ends the head with the blank line and puts it into {@code dst} (which must have room). */
    public void finishInto(java.nio.ByteBuffer dst) {
        dst.put(buf, 0, len).put((byte) '\r').put((byte) '\n');
    }

    /** Ends the head with the blank line and returns it as a new array. */
    public byte[] finish() {
        ensure(2);
        buf[len++] = '\r';
        buf[len++] = '\n';
        return Arrays.copyOf(buf, len);
    }

    private void ascii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    private static String checked(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                throw new IllegalArgumentException("CR, LF, NUL or non-Latin-1 character in a response head");
            }
        }
        return s;
    }
}
