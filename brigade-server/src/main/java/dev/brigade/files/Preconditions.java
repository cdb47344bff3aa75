package dev.brigade.files;

import dev.brigade.api.Request;

/**
 * Conditional requests, evaluated in the order of RFC 9110 §13.2.2:
 * <ol>
 *   <li>{@code If-Match} (strong comparison) fails → 412;</li>
 *   <li>else {@code If-Unmodified-Since} (only without If-Match) fails → 412;</li>
 *   <li>{@code If-None-Match} (weak comparison) matches → 304 for GET/HEAD, else 412;</li>
 *   <li>else {@code If-Modified-Since} (GET/HEAD, only without If-None-Match) not modified → 304;</li>
 *   <li>{@code If-Range} decides later whether a {@code Range} applies ({@link #rangeApplies}).</li>
 * </ol>
 * Dates that cannot be parsed make their header ignored.
 */
final class Preconditions {

    /** The answer the preconditions call for. */
    enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    private Preconditions() {
    }

    static Outcome evaluate(Request request, String etag, long lastModifiedSeconds) {
        return evaluate(request, etag, null, lastModifiedSeconds);
    }

    /**
     * @param codedEtag the tag the same representation carries when the server gzips it on the
     *                  fly ({@code "…-gzip"}), which a client that got it sends back in
     *                  If-None-Match; null for a representation that is never coded on the fly
     */
    static Outcome evaluate(Request request, String etag, String codedEtag, long lastModifiedSeconds) {
        String ifMatch = request.header("If-Match");
        if (ifMatch != null) {
            if (!matches(ifMatch, etag, false)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            long ius = HttpDates.parse(request.header("If-Unmodified-Since"));
            if (ius >= 0 && lastModifiedSeconds > ius) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        boolean safe = request.method().equals("GET") || request.method().equals("HEAD");
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, etag, true) || (codedEtag != null && matches(ifNoneMatch, codedEtag, true))) {
                return safe ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
            }
        } else if (safe) {
            long ims = HttpDates.parse(request.header("If-Modified-Since"));
            if (ims >= 0 && lastModifiedSeconds <= ims) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * Whether a Range should be honoured given {@code If-Range} (RFC 9110 §13.1.5): absent, or an
     * entity tag equal by strong comparison, or a date exactly equal to Last-Modified.
     */
    static boolean rangeApplies(String ifRange, String etag, long lastModifiedSeconds) {
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.trim();
        if (v.startsWith("\"")) {
            return v.equals(etag);
        }
        if (v.startsWith("W/")) {
            return false; // a weak tag never matches strongly
        }
        long date = HttpDates.parse(v);
        return date >= 0 && date == lastModifiedSeconds;
    }

    /** Whether a list of entity tags (or {@code *}) holds {@code etag}; weak comparison ignores {@code W/}. */
    static boolean matches(String list, String etag, boolean weak) {
        String l = list.trim();
        if (l.equals("*")) {
            return true;
        }
        int i = 0;
        int n = l.length();
        while (i < n) {
            while (i < n && (l.charAt(i) == ' ' || l.charAt(i) == '\t' || l.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            boolean isWeak = false;
            if (l.startsWith("W/", i)) {
                isWeak = true;
                i += 2;
            }
            if (i >= n || l.charAt(i) != '"') {
                return false; // not a list of entity tags: never matches
            }
            int end = l.indexOf('"', i + 1);
            if (end < 0) {
                return false;
            }
            String tag = l.substring(i, end + 1);
            if (tag.equals(etag) && (weak || !isWeak)) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }
}
