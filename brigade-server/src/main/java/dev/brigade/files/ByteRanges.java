package dev.brigade.files;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code Range} header (RFC 9110 §14.1.2): {@code bytes=} followed by {@code first-last},
 * {@code first-} or {@code -suffix} specs. A header that does not parse, or names another unit, is
 * ignored (the whole representation is sent); ranges that start beyond the end are dropped, and if
 * none remain the answer is 416. Over {@link #MAX_RANGES} specs, or several ranges adding up to
 * more than the whole (overlaps), are a denial-of-service pattern: the header is ignored then.
 */
final class ByteRanges {

    static final int MAX_RANGES = 64;

    /** One satisfiable range: {@code length} bytes from {@code first}. */
    record Range(long first, long length) {
        long last() {
            return first + length - 1;
        }
    }

    /** What the header asks: nothing usable ({@code null} list, send 200), unsatisfiable (416) or ranges. */
    record Result(List<Range> ranges, boolean unsatisfiable) {
        static final Result IGNORE = new Result(null, false);
        static final Result UNSATISFIABLE = new Result(List.of(), true);
    }

    private ByteRanges() {
    }

    static Result parse(String header, long size) {
        if (header == null) {
            return Result.IGNORE;
        }
        String h = header.trim();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
            return Result.IGNORE;
        }
        String[] specs = h.substring(eq + 1).split(",", -1);
        if (specs.length > MAX_RANGES) {
            return Result.IGNORE;
        }
        List<Range> out = new ArrayList<>();
        boolean any = false;
        for (String raw : specs) {
            String spec = raw.trim();
            if (spec.isEmpty()) {
                continue; // RFC 9110 lists allow empty elements
            }
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return Result.IGNORE;
            }
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            any = true;
            if (a.isEmpty()) {
                long suffix = digits(b);
                if (suffix < 0) {
                    return Result.IGNORE;
                }
                if (suffix > 0 && size > 0) {
                    long len = Math.min(suffix, size);
                    out.add(new Range(size - len, len));
                }
            } else {
                long first = digits(a);
                long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
                if (first < 0 || last < 0 || last < first) {
                    return Result.IGNORE;
                }
                if (first < size) {
                    out.add(new Range(first, Math.min(last, size - 1) - first + 1));
                }
            }
        }
        if (!any) {
            return Result.IGNORE;
        }
        if (out.isEmpty()) {
            return Result.UNSATISFIABLE;
        }
        long total = 0;
        for (Range r : out) {
            total += r.length();
        }
        return out.size() > 1 && total > size ? Result.IGNORE : new Result(List.copyOf(out), false);
    }

    /** A non-negative decimal, or -1 (also on overflow). */
    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
