package dev.brigade.http1;

/**
 * The checks that need the whole header section: Host, body framing, Expect and keep-alive. This
 * is where request smuggling is stopped: whenever two honest parsers could read different body
 * lengths from this head, the answer is an error, never a guess (RFC 9112 §6.3).
 *
 * <p>One instance per parser, reused: {@link #apply} sets the public-in-package result fields,
 * which are valid until the next call.
 */
final class HeadRules {

    static final ParseError NO_HOST = new ParseError(400, "HTTP/1.1 request without Host");
    static final ParseError TWO_HOSTS = new ParseError(400, "more than one Host field");
    static final ParseError BAD_HOST = new ParseError(400, "invalid Host value");
    static final ParseError TE_IN_HTTP_1_0 = new ParseError(400, "Transfer-Encoding in an HTTP/1.0 request");
    static final ParseError TE_AND_CL = new ParseError(400, "both Transfer-Encoding and Content-Length");
    static final ParseError TE_EMPTY = new ParseError(400, "empty Transfer-Encoding");
    static final ParseError TE_BAD_CODING = new ParseError(400, "invalid transfer coding");
    static final ParseError TE_NOT_CHUNKED_LAST = new ParseError(400, "last transfer coding is not chunked");
    static final ParseError TE_CHUNKED_TWICE = new ParseError(400, "chunked applied more than once");
    static final ParseError TE_UNSUPPORTED = new ParseError(501, "transfer coding other than chunked");
    static final ParseError CL_INVALID = new ParseError(400, "invalid Content-Length");
    static final ParseError CL_DIFFERING = new ParseError(400, "differing Content-Length values");
    static final ParseError CL_TOO_LARGE = new ParseError(413, "Content-Length over the body limit");
    static final ParseError EXPECTATION_FAILED = new ParseError(417, "unsupported expectation");

    private static final String TE = "Transfer-Encoding";
    private static final String CL = "Content-Length";

    private final long bodyBytesMax;

    BodyFraming framing;
    String host;
    boolean keepAlive;
    boolean expectContinue;

    HeadRules(Limits limits) {
        this.bodyBytesMax = limits.bodyBytesMax();
    }

    /**
     * Checks {@code fields} of a request of {@code version}; {@code targetAuthority} is the
     * authority of an absolute-form or authority-form target, else null. Returns null and sets
     * the result fields, or returns the error.
     */
    ParseError apply(HttpVersion version, HeaderFields fields, String targetAuthority) {
        ParseError e = checkHost(version, fields, targetAuthority);
        if (e == null) {
            e = checkFraming(version, fields);
        }
        if (e == null) {
            e = checkExpect(version, fields);
        }
        boolean close = fields.containsToken("Connection", "close");
        keepAlive = version == HttpVersion.HTTP_1_1
                ? !close
                : !close && fields.containsToken("Connection", "keep-alive");
        return e;
    }

    /** RFC 9112 §3.2: exactly one Host in 1.1, at most one in 1.0, and a valid uri-host[:port]. */
    private ParseError checkHost(HttpVersion version, HeaderFields fields, String targetAuthority) {
        int count = fields.count("Host");
        if (count > 1) {
            return TWO_HOSTS;
        }
        if (count == 0 && version == HttpVersion.HTTP_1_1) {
            return NO_HOST;
        }
        String value = fields.first("Host");
        if (value != null && !isHostValue(value)) {
            return BAD_HOST;
        }
        host = targetAuthority != null ? targetAuthority : value;
        return null;
    }

