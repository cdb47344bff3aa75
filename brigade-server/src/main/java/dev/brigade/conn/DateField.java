package dev.brigade.conn;

import dev.brigade.http1.HttpDate;

/**
 * The {@code Date} field line, formatted once a second and shared by every connection: a request
 * costs one clock read and a comparison, never a formatting.
 */
final class DateField {

    private record Cached(long epochSecond, byte[] line) {
    }

    private static volatile Cached cached = new Cached(0, HttpDate.dateFieldLine(0));

    private DateField() {
    }

    /** The current {@code Date: ...\r\n} line. */
    static byte[] line() {
        long now = System.currentTimeMillis() / 1000;
        Cached c = cached;
        if (c.epochSecond != now) {
            c = new Cached(now, HttpDate.dateFieldLine(now));
            cached = c; // racing threads each format once in that second; all results are equal
        }
        return c.line;
    }
}
