package dev.brigade.conn;

import dev.brigade.http1.HttpDate;

/**
 * The {@code Date} field line, formatted once a second and shared by every connection: a request
 * costs a comparison with the loop's clock ({@link dev.brigade.loop.EventLoop#epochSecond}), never a
 * formatting or a clock read of its own.
 */
final class DateField {

    private record Cached(long epochSecond, byte[] line) {
    }

    private static volatile Cached cached = new Cached(0, HttpDate.dateFieldLine(0));

    private DateField() {
    }

    /** The {@code Date: ...\r\n} line for {@code now}, seconds since the epoch. */
    static byte[] line(long now) {
        Cached c = cached;
        if (c.epochSecond != now) {
            c = new Cached(now, HttpDate.dateFieldLine(now));
            cached = c; // racing threads each format once in that second; all results are equal
        }
        return c.line;
    }
}