    /** Host bytes only; empty is allowed (RFC 9112 §3.2, a target without authority). */
    static boolean isHostValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF || !Tokens.isHostByte(c)) {
                return false;
            }
        }
        return true;
    }

    private ParseError checkFraming(HttpVersion version, HeaderFields fields) {
        boolean hasTe = fields.count(TE) > 0;
        boolean hasCl = fields.count(CL) > 0;
        if (hasTe) {
            if (version == HttpVersion.HTTP_1_0) {
                return TE_IN_HTTP_1_0; // RFC 9112 §6.1: the framing is faulty whatever else is sent
            }
            if (hasCl) {
                return TE_AND_CL; // RFC 9112 §6.3 rule 3: the classic smuggling vector
            }
            framing = BodyFraming.CHUNKED;
            return checkCodings(fields);
        }
        if (hasCl) {
            return checkContentLength(fields);
        }
        framing = BodyFraming.NONE;
        return null;
    }

    /**
     * RFC 9112 §6.1 and §7: chunked must be last and appear once; since we decode no other coding,
     * any other one is a 501. An element that is not a token, or chunked with parameters, is a 400.
     */
    private static ParseError checkCodings(HeaderFields fields) {
        int codings = 0;
        int chunked = 0;
        boolean lastIsChunked = false;
        for (int f = 0; f < fields.size(); f++) {
            if (!Tokens.equalsIgnoreCaseAscii(fields.name(f), TE)) {
                continue;
            }
            String list = fields.value(f);
            int start = 0;
            while (start <= list.length()) {
                int comma = list.indexOf(',', start);
                int end = comma < 0 ? list.length() : comma;
                int from = Tokens.skipOws(list, start, end);
                int to = Tokens.trimOwsEnd(list, from, end);
                start = end + 1;
                if (from == to) {
                    continue; // empty list elements are ignored (RFC 9110 §5.6.1)
                }
                int semicolon = list.indexOf(';', from);
                int nameEnd = semicolon < 0 || semicolon >= to ? to : Tokens.trimOwsEnd(list, from, semicolon);
                if (!Tokens.isToken(list, from, nameEnd)) {
                    return TE_BAD_CODING;
                }
                codings++;
                lastIsChunked = Tokens.equalsLowerAscii(list, from, nameEnd, "chunked");
                if (lastIsChunked) {
                    if (nameEnd != to) {
                        return TE_BAD_CODING; // chunked takes no parameters
                    }
                    chunked++;
                }
            }
        }
        if (codings == 0) {
            return TE_EMPTY;
        }
        if (!lastIsChunked) {
            return TE_NOT_CHUNKED_LAST;
        }
        if (chunked > 1) {
            return TE_CHUNKED_TWICE;
        }
        return codings > 1 ? TE_UNSUPPORTED : null;
    }

    /**
     * RFC 9110 §8.6 and RFC 9112 §6.3 rule 5: 1*DIGIT, and a list or repeated fields are accepted
     * only if every element is the same number. Anything else, including an empty element, a sign
     * or a value beyond {@code long}, is a 400.
     */
    private ParseError checkContentLength(HeaderFields fields) {
        long length = -1;
        for (int f = 0; f < fields.size(); f++) {
            if (!Tokens.equalsIgnoreCaseAscii(fields.name(f), CL)) {
                continue;
            }
            String list = fields.value(f);
            int start = 0;
            while (start <= list.length()) {
                int comma = list.indexOf(',', start);
                int end = comma < 0 ? list.length() : comma;
                int from = Tokens.skipOws(list, start, end);
                int to = Tokens.trimOwsEnd(list, from, end);
                start = end + 1;
                long n = parseDigits(list, from, to);
                if (n < 0) {
                    return CL_INVALID;
                }
                if (length >= 0 && n != length) {
                    return CL_DIFFERING;
                }
                length = n;
            }
        }
        if (length > bodyBytesMax) {
            return CL_TOO_LARGE;
        }
        framing = length == 0 ? BodyFraming.NONE : new BodyFraming.Length(length);
        return null;
    }

    /** 1*DIGIT as a long, or -1 if empty, not all digits, or too large for a long. */
    private static long parseDigits(String s, int from, int to) {
        if (from == to) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9 || n > (Long.MAX_VALUE - d) / 10) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }

    /**
     * RFC 9110 §10.1.1: 100-continue is the only expectation; any other is a 417. A 100-continue
     * in HTTP/1.0 is ignored, since a 1.0 client cannot understand a 100 response.
     */
    private ParseError checkExpect(HttpVersion version, HeaderFields fields) {
        boolean expect = false;
        for (int f = 0; f < fields.size(); f++) {
            if (!Tokens.equalsIgnoreCaseAscii(fields.name(f), "Expect")) {
                continue;
            }
            String list = fields.value(f);
            boolean any = false;
            int start = 0;
            while (start <= list.length()) {
                int comma = list.indexOf(',', start);
                int end = comma < 0 ? list.length() : comma;
                int from = Tokens.skipOws(list, start, end);
                int to = Tokens.trimOwsEnd(list, from, end);
                start = end + 1;
                if (from == to) {
                    continue;
                }
                if (!Tokens.equalsLowerAscii(list, from, to, "100-continue")) {
                    return EXPECTATION_FAILED;
                }
                any = true;
            }
            if (!any) {
                return EXPECTATION_FAILED;
            }
            expect = true;
        }
        expectContinue = expect && version == HttpVersion.HTTP_1_1;
        return null;
    }
}
